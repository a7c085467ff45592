"""Configuration that every request reads, kept in this process's memory for a short while.

Areas, categories and deadline policies change a few times a year, yet intake reads them for
every report. A kept value is loaded again ``seconds`` after it was loaded, and at once when
this process saves or deletes a row of a model it depends on (Django's post_save and
post_delete signals). Another process sees such a change within ``seconds``.

Kept values are shared by every request of the process: treat them as read-only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_every: list[Kept[object]] = []


class Kept(Generic[T]):
    def __init__(self, load: Callable[[], T], *, seconds: float) -> None:
        self._load = load
        self._seconds = seconds
        self._kept: tuple[T, float] | None = None
        self.__doc__ = load.__doc__

    def __call__(self) -> T:
        kept, now = self._kept, time.monotonic()
        if kept is not None and now - kept[1] < self._seconds:
            return kept[0]
        value = self._load()
        self._kept = (value, now)
        return value

    def forget(self, **_signal: object) -> None:
        self._kept = None


def kept(
    *, seconds: float, depends_on: tuple[type[Model], ...]
) -> Callable[[Callable[[], T]], Kept[T]]:
    """Keep what the loader returns for ``seconds``, or until ``depends_on`` change here."""

    def decorate(load: Callable[[], T]) -> Kept[T]:
        value = Kept(load, seconds=seconds)
        for model in depends_on:
            post_save.connect(value.forget, sender=model, weak=False)
            post_delete.connect(value.forget, sender=model, weak=False)
        _every.append(value)  # type: ignore[arg-type]
        return value

    return decorate


def forget_all() -> None:
    """Drop every kept value (a test begins: rolled-back rows send no signal)."""
    for value in _every:
        value.forget()
