"""The leaders' press page on the dashboard: stories by day, tones, top stories, watched names,
and the way to the console's press pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from cityops.press.models import Story
from cityops.press.tests.conftest import NOW
from cityops.press.tests.pages import FLOOD, flood_story, polled

__all__ = ["polled"]  # the fixture, used by name

pytestmark = pytest.mark.django_db

PRESS = reverse("dashboard:press")


def as_user(client, user):
    """Signed in, reading English (the Vietnamese words are the translators')."""
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_leader_reads_what_the_press_said_this_week(client, leader, polled):
    response = as_user(client, leader).get(PRESS)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="bar-items"') == 7
    assert re.search(r'data-figure="stories">\s*2<', html)
    assert re.search(r'data-figure="negative">\s*1<', html)
    assert re.search(r'data-figure="items">\s*4<', html)
    assert response.context["split"] == {"negative": 1, "neutral": 0, "positive": 1}
    assert response.context["top"][0].headline.startswith(FLOOD)
    names = [(e.name, e.mention_count, e.negative_count) for e in response.context["watched"]]
    assert ("Nguyễn Văn A", 3, 3) in names
    # Each story and the console's press page are a link away.
    assert reverse("console:press:story", args=[flood_story().pk]) in html
    assert reverse("console:press:overview") in html
    assert f'href="{PRESS}" aria-current="page"' in html


def test_the_press_page_with_nothing_published(client, leader, frozen):
    response = as_user(client, leader).get(PRESS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was published in this period." in html
    assert "The watch list is empty." in html
    assert response.context["top"] == []


def test_the_period_narrows_the_press_page(client, operator, polled):
    as_user(client, operator)

    today = client.get(PRESS, {"period": "today"})
    december_fifth = client.get(PRESS, {"date_from": "2026-12-05", "date_to": "2026-12-05"})
    month = client.get(PRESS, {"period": "30d"})

    assert today.context["top"] == []
    assert [story.headline[: len(FLOOD)] for story in december_fifth.context["top"]] == [FLOOD]
    assert len(month.context["days"]) == 30
    assert "period=30d" in month.content.decode()  # kept in the link to the console


def test_the_top_stories_are_ten(client, leader, frozen):
    for number in range(12):
        Story.objects.create(
            headline=f"Tin số {number}",
            first_seen_at=NOW - timedelta(hours=number),
            last_seen_at=NOW - timedelta(hours=number),
            item_count=1,
            outlet_count=1 + number,
        )

    response = as_user(client, leader).get(PRESS)

    top = response.context["top"]
    assert len(top) == 10
    assert top[0].headline == "Tin số 11"  # told by the most outlets


@pytest.mark.parametrize("who", ["citizen", "agency_staff"])
def test_citizens_and_agencies_may_not_open_the_press_page(client, who, request):
    assert as_user(client, request.getfixturevalue(who)).get(PRESS).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PRESS)

    assert response.status_code == 302
    assert "/account/sign-in" in response["Location"]


def test_the_dashboard_menu_offers_the_press_page(client, leader, frozen):
    html = as_user(client, leader).get(reverse("dashboard:overview")).content.decode()

    assert f'href="{PRESS}"' in html
