"""Times and dates from outside (query strings, JSON payloads over HTTP and MQTT) as ISO-8601
text only.

Pydantic would also read a number as a Unix time ("0.5" → 1970-01-01T00:00:00.5Z, ``date=0`` →
1970-01-01), which the OpenAPI document does not promise and which a client sends only by
mistake: such a value is refused with a message saying what to send.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _text_only(value: object) -> object:
    if isinstance(value, date | datetime):
        return value
    if isinstance(value, str) and not _NUMBER.fullmatch(value):
        return value
    raise ValueError(
        "Write it as ISO-8601 text: 2026-11-20 for a day, 2026-11-20T14:00:00+07:00 for a moment."
    )


IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_text_only)]
"""A moment with its UTC offset, written as ISO-8601 text."""

IsoDate = Annotated[date, BeforeValidator(_text_only)]
"""A day, written YYYY-MM-DD."""
