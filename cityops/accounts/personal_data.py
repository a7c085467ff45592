"""Where a person's data lives beyond the account, for the rights of Law 91/2025.

Accounts sit below the apps that keep personal data about a user (reports keep who reported,
their contact details, follows and ratings), so accounts cannot import them. Each such app
registers a *holder* in its ``AppConfig.ready``: a function that exports what it keeps about a
user and one that erases or anonymises it, both called with the keyword ``user``.
``user_data_export`` and ``user_delete`` (accounts' selectors and services) call every holder;
adding an app with personal data means registering one holder, and the export and deletion
follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Exporter = Callable[..., dict[str, Any]]  # export(user=...) -> JSON-ready data
Eraser = Callable[..., object]  # erase(user=...)


@dataclass(frozen=True)
class Holder:
    """An app that keeps personal data about users: ``export`` returns JSON-ready data."""

    name: str
    export: Exporter
    erase: Eraser


_holders: dict[str, Holder] = {}


def personal_data_holder_register(*, name: str, export: Exporter, erase: Eraser) -> None:
    """Register (or replace, so that a second ``ready()`` is harmless) a holder named ``name``."""
    _holders[name] = Holder(name=name, export=export, erase=erase)


def personal_data_holders() -> list[Holder]:
    return list(_holders.values())
