"""What the press pages' tests share: three outlets polled from the local press server (a
flood told by three of them, a festival by one), a watch list, items written by hand."""

from __future__ import annotations

from datetime import datetime

import pytest

from cityops.press.choices import WatchKind
from cityops.press.extraction import ItemIn
from cityops.press.models import Item, Source, Story
from cityops.press.services import item_analyse, item_record, source_poll, watch_entry_create
from cityops.press.tests.factories import SourceFactory

FLOOD = "Mưa lớn gây ngập sâu"
FESTIVAL = "Lễ hội đèn lồng"


@pytest.fixture
def polled(press_server, categories, phu_hoi, frozen) -> dict[str, Source]:
    watch_entry_create(kind=WatchKind.AGENCY, name="Sở Xây dựng")
    watch_entry_create(kind=WatchKind.PERSON, name="Nguyễn Văn A")
    watch_entry_create(kind=WatchKind.PROJECT, name="Cầu vượt Thủy Dương")
    sources = {}
    for path, name in (("/a/rss.xml", "A"), ("/b/atom.xml", "B"), ("/c/rss.xml", "C")):
        sources[name] = SourceFactory(name=name, url=press_server.url(path))
        source_poll(source=sources[name])
    return sources


def flood_story() -> Story:
    return Story.objects.get(items__title__startswith=FLOOD)


def festival_story() -> Story:
    return Story.objects.get(items__title__startswith=FESTIVAL)


def item_written(
    source: Source, *, title: str, url: str, published_at: datetime, lead: str = ""
) -> Item:
    """An item kept and read as a poll would (tone and category by the tests' word rules)."""
    recorded = item_record(
        source=source,
        entry=ItemIn(url=url, title=title, lead=lead, text=lead, published_at=published_at),
    )
    assert recorded.item is not None
    return item_analyse(item=recorded.item)
