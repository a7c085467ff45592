"""Stories: the same news from three outlets in different words is one story; its figures, its
place and the field reports alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cityops.press.choices import StoryReportOrigin, Tone
from cityops.press.extraction import ItemIn
from cityops.press.models import Item, Story, StoryReport
from cityops.press.services import item_analyse, item_record, source_poll
from cityops.press.tests.factories import SourceFactory
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_outlets(press_server, categories, phu_hoi, frozen):
    for path, name in (("/a/rss.xml", "A"), ("/b/atom.xml", "B"), ("/c/rss.xml", "C")):
        source_poll(source=SourceFactory(name=name, url=press_server.url(path)))


def test_the_same_story_from_three_outlets_is_one_story(three_outlets):
    flood = Story.objects.get(items__title__startswith="Mưa lớn")

    assert flood.items.count() == 3
    assert (flood.item_count, flood.outlet_count) == (3, 3)
    assert flood.headline == "Mưa lớn gây ngập sâu nhiều tuyến đường ở phường Phú Hội"
    assert flood.first_seen_at == datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
    assert flood.last_seen_at == datetime(2026, 12, 5, 3, 15, tzinfo=UTC)
    assert Story.objects.count() == 2  # and the lantern festival, alone


def test_a_story_takes_its_items_tone_category_and_place(three_outlets, phu_hoi):
    flood = Story.objects.get(items__title__startswith="Mưa lớn")
    festival = Story.objects.get(items__title__startswith="Lễ hội")

    assert (flood.tone, flood.category.code, flood.area) == (
        Tone.NEGATIVE,
        "urban-infrastructure",
        phu_hoi,
    )
    assert (flood.lat, flood.lon) == (phu_hoi.centroid_lat, phu_hoi.centroid_lon)
    assert festival.tone == Tone.POSITIVE
    assert festival.area is None


def test_different_news_on_the_same_days_are_different_stories(categories, frozen):
    source = SourceFactory()
    texts = [
        "Mưa lớn gây ngập sâu nhiều tuyến đường ở phường Phú Hội, giao thông ùn tắc kéo dài.",
        "Thành phố khai trương tuyến xe buýt mới nối sân bay Phú Bài với trung tâm thành phố.",
    ]
    for number, text in enumerate(texts):
        recorded = item_record(
            source=source, entry=ItemIn(url=f"https://bao.vn/{number}", title=text, text=text)
        )
        item_analyse(item=recorded.item)

    assert Story.objects.count() == 2


def test_near_duplicates_outside_the_window_are_different_stories(categories, frozen):
    text = (
        "Sáng 5/12, mưa lớn kéo dài nhiều giờ khiến nhiều tuyến đường trên địa bàn phường Phú "
        "Hội bị ngập sâu, giao thông gặp nhiều khó khăn."
    )
    for number, day in enumerate((1, 10)):
        recorded = item_record(
            source=SourceFactory(),
            entry=ItemIn(
                url=f"https://bao.vn/{number}",
                title="Ngập",
                text=text,
                published_at=datetime(2026, 11, day, tzinfo=UTC),
            ),
        )
        item_analyse(item=recorded.item)

    assert Story.objects.count() == 2


def test_field_reports_of_the_category_place_and_days_are_linked(
    press_server, categories, phu_hoi, frozen
):
    near_in_time = ReportFactory(
        category=categories["urban-infrastructure"],
        area=phu_hoi,
        lat=phu_hoi.centroid_lat,
        lon=phu_hoi.centroid_lon,
        submitted_at=datetime(2026, 12, 4, 23, 0, tzinfo=UTC),
    )
    ReportFactory(  # a week before
        category=categories["urban-infrastructure"],
        area=phu_hoi,
        submitted_at=datetime(2026, 11, 25, tzinfo=UTC),
    )
    ReportFactory(  # another field
        category=categories["sanitation"],
        area=phu_hoi,
        submitted_at=datetime(2026, 12, 5, tzinfo=UTC),
    )
    ReportFactory(  # rejected
        category=categories["urban-infrastructure"],
        area=phu_hoi,
        status=ReportStatus.REJECTED,
        submitted_at=datetime(2026, 12, 5, tzinfo=UTC),
    )
    nearby_no_area = ReportFactory(
        category=categories["urban-infrastructure"],
        lat=phu_hoi.centroid_lat + 0.003,  # about 330 m north
        lon=phu_hoi.centroid_lon,
        submitted_at=datetime(2026, 12, 6, tzinfo=UTC),
    )
    source_poll(source=SourceFactory(url=press_server.url("/a/rss.xml")))
    source_poll(source=SourceFactory(url=press_server.url("/b/atom.xml")))

    flood = Story.objects.get(items__title__startswith="Mưa lớn")

    assert set(flood.reports.all()) == {near_in_time, nearby_no_area}
    assert set(StoryReport.objects.filter(story=flood).values_list("origin", flat=True)) == {
        StoryReportOrigin.MATCHED
    }


def test_an_item_seen_again_elsewhere_is_one_item(categories, frozen):
    source = SourceFactory()
    entry = ItemIn(
        url="https://bao.vn/bai-1?utm_campaign=x#binh-luan", title="Tin", text="Nội dung"
    )
    first = item_record(source=source, entry=entry)
    same_address = item_record(
        source=SourceFactory(), entry=ItemIn(url="https://BAO.vn/bai-1", title="Khác", text="Khác")
    )
    same_text = item_record(
        source=source, entry=ItemIn(url="https://m.bao.vn/bai-1", title="Tin", text="Nội dung")
    )
    wire_copy = item_record(
        source=SourceFactory(), entry=ItemIn(url="https://khac.vn/1", title="Tin", text="Nội dung")
    )

    assert first.new
    assert not same_address.new
    assert not same_text.new
    assert same_address.item == first.item == same_text.item
    assert wire_copy.new  # the same text from another outlet: another item of the story
    assert Item.objects.count() == 2


def test_a_date_far_ahead_of_the_fetch_is_not_believed(categories, frozen):
    recorded = item_record(
        source=SourceFactory(),
        entry=ItemIn(url="https://bao.vn/x", title="Tin", published_at=frozen + timedelta(days=30)),
    )

    assert recorded.item.published_at == frozen + timedelta(days=30)
    assert recorded.item.dated_at == frozen
