"""What an import tells staff, kept as its English text and values and put into the reader's
language when shown: an import runs in a job, whose language is nobody's, and the same result
is read by staff in Vietnamese and in English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class Said:
    """A message: its text as marked with ``gettext_noop`` and the values it names."""

    text: str
    values: Mapping[str, Any] = field(default_factory=dict)


def said_shown(text: str, values: Mapping[str, Any] | None = None) -> str:
    """``text`` in the active language with its values put in. A message kept before messages
    were kept this way (already in Vietnamese, no values) is shown as it was written."""
    translated = gettext(text) if text else ""
    return translated % dict(values) if values else translated
