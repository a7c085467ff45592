"""The one source of "now" for domain code.

Domain functions ask ``clock.now()`` instead of ``timezone.now()`` so that the demo seed can
replay ninety days of history through the real workflow (``clock.frozen_at``) without any test
library in production code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("cityops_frozen_now", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Make ``now()`` return ``moment`` inside the block (this context only)."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
