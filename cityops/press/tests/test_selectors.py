"""The reads the console, dashboard, digest and exports use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cityops.press.choices import WatchKind
from cityops.press.models import Story
from cityops.press.selectors import (
    counts_by_source,
    items_for_export,
    stories_by_day,
    stories_top,
    story_detail,
    tone_split,
    watch_entries_with_counts,
)
from cityops.press.services import source_poll, watch_entry_create
from cityops.press.tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 4 December, 00:00 in Huế
END = START + timedelta(days=3)


@pytest.fixture
def polled(press_server, categories, phu_hoi, frozen):
    watch_entry_create(kind=WatchKind.AGENCY, name="Sở Xây dựng")
    watch_entry_create(kind=WatchKind.PERSON, name="Nguyễn Văn A")
    watch_entry_create(kind=WatchKind.PROJECT, name="Cầu vượt Thủy Dương")
    for path, name in (("/a/rss.xml", "A"), ("/b/atom.xml", "B"), ("/c/rss.xml", "C")):
        source_poll(source=SourceFactory(name=name, url=press_server.url(path)))


def test_stories_and_items_by_day_in_the_citys_days(polled):
    days = stories_by_day(start=START, end=END)

    assert [(d.day, d.stories, d.items) for d in days] == [
        (date(2026, 12, 4), 1, 1),  # the festival, 19:00 local
        (date(2026, 12, 5), 1, 3),  # the flood, three outlets
        (date(2026, 12, 6), 0, 0),
    ]


def test_tone_split_counts_stories(polled):
    assert tone_split(start=START, end=END) == {"negative": 1, "neutral": 0, "positive": 1}


def test_counts_by_source(polled):
    counts = [(c.source.name, c.items, c.negative) for c in counts_by_source(start=START, end=END)]

    assert counts == [("A", 2, 1), ("B", 1, 1), ("C", 1, 1)]


def test_watched_entries_with_their_counts(polled):
    rows = [
        (entry.name, entry.mention_count, entry.negative_count)
        for entry in watch_entries_with_counts(start=START, end=END)
    ]

    assert rows == [
        ("Sở Xây dựng", 3, 3),
        ("Nguyễn Văn A", 3, 3),
        ("Cầu vượt Thủy Dương", 0, 0),
    ]


def test_top_stories_by_outlets(polled):
    top = list(stories_top(start=START, end=END, limit=5))

    assert [story.outlet_count for story in top] == [3, 1]
    assert top[0].headline.startswith("Mưa lớn")


def test_a_storys_detail_in_a_few_queries(polled, django_assert_max_num_queries):
    flood = Story.objects.get(items__title__startswith="Mưa lớn")

    with django_assert_max_num_queries(4):
        detail = story_detail(pk=flood.pk)
        names = [
            (item.source.name, [m.entry.name for m in item.mentions.all()]) for item in detail.items
        ]

    assert [name for name, _ in names] == ["A", "B", "C"]
    assert all(set(found) == {"Sở Xây dựng", "Nguyễn Văn A"} for _, found in names)
    assert len(detail.mentions) == 6
    assert story_detail(pk=0) is None


def test_items_for_export(polled, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = [
            (item.source.name, item.story.headline[:7], item.category.code)
            for item in items_for_export(start=START, end=END, tone="negative")
        ]

    assert [row[0] for row in rows] == ["A", "B", "C"]
    assert len(items_for_export(start=START, end=END)) == 4
