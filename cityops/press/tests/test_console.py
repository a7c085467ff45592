"""The console's press pages: the overview of a period, the stories and their filters, a story
turned into a field report, the sources' state, the watch list and its import, the export."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityops.press.choices import StoryReportOrigin, WatchKind
from cityops.press.models import Source, Story, StoryReport, WatchEntry
from cityops.press.services import watch_entry_create
from cityops.press.tests.conftest import NOW
from cityops.press.tests.factories import SourceFactory
from cityops.press.tests.pages import (
    FESTIVAL,
    FLOOD,
    festival_story,
    flood_story,
    item_written,
    polled,
)
from cityops.reports.choices import Channel, ReportStatus
from cityops.reports.models import Report

__all__ = ["polled"]  # the fixture, used by name

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("console:press:overview")
STORIES = reverse("console:press:stories")
SOURCES = reverse("console:press:sources")
WATCH = reverse("console:press:watch")
EXPORT = reverse("console:press:export")


def as_user(client, user):
    """Signed in, reading English (the Vietnamese words are the translators')."""
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def story_url(story: Story) -> str:
    return reverse("console:press:story", args=[story.pk])


def listed_headlines(response) -> list[str]:
    return [story.headline for story in response.context["page"]]


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [OVERVIEW, STORIES, SOURCES, WATCH, EXPORT])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert "/account/sign-in" in response["Location"]


@pytest.mark.parametrize("who", ["citizen", "agency_staff"])
def test_citizens_and_agencies_may_not_open_the_press_pages(client, polled, who, request):
    as_user(client, request.getfixturevalue(who))
    story = flood_story()

    for url in (OVERVIEW, STORIES, SOURCES, WATCH, EXPORT, story_url(story)):
        assert client.get(url).status_code == 403
    assert client.post(reverse("console:press:to_report", args=[story.pk])).status_code == 403
    assert client.post(reverse("console:press:watch_import")).status_code == 403
    assert not Report.objects.exists()


def test_the_console_menu_offers_the_press(client, operator):
    html = html_of(as_user(client, operator).get(reverse("console:queue")))

    assert f'href="{OVERVIEW}"' in html


# --- the overview -----------------------------------------------------------------------------


def test_the_overview_shows_the_last_seven_days(client, operator, polled):
    response = as_user(client, operator).get(OVERVIEW)
    html = html_of(response)

    assert response.context["period"].first_day.isoformat() == "2026-12-01"
    # Stories by day: a bar pair per day, the flood's day with its three items.
    assert html.count('class="bar-items"') == 7
    assert "05/12/2026: 1 new story, 3 items" in html
    assert re.search(r'data-figure="stories">\s*2<', html)
    assert re.search(r'data-figure="negative">\s*1<', html)
    assert re.search(r'data-figure="items">\s*4<', html)
    # The tone split, the sources, the watched names with their counts, the top stories.
    assert response.context["split"] == {"negative": 1, "neutral": 0, "positive": 1}
    assert [(row.source.name, row.items, row.negative) for row in response.context["sources"]] == [
        ("A", 2, 1),
        ("B", 1, 1),
        ("C", 1, 1),
    ]
    watched = [(e.name, e.mention_count, e.negative_count) for e in response.context["watched"]]
    assert watched[0] == ("Sở Xây dựng", 3, 3)
    top = response.context["top"]
    assert top[0] == flood_story()
    assert f'href="{story_url(flood_story())}"' in html
    assert f'href="{story_url(festival_story())}"' in html


def test_the_overview_of_an_empty_press(client, operator, frozen):
    html = html_of(as_user(client, operator).get(OVERVIEW))

    assert "Nothing was published in this period." in html
    assert 'class="bar-items"' not in html
    assert "The watch list is empty." in html
    assert "No source is followed yet." in html
    assert "No story in this period." in html


@pytest.mark.parametrize(
    ("query", "stories", "days"),
    [
        ({"period": "today"}, 0, 1),
        ({"period": "7d"}, 2, 7),
        ({"period": "30d"}, 2, 30),
        ({"period": "custom", "date_from": "2026-12-05", "date_to": "2026-12-05"}, 1, 1),
        ({"date_from": "2026-12-04", "date_to": "2026-12-04"}, 1, 1),  # dates alone: chosen
    ],
)
def test_the_period_filter(client, operator, polled, query, stories, days):
    response = as_user(client, operator).get(OVERVIEW, query)

    assert response.status_code == 200
    assert sum(response.context["split"].values()) == stories
    assert len(response.context["days"]) == days


def test_wrong_dates_are_shown_and_the_last_seven_days_used(client, operator, polled):
    response = as_user(client, operator).get(
        OVERVIEW, {"period": "custom", "date_from": "2026-12-05", "date_to": "2026-12-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert len(response.context["days"]) == 7


# --- the stories ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [FLOOD, FESTIVAL]),
        ({"tone": "negative"}, [FLOOD]),
        ({"tone": "positive"}, [FESTIVAL]),
        ({"source": "C"}, [FLOOD]),
        ({"entry": "Nguyễn Văn A"}, [FLOOD]),
        ({"q": "đèn lồng"}, [FESTIVAL]),
        ({"q": "Phú Hội ngập"}, [FLOOD]),  # every word, in the headline or an item
        ({"q": "phu hoi NGAP"}, [FLOOD]),  # without diacritics, in any case
        ({"q": "không có"}, []),
        ({"period": "today"}, []),
    ],
)
def test_the_stories_filters(client, operator, polled, params, expected):
    if "source" in params:
        params["source"] = polled[params["source"]].pk
    if "entry" in params:
        params["entry"] = WatchEntry.objects.get(name=params["entry"]).pk

    response = as_user(client, operator).get(STORIES, params)

    assert response.status_code == 200
    headlines = listed_headlines(response)
    assert len(headlines) == len(expected)
    for headline, start in zip(headlines, expected, strict=True):
        assert headline.startswith(start)


def test_the_stories_are_paged_in_a_few_queries(
    client, operator, frozen, django_assert_max_num_queries
):
    as_user(client, operator)
    for number in range(30):
        Story.objects.create(
            headline=f"Tin số {number}",
            first_seen_at=NOW - timedelta(hours=number),
            last_seen_at=NOW - timedelta(hours=number),
            item_count=1,
            outlet_count=1,
        )

    with django_assert_max_num_queries(12):
        first = client.get(STORIES)
    second = client.get(STORIES, {"page": 2})

    assert first.context["page"].paginator.count == 30
    assert listed_headlines(first)[0] == "Tin số 0"
    assert len(listed_headlines(second)) == 5
    assert 'rel="next"' in first.content.decode()


def test_the_stories_of_an_empty_press(client, operator, frozen):
    response = as_user(client, operator).get(STORIES)

    assert response.status_code == 200
    assert listed_headlines(response) == []


# --- a story ----------------------------------------------------------------------------------


def test_a_story_shows_each_outlets_item_with_the_watched_names_marked(client, operator, polled):
    story = flood_story()
    response = as_user(client, operator).get(story_url(story))
    html = html_of(response)

    assert len(response.context["items"]) == 3
    for outlet in ("<strong>A</strong>", "<strong>B</strong>", "<strong>C</strong>"):
        assert outlet in html
    for item in story.items.all():
        assert f'href="{item.url}" rel="noopener noreferrer"' in html
    assert "<mark>Sở Xây dựng</mark>" in html  # in the words around it, in the text
    assert "Phường Phú Hội" in html  # the place
    assert (story.category.name_en or story.category.name) in html  # in English
    assert f"confidence {round(story.tone_confidence * 100)} %" in html
    assert 'action="' + reverse("console:press:to_report", args=[story.pk]) + '"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_leader_reads_a_story_without_the_report_form(client, leader, polled):
    story = flood_story()
    html = html_of(as_user(client, leader).get(story_url(story)))

    assert story.headline in html
    assert reverse("console:press:to_report", args=[story.pk]) not in html
    response = client.post(reverse("console:press:to_report", args=[story.pk]))
    assert response.status_code == 403


def test_an_unknown_story_is_not_found(client, operator, frozen):
    response = as_user(client, operator).get(reverse("console:press:story", args=[999]))

    assert response.status_code == 404


def test_press_text_is_escaped_on_every_page(client, operator, categories, frozen):
    source = SourceFactory(name='Báo <b>"X"</b>')
    evil = item_written(
        source,
        title='<script>alert("x")</script> Ngập sâu đường Lê Lợi',
        lead='<img src=x onerror="alert(1)"> dẫn',
        url="https://bao-x.vn/ngap",
        published_at=NOW - timedelta(hours=2),
    )
    as_user(client, operator)

    for url in (OVERVIEW, STORIES, story_url(evil.story), reverse("dashboard:press")):
        html = html_of(client.get(url))
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    detail = html_of(client.get(story_url(evil.story)))
    assert "<img src=x" not in detail
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in detail
    assert "<b>" not in detail


# --- turning a story into a field report ------------------------------------------------------


def test_an_operator_turns_a_story_into_one_report(client, operator, agency, polled):
    story = flood_story()
    to_report = reverse("console:press:to_report", args=[story.pk])
    as_user(client, operator)
    category = story.category

    response = client.post(
        to_report, {"category": category.pk, "agency": agency.pk, "note": "Kiểm tra gấp."}
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:report", args=[report.pk])
    assert report.channel == Channel.PRESS
    assert (report.status, report.agency) == (ReportStatus.ASSIGNED, agency)
    assert "Kiểm tra gấp." in report.description
    link = StoryReport.objects.get(story=story, report=report)
    assert link.origin == StoryReportOrigin.CREATED
    # The story's page now says so, without the form.
    html = html_of(client.get(story_url(story)))
    assert reverse("console:report", args=[report.pk]) in html
    assert to_report not in html

    again = client.post(to_report, {"category": category.pk}, follow=True)

    assert Report.objects.count() == 1
    assert again.redirect_chain[-1][0] == story_url(story)
    assert f"This story is report #{report.pk} already." in again.content.decode()


def test_a_report_without_an_agency_waits_in_the_queue(client, operator, polled):
    story = festival_story()
    as_user(client, operator).post(
        reverse("console:press:to_report", args=[story.pk]),
        {"category": story.category.pk, "agency": ""},
    )

    report = Report.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    assert report.agency is None


def test_a_report_needs_a_category(client, operator, polled):
    story = flood_story()

    response = as_user(client, operator).post(
        reverse("console:press:to_report", args=[story.pk]), {"category": "0"}, follow=True
    )

    assert not Report.objects.exists()
    assert response.redirect_chain[-1][0] == story_url(story)
    assert "message-error" in response.content.decode()


# --- sources and the watch list ---------------------------------------------------------------


def test_the_sources_page_shows_their_polling_state(client, operator, polled, press_server):
    broken = SourceFactory(name="Báo hỏng", url=press_server.url("/error/rss.xml"))
    Source.objects.filter(pk=broken.pk).update(
        consecutive_errors=3,
        backoff_seconds=1800,
        last_error="HTTP 500 from the feed",
        last_error_at=timezone.now(),
        next_poll_at=timezone.now() + timedelta(minutes=30),
    )

    response = as_user(client, operator).get(SOURCES)
    html = html_of(response)

    rows = [(s.name, s.item_count) for s in response.context["sources"]]
    assert rows[0] == ("Báo hỏng", 0)  # errors first
    assert ("A", 2) in rows
    assert "HTTP 500 from the feed" in html
    assert "1800" in html
    assert "source-failing" in html


def test_the_sources_page_without_sources(client, operator):
    html = html_of(as_user(client, operator).get(SOURCES))

    assert "<tbody>" in html


def test_the_watch_list_links_administrators_to_the_admin(client, admin_user, operator, frozen):
    entry = watch_entry_create(kind=WatchKind.PERSON, name="Nguyễn Văn A", aliases=["NVA"])

    admin_html = html_of(as_user(client, admin_user).get(WATCH))
    operator_html = html_of(as_user(client, operator).get(WATCH))

    change = reverse("admin:press_watchentry_change", args=[entry.pk])
    assert change in admin_html
    assert change not in operator_html
    assert "NVA" in operator_html
    assert 'enctype="multipart/form-data"' in operator_html


def test_a_leader_reads_the_watch_list_without_the_import(client, leader, frozen):
    html = html_of(as_user(client, leader).get(WATCH))

    assert reverse("console:press:watch_import") not in html


def test_an_operator_imports_watch_entries_from_csv(client, operator, agency, frozen):
    content = (
        "\ufeffkind,name,aliases,area,agency\n"
        "person,Nguyễn Văn B,Ông B|NVB,,\n"
        f"agency,Sở Xây dựng,SXD,,{agency.code}\n"
        "planet,Sao Hỏa,,,\n"
    ).encode()
    upload = SimpleUploadedFile("watch.csv", content, content_type="text/csv")

    response = as_user(client, operator).post(
        reverse("console:press:watch_import"), {"file": upload}, follow=True
    )

    assert response.redirect_chain[-1][0] == WATCH
    assert set(WatchEntry.objects.values_list("name", flat=True)) == {
        "Nguyễn Văn B",
        "Sở Xây dựng",
    }
    assert WatchEntry.objects.get(name="Sở Xây dựng").agency == agency
    html = response.content.decode()
    assert "Watch list: 2 created, 0 updated." in html
    assert "line 4: a kind" in html


def test_an_import_without_a_file_says_so(client, operator, frozen):
    response = as_user(client, operator).post(reverse("console:press:watch_import"), follow=True)

    assert not WatchEntry.objects.exists()
    assert "This field is required." in response.content.decode()


# --- the export -------------------------------------------------------------------------------


def exported(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_export_streams_the_periods_items_as_csv_for_excel(client, operator, polled):
    response = as_user(client, operator).get(EXPORT)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="cityops-press-20261201-20261207.csv"'
    )
    assert response["Cache-Control"] == "private, no-store"
    rows = exported(response)
    header, body = rows[0], rows[1:]
    assert len(header) == 15
    assert len(body) == 4
    titles = [row[3] for row in body]
    assert any(title.startswith(FLOOD) for title in titles)
    assert body[0][0].endswith("+07:00")  # the city's time


def test_the_export_follows_the_filters(client, operator, polled):
    as_user(client, operator)

    negative = exported(client.get(EXPORT, {"tone": "negative"}))[1:]
    from_c = exported(client.get(EXPORT, {"source": polled["C"].pk}))[1:]
    today = exported(client.get(EXPORT, {"period": "today"}))[1:]

    assert len(negative) == 3
    assert {row[2] for row in from_c} == {"C"}
    assert today == []


def test_the_export_is_safe_from_formulas(client, operator, categories, frozen):
    source = SourceFactory(name="=cmd|' /C calc'!A0")
    item_written(
        source,
        title='=HYPERLINK("http://evil","bấm")',
        lead="@SUM(1+1) ngập",
        url="https://bao-x.vn/cong-thuc",
        published_at=NOW - timedelta(hours=1),
    )

    rows = exported(as_user(client, operator).get(EXPORT))

    row = rows[1]
    assert row[2] == "'=cmd|' /C calc'!A0"
    assert row[3] == '\'=HYPERLINK("http://evil","bấm")'
    assert row[6].startswith("'@SUM")


def test_a_leader_may_export(client, leader, polled):
    response = as_user(client, leader).get(EXPORT)

    assert response.status_code == 200
    assert len(exported(response)) == 5
