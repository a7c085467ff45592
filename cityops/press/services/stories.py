"""Stories: near-duplicate items grouped (MinHash LSH over word shingles), their figures worked
out again from their items, and the field reports alike linked."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min

from cityops.press.choices import StoryReportOrigin
from cityops.press.models import Item, Story, StoryReport
from cityops.press.selectors import reports_alike_story
from cityops.press.text import SIGNATURE_BYTES, signature_bytes, signature_of, signature_values

# Stories are grouped one item at a time across the workers: on PostgreSQL under this advisory
# lock (SQLite's IMMEDIATE transactions serialise writers already).
_GROUPING_LOCK = 0x70726573  # "pres"


def _grouping_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_GROUPING_LOCK])


def item_signature(item: Item) -> bytes:
    return signature_bytes(signature_of("\n".join((item.title, item.lead, item.text))))


def _nearest_story(item: Item) -> Story | None:
    """The story of the most similar item within the window, if similar enough.

    The item's signature is compared with every signature of the window at once, as one array
    (the share of equal MinHash values estimates the Jaccard similarity, as MinHash.jaccard
    does): building an LSH index of the window for each new item cost 5 s of CPU an item with
    three days of 200 feeds (bench/press.py), this about a hundredth of it."""
    config = settings.CITYOPS_PRESS
    threshold = float(config["story_threshold"])
    window = timedelta(days=int(config["story_window_days"]))
    mine = signature_values(bytes(item.signature))
    if mine is None:
        return None
    recent = list(
        Item.objects.filter(
            dated_at__gte=item.dated_at - window,
            dated_at__lte=item.dated_at + window,
            story__isnull=False,
        )
        .exclude(pk=item.pk)
        .exclude(signature=b"")
        .values_list("story_id", "signature")
    )
    rows = [(story_id, bytes(data)) for story_id, data in recent if len(data) == SIGNATURE_BYTES]
    if not rows:
        return None
    others = np.frombuffer(b"".join(data for _, data in rows), dtype="<u4").reshape(len(rows), -1)
    similarity = (others == mine).mean(axis=1)
    best = int(similarity.argmax())
    return Story.objects.get(pk=rows[best][0]) if similarity[best] >= threshold else None


@transaction.atomic
def item_group(*, item: Item) -> Story:
    """Put the item in the story of its nearest near-duplicate, or in a new story; then refresh
    the story and check its alarms."""
    from cityops.press.services.alarms import story_alarms_check

    _grouping_lock()
    if not item.signature:
        item.signature = item_signature(item)
        item.save(update_fields=["signature"])
    story = item.story if item.story_id is not None else _nearest_story(item)
    if story is None:
        story = Story.objects.create(
            headline=item.title or item.lead[:500] or item.url[:500],
            first_seen_at=item.dated_at,
            last_seen_at=item.dated_at,
        )
    if item.story_id != story.pk:
        item.story = story
        item.save(update_fields=["story"])
    story = story_refresh(story=story)
    story_reports_link(story=story)
    story_alarms_check(story=story)
    return story


def _weighted_vote(values: list[tuple[str, float]]) -> tuple[str, float | None]:
    """The value with the greatest summed weight and its share of all weight."""
    weights: defaultdict[str, float] = defaultdict(float)
    for value, weight in values:
        if value:
            weights[value] += max(weight, 0.01)
    if not weights:
        return "", None
    total = sum(weights.values())
    best = max(sorted(weights), key=lambda value: weights[value])
    return best, round(weights[best] / total, 4)


def story_refresh(*, story: Story) -> Story:
    """Work the story's figures out again from its items: dates, counts, headline (the first
    item's title), tone (the items' tones weighed by confidence), category and place (the most
    frequent among its items)."""
    items = Item.objects.filter(story=story)
    figures = items.aggregate(
        first=Min("dated_at"),
        last=Max("dated_at"),
        count=Count("pk"),
        outlets=Count("source", distinct=True),
    )
    if not figures["count"]:
        return story
    rows = list(
        items.order_by("dated_at", "pk").values_list(
            "title", "tone", "tone_confidence", "category_id", "area_id"
        )
    )
    story.first_seen_at, story.last_seen_at = figures["first"], figures["last"]
    story.item_count, story.outlet_count = figures["count"], figures["outlets"]
    story.headline = next((row[0] for row in rows if row[0]), story.headline)[:500]
    story.tone, story.tone_confidence = _weighted_vote(
        [
            (tone, confidence if confidence is not None else 0.5)
            for _, tone, confidence, _, _ in rows
        ]
    )
    categories = Counter(row[3] for row in rows if row[3] is not None)
    story.category_id = categories.most_common(1)[0][0] if categories else None
    areas = Counter(row[4] for row in rows if row[4] is not None)
    story.area_id = areas.most_common(1)[0][0] if areas else None
    story.lat = story.lon = None
    area = story.area if story.area_id is not None else None
    if area is not None:
        story.lat, story.lon = area.centroid_lat, area.centroid_lon
    story.save()
    return story


def story_reports_link(*, story: Story) -> list[StoryReport]:
    """Tie to the story the field reports of its category near its place within the days around
    it (``reports_alike_story``); links already there stay."""
    links = []
    known = set(StoryReport.objects.filter(story=story).values_list("report_id", flat=True))
    for report in reports_alike_story(story=story):
        if report.pk not in known:
            links.append(
                StoryReport.objects.create(
                    story=story, report=report, origin=StoryReportOrigin.MATCHED
                )
            )
    return links
