"""The one filter definition for press lists: the console's stories, its export, the dashboard.

A period is ``[start, end)`` in the city's days: today, the last 7 or 30 days (today included)
or chosen dates (both included). Stories are in a period by their last-seen time, items by
their date (``Item.dated_at``), as in ``selectors``. Words must all appear (case-insensitive,
as written: "ngập" does not find "ngap") in a story's headline or in one of its items' titles
and leads; an item's own title and lead for items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from cityops.intel.text import fold
from cityops.press.models import Item, Story

MAX_WORDS = 10


class PeriodKind:
    TODAY = "today"
    WEEK = "7d"
    MONTH = "30d"
    CUSTOM = "custom"


DAYS_OF = {PeriodKind.TODAY: 1, PeriodKind.WEEK: 7, PeriodKind.MONTH: 30}
DEFAULT_PERIOD = PeriodKind.WEEK
MAX_DAYS = 366  # a custom period: one bar per day on the chart


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: date  # both included, in the city's days
    last_day: date
    start: datetime
    end: datetime

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def period_of(
    kind: str, *, today: date, first_day: date | None = None, last_day: date | None = None
) -> Period:
    """The bounds of a period; ``first_day``/``last_day`` for a custom one (checked by the
    caller: ``first_day <= last_day``)."""
    if kind == PeriodKind.CUSTOM and first_day is not None:
        last = last_day or today
    else:
        kind = kind if kind in DAYS_OF else DEFAULT_PERIOD
        last = today
        first_day = today - timedelta(days=DAYS_OF[kind] - 1)
    zone = _zone()
    start = datetime.combine(first_day, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return Period(kind, first_day, last, start, end)


def city_today(now: datetime) -> date:
    return now.astimezone(_zone()).date()


@dataclass(frozen=True)
class PressFilter:
    """What a press list is narrowed to; empty fields do not filter."""

    start: datetime
    end: datetime
    tone: str = ""
    source: int | None = None  # a source's id
    entry: int | None = None  # a watch-list entry's id
    words: tuple[str, ...] = ()

    @staticmethod
    def words_of(text: str) -> tuple[str, ...]:
        return tuple(text.split()[:MAX_WORDS])

    def stories(self, stories: QuerySet[Story]) -> QuerySet[Story]:
        stories = stories.filter(last_seen_at__gte=self.start, last_seen_at__lt=self.end)
        if self.tone:
            stories = stories.filter(tone=self.tone)
        # Subqueries rather than joins: a story of many items is listed once.
        if self.source is not None:
            stories = stories.filter(
                pk__in=Item.objects.filter(source_id=self.source).values("story_id")
            )
        if self.entry is not None:
            stories = stories.filter(
                pk__in=Item.objects.filter(mentions__entry_id=self.entry).values("story_id")
            )
        for word in self.words:  # a story's headline is one of its items' titles
            in_items = Item.objects.filter(search_text__contains=fold(word)).values("story_id")
            stories = stories.filter(pk__in=in_items)
        return stories

    def items(self, items: QuerySet[Item]) -> QuerySet[Item]:
        items = items.filter(dated_at__gte=self.start, dated_at__lt=self.end)
        if self.tone:
            items = items.filter(tone=self.tone)
        if self.source is not None:
            items = items.filter(source_id=self.source)
        if self.entry is not None:
            items = items.filter(
                pk__in=Item.objects.filter(mentions__entry_id=self.entry).values("pk")
            )
        for word in self.words:
            items = items.filter(search_text__contains=fold(word))
        return items
