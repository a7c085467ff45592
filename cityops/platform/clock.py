"""The one source of "now" for domain code.

Domain functions ask ``clock.now()`` instead of ``timezone.now()`` so that the demo seed can
replay ninety days of history through the real workflow (``clock.frozen_at``) without any test
library in production code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

_frozen: ContextVar[datetime | None] = ContextVar("cityops_frozen_now", default=None)


# The dates accepted from outside (queries, forms, feeds): nothing the city records is older or
# further ahead, and in years 1 and 9999 moving between time zones overflows Python's datetime.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def now() -> datetime:
    return _frozen.get() or timezone.now()


def in_range(moment: date) -> bool:
    """Whether a date or datetime falls in the years accepted from outside (1900–2999)."""
    return FIRST_DAY.year <= moment.year <= LAST_DAY.year


def range_problem() -> str:
    """What to tell whoever sent a date outside ``FIRST_DAY`` … ``LAST_DAY``."""
    return _("Use a date between %(first)s and %(last)s.") % {
        "first": FIRST_DAY.isoformat(),
        "last": LAST_DAY.isoformat(),
    }


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
