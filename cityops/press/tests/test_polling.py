"""Polling the outlets: conditional requests, errors and back-off, a slow outlet, each item once,
dates, the poll command and the minute's scheduler."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from cityops.press.choices import SourceKind
from cityops.press.models import Item, Source
from cityops.press.services import backoff_for, source_poll, sources_claim_due
from cityops.press.tasks import poll_due_sources
from cityops.press.tests.conftest import NOW
from cityops.press.tests.factories import SourceFactory
from cityops.press.web import same_site

pytestmark = pytest.mark.django_db


def outlet(press_server, path: str, name: str, **kwargs) -> Source:
    return SourceFactory(name=name, url=press_server.url(path), **kwargs)


def test_a_feed_is_read_with_each_article_page(press_server, categories, frozen):
    source = outlet(press_server, "/a/rss.xml", "Báo Sông Hương")

    polled = source_poll(source=source)

    assert (polled.outcome, polled.new, polled.seen) == ("fetched", 2, 0)
    flood = Item.objects.get(title__startswith="Mưa lớn")
    assert flood.url == press_server.url("/a/mua-lon-ngap-phu-hoi.html")  # utm_* dropped
    assert flood.guid == "a-1001"
    assert "Nguyễn Văn A, Giám đốc Sở Xây dựng" in flood.text
    assert flood.lead == "Mưa lớn kéo dài khiến nhiều tuyến đường ở phường Phú Hội bị ngập sâu."
    assert flood.language == "vi"
    assert len(flood.content_hash) == 64
    assert flood.fetched_at == NOW
    source.refresh_from_db()
    assert source.etag == '"a-v1"'
    assert source.last_fetched_at == NOW
    assert source.next_poll_at == NOW + timedelta(seconds=900)
    assert press_server.headers_of_last("/a/mua-lon-ngap-phu-hoi.html")["user-agent"] == (
        "CityOps press monitor"
    )


def test_an_unchanged_feed_answers_304_to_its_etag(press_server, categories, frozen):
    source = outlet(press_server, "/a/rss.xml", "Báo Sông Hương")
    source_poll(source=source)

    again = source_poll(source=source)

    assert again.outcome == "not_modified"
    assert press_server.headers_of_last("/a/rss.xml")["if-none-match"] == '"a-v1"'
    assert Item.objects.count() == 2
    source.refresh_from_db()
    assert source.consecutive_errors == 0
    assert source.etag == '"a-v1"'


def test_an_unchanged_feed_answers_304_to_its_last_modified(press_server, categories, frozen):
    source = outlet(press_server, "/b/atom.xml", "Tin Cố Đô")
    assert source_poll(source=source).new == 1

    again = source_poll(source=source)

    assert again.outcome == "not_modified"
    sent = press_server.headers_of_last("/b/atom.xml")
    assert sent["if-modified-since"] == "Sat, 05 Dec 2026 02:20:00 GMT"
    assert "if-none-match" not in sent


def test_items_are_fetched_once_when_the_feed_comes_again(press_server, categories, frozen):
    source = outlet(press_server, "/c/rss.xml", "Người Huế Online")  # no validators: 200 again
    source_poll(source=source)

    again = source_poll(source=source)

    assert (again.outcome, again.new, again.seen) == ("fetched", 0, 1)
    assert Item.objects.count() == 1
    assert press_server.hits("/c/ngap-sau-phu-hoi.html") == 1  # the page read once


def test_publication_dates_come_from_the_feed_else_the_page_in_utc(
    press_server, categories, frozen
):
    for path, name in (("/a/rss.xml", "A"), ("/b/atom.xml", "B"), ("/c/rss.xml", "C")):
        source_poll(source=outlet(press_server, path, name))

    dates = {item.source.name: item.published_at for item in Item.objects.all()}
    festival = Item.objects.get(title__startswith="Lễ hội")

    assert Item.objects.get(source__name="A", title__startswith="Mưa").published_at == datetime(
        2026, 12, 5, 1, 30, tzinfo=UTC
    )  # pubDate, +07:00
    assert dates["B"] == datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # Atom <published>
    assert dates["C"] == datetime(2026, 12, 5, 3, 15, tzinfo=UTC)  # the page's meta
    assert festival.published_at == datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    assert all(item.dated_at == item.published_at for item in Item.objects.all())


def test_a_server_error_backs_off_longer_each_time(press_server, frozen):
    source = outlet(press_server, "/error/rss.xml", "Báo lỗi", poll_interval=600)

    first = source_poll(source=source)
    source.refresh_from_db()
    after_one = (source.consecutive_errors, source.backoff_seconds, source.next_poll_at)
    source_poll(source=source)
    source.refresh_from_db()

    assert first.outcome == "error"
    assert "HTTP 500" in source.last_error
    assert after_one == (1, 1200, NOW + timedelta(seconds=1200))
    assert (source.consecutive_errors, source.backoff_seconds) == (2, 2400)
    assert source.next_poll_at == NOW + timedelta(seconds=2400)
    assert source.last_fetched_at is None


def test_back_off_is_capped(settings):
    settings.CITYOPS_PRESS = {**settings.CITYOPS_PRESS, "backoff_max_seconds": 3600}
    assert [backoff_for(interval=900, errors=n) for n in (1, 2, 3, 10, 100)] == [
        1800,
        3600,
        3600,
        3600,
        3600,
    ]


def test_a_good_poll_after_errors_resets_the_back_off(press_server, categories, frozen):
    source = outlet(press_server, "/c/rss.xml", "Người Huế Online")
    Source.objects.filter(pk=source.pk).update(consecutive_errors=3, backoff_seconds=7200)
    source.refresh_from_db()

    source_poll(source=source)

    source.refresh_from_db()
    assert (source.consecutive_errors, source.backoff_seconds) == (0, 0)
    assert source.next_poll_at == NOW + timedelta(seconds=900)


def test_a_page_that_is_not_a_feed_is_an_error(press_server, frozen):
    source = outlet(press_server, "/notafeed/rss.xml", "Không phải feed")

    polled = source_poll(source=source)

    assert polled.outcome == "error"
    source.refresh_from_db()
    assert source.consecutive_errors == 1
    assert "feed" in source.last_error.lower()


def test_a_slow_source_times_out_and_the_others_are_still_polled(
    press_server, categories, frozen, settings, press_settings
):
    settings.CITYOPS_PRESS = {**press_settings, "connect_timeout": 1.0, "read_timeout": 1.0}
    slow = outlet(press_server, "/slow/rss.xml", "Báo chậm")
    outlet(press_server, "/a/rss.xml", "Báo Sông Hương")
    outlet(press_server, "/b/atom.xml", "Tin Cố Đô")

    started = time.monotonic()
    handed_out = poll_due_sources.call()
    elapsed = time.monotonic() - started

    assert handed_out == 3
    assert elapsed < 1.9  # the slow answer (2 s) was not waited for
    assert set(Item.objects.values_list("source__name", flat=True)) == {
        "Báo Sông Hương",
        "Tin Cố Đô",
    }
    slow.refresh_from_db()
    assert slow.consecutive_errors == 1
    assert "Timed out" in slow.last_error


def test_the_scheduler_hands_out_only_due_sources_and_once(press_server, frozen):
    due = SourceFactory(next_poll_at=NOW - timedelta(minutes=1))
    never = SourceFactory(next_poll_at=None)
    soon = SourceFactory(next_poll_at=NOW + timedelta(seconds=20))  # before the next minute's run
    SourceFactory(next_poll_at=NOW + timedelta(seconds=50))
    SourceFactory(next_poll_at=NOW + timedelta(minutes=5))
    SourceFactory(next_poll_at=None, is_active=False)
    SourceFactory(next_poll_at=None, kind=SourceKind.SOCIAL, url="")

    first = sources_claim_due()
    second = sources_claim_due()

    assert sorted(first) == sorted([due.pk, never.pk, soon.pk])
    assert second == []


def test_a_page_over_the_size_cap_leaves_the_feed_text(press_server, categories, frozen, settings):
    settings.CITYOPS_PRESS = {**settings.CITYOPS_PRESS, "max_page_bytes": 200}
    source = outlet(press_server, "/a/rss.xml", "Báo Sông Hương")

    source_poll(source=source)

    flood = Item.objects.get(title__startswith="Mưa lớn")
    assert flood.text == ""
    assert flood.lead.startswith("Mưa lớn kéo dài")


def test_only_web_addresses_are_fetched(frozen):
    from cityops.press.web import FetchError, fetch

    for url in ("file:///etc/passwd", "ftp://example.org/feed", "javascript:alert(1)"):
        with pytest.raises(FetchError):
            fetch(url, max_bytes=1000)


def test_the_poll_command_polls_one_source_and_shows_it(press_server, categories, frozen, capsys):
    source = outlet(press_server, "/c/rss.xml", "Người Huế Online")
    outlet(press_server, "/a/rss.xml", "Báo Sông Hương")

    call_command("press", "poll", "--source", str(source.pk), "--quiet-progress")

    assert "Người Huế Online: 1 new, 0 seen before." in capsys.readouterr().out
    assert Item.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "feed", "fetched"),
    [
        ("https://tuoitre.vn/a.html", "https://rss.tuoitre.vn/tin-moi.rss", True),
        ("https://m.baothuathienhue.vn/a", "https://baothuathienhue.vn/rss", True),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/feed.xml", True),
        ("http://10.0.0.5/admin", "https://rss.tuoitre.vn/tin-moi.rss", False),
        ("http://127.0.0.2/a", "http://127.0.0.1/feed.xml", False),
        ("https://evil.example/tuoitre.vn", "https://tuoitre.vn/rss", False),
        ("https://nottuoitre.vn/a", "https://tuoitre.vn/rss", False),
    ],
)
def test_article_pages_are_fetched_only_from_the_feeds_own_site(url, feed, fetched):
    assert same_site(url, feed) is fetched
