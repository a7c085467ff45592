"""Reads of the press domain, for the console, the dashboard, the digest and the exports.

Periods are ``[start, end)`` over the items' dates (``Item.dated_at``: published, else fetched)
and the stories' last-seen times. Days are the city's days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from cityops.press.choices import Tone
from cityops.press.filters import PressFilter
from cityops.press.models import (
    Item,
    Mention,
    PressAlarm,
    Source,
    Story,
    StoryReport,
    WatchEntry,
)
from cityops.reports.choices import ReportStatus, StatusGroup
from cityops.reports.models import Report
from cityops.reports.selectors import distance_m

_METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class DayCount:
    day: date
    stories: int  # stories first seen that day
    items: int  # items dated that day


def stories_by_day(*, start: datetime, end: datetime) -> list[DayCount]:
    """Each day of the period with its new stories and its items (days without any included)."""
    zone = _zone()
    items = dict(
        Item.objects.filter(dated_at__gte=start, dated_at__lt=end)
        .annotate(day=TruncDate("dated_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    stories = dict(
        Story.objects.filter(first_seen_at__gte=start, first_seen_at__lt=end)
        .annotate(day=TruncDate("first_seen_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    first, last = (
        start.astimezone(zone).date(),
        (end - timedelta(microseconds=1)).astimezone(zone).date(),
    )
    days = []
    day = first
    while day <= last:
        days.append(DayCount(day, stories.get(day, 0), items.get(day, 0)))
        day += timedelta(days=1)
    return days


def tone_split(*, start: datetime, end: datetime) -> dict[str, int]:
    """Stories seen in the period by tone (every ``Tone`` present, ``""`` for not yet known)."""
    counts = dict(
        Story.objects.filter(last_seen_at__gte=start, last_seen_at__lt=end)
        .values("tone")
        .annotate(n=Count("pk"))
        .values_list("tone", "n")
    )
    split = {str(tone): counts.get(tone, 0) for tone in Tone}
    if counts.get(""):
        split[""] = counts[""]
    return split


@dataclass(frozen=True)
class SourceCount:
    source: Source
    items: int
    negative: int


def counts_by_source(*, start: datetime, end: datetime) -> list[SourceCount]:
    """Every source with its items of the period and how many were negative, most items first."""
    in_period = Q(items__dated_at__gte=start, items__dated_at__lt=end)
    sources = Source.objects.annotate(
        n=Count("items", filter=in_period),
        negative=Count("items", filter=in_period & Q(items__tone=Tone.NEGATIVE)),
    ).order_by("-n", "name")
    return [SourceCount(source, source.n, source.negative) for source in sources]


def watch_entries_with_counts(*, start: datetime, end: datetime) -> QuerySet[WatchEntry]:
    """Active watch-list entries annotated with ``mention_count`` (items naming them in the
    period) and ``negative_count`` (of those, the negative ones), most named first."""
    in_period = Q(mentions__dated_at__gte=start, mentions__dated_at__lt=end)
    return (
        WatchEntry.objects.filter(is_active=True)
        .select_related("area", "agency")
        .annotate(
            mention_count=Count("mentions", filter=in_period),
            negative_count=Count(
                "mentions", filter=in_period & Q(mentions__item__tone=Tone.NEGATIVE)
            ),
        )
        .order_by("-mention_count", "kind", "name")
    )


def stories_top(
    *, start: datetime, end: datetime, limit: int = 10, tone: str = ""
) -> QuerySet[Story]:
    """The stories seen in the period told by most outlets (then most items, then latest);
    with ``tone``, only the stories of that tone."""
    stories = Story.objects.filter(last_seen_at__gte=start, last_seen_at__lt=end)
    if tone:
        stories = stories.filter(tone=tone)
    return stories.select_related("category", "area").order_by(
        "-outlet_count", "-item_count", "-last_seen_at", "-pk"
    )[:limit]


def stories_recent(*, limit: int = 20, tone: str = "") -> QuerySet[Story]:
    stories = Story.objects.select_related("category", "area").order_by("-last_seen_at", "-pk")
    if tone:
        stories = stories.filter(tone=tone)
    return stories[:limit]


@dataclass(frozen=True)
class StoryDetail:
    story: Story
    items: list[Item]  # with their source and mentions (each with its entry)
    mentions: list[Mention]
    reports: list[StoryReport]


def story_detail(*, pk: int) -> StoryDetail | None:
    """A story with its items (oldest first), the watched names in them and its reports."""
    story = Story.objects.select_related("category", "area").filter(pk=pk).first()
    if story is None:
        return None
    mentions = Mention.objects.select_related("entry").order_by("entry__name", "pk")
    items = list(
        Item.objects.filter(story=story)
        .select_related("source", "category", "area")
        .prefetch_related(Prefetch("mentions", queryset=mentions))
        .order_by("dated_at", "pk")
    )
    found = [mention for item in items for mention in item.mentions.all()]
    reports = list(
        StoryReport.objects.filter(story=story)
        .select_related("report", "report__category", "report__agency")
        .order_by("created_at", "pk")
    )
    return StoryDetail(story, items, found, reports)


def items_for_export(
    *,
    start: datetime,
    end: datetime,
    source: Source | None = None,
    tone: str = "",
) -> QuerySet[Item]:
    """The items of a period for an export, oldest first, with what a row shows."""
    items = (
        Item.objects.filter(dated_at__gte=start, dated_at__lt=end)
        .select_related("source", "category", "area", "story")
        .order_by("dated_at", "pk")
    )
    if source is not None:
        items = items.filter(source=source)
    if tone:
        items = items.filter(tone=tone)
    return items


def sources_for_status() -> QuerySet[Source]:
    """Every source with its polling state (errors first), for an operator's check."""
    return Source.objects.annotate(item_count=Count("items")).order_by(
        "-consecutive_errors", "name"
    )


def reports_alike_story(*, story: Story) -> list[Report]:
    """Field reports of the story's category within ``report_days`` around it, in its area or
    within ``report_radius_m`` of its place; rejected reports left out. None without a category
    or a place."""
    if story.category_id is None or (story.area_id is None and story.lat is None):
        return []
    config = settings.CITYOPS_PRESS
    days = timedelta(days=int(config["report_days"]))
    hidden = ReportStatus.in_group(StatusGroup.HIDDEN)
    candidates = Report.objects.filter(
        category_id=story.category_id,
        submitted_at__gte=story.first_seen_at - days,
        submitted_at__lte=story.last_seen_at + days,
    ).exclude(status__in=hidden)
    place = Q(area_id=story.area_id) if story.area_id is not None else Q(pk__in=[])
    radius = float(config["report_radius_m"])
    if story.lat is not None and story.lon is not None:
        dlat = radius / _METRES_PER_DEGREE
        dlon = radius / (_METRES_PER_DEGREE * max(math.cos(math.radians(story.lat)), 0.01))
        place |= Q(
            lat__range=(story.lat - dlat, story.lat + dlat),
            lon__range=(story.lon - dlon, story.lon + dlon),
        )
    alike = []
    for report in candidates.filter(place).order_by("submitted_at", "pk")[:200]:
        same_area = story.area_id is not None and report.area_id == story.area_id
        near = (
            story.lat is not None
            and story.lon is not None
            and report.lat is not None
            and report.lon is not None
            and distance_m(story.lat, story.lon, report.lat, report.lon) <= radius
        )
        if same_area or near:
            alike.append(report)
    return alike[:50]


# --- the console's lists (``PressFilter``) ----------------------------------------------------


def stories_for_console(*, filters: PressFilter) -> QuerySet[Story]:
    """The stories of a period narrowed by ``filters``, latest seen first."""
    stories = Story.objects.select_related("category", "area").order_by("-last_seen_at", "-pk")
    return filters.stories(stories)


def items_for_console(*, filters: PressFilter) -> QuerySet[Item]:
    """The items of a period narrowed by ``filters`` (tone: the item's own), for an export."""
    return filters.items(items_for_export(start=filters.start, end=filters.end))


def story_alarms(*, story: Story) -> list[PressAlarm]:
    """The alarms a story raised (negative story about a watched name), newest first."""
    return list(
        PressAlarm.objects.filter(story=story)
        .select_related("alarm", "entry")
        .order_by("-created_at", "-pk")
    )


def watch_list() -> QuerySet[WatchEntry]:
    """Every watch-list entry, active ones first, with their area and agency."""
    return WatchEntry.objects.select_related("area", "agency").order_by(
        "-is_active", "kind", "name"
    )


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)
