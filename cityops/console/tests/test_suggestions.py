"""What operators are offered: the category and priority suggested beside the triage and hotline
forms, what is recorded when they accept, and the month's share of suggestions kept."""

from __future__ import annotations

import re

import pytest

from cityops.console.tests.conftest import signed_in
from cityops.reports.choices import EventKind, Priority
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit

FLOOD = "Nước ngập sâu đến đầu gối ở kiệt 12 Nguyễn Trãi, cống thoát nước bị tắc"


@pytest.fixture
def urban(db):
    return CategoryFactory(
        code="urban-infrastructure", name="Hạ tầng đô thị", name_en="Urban infrastructure"
    )


def url(report, action: str = "") -> str:
    return f"/console/reports/{report.pk}/" + (f"{action}/" if action else "")


def test_the_triage_page_suggests_a_priority_with_its_cues_beside_the_category(
    operator_client, urban
):
    report = submit(category=CategoryFactory(code="other"), description=FLOOD)

    page = operator_client.get(url(report)).content.decode()

    assert re.search(r"Suggested: Urban infrastructure \(\d+%\) · Urgent \(ngập sâu\)", page)


def test_accepting_records_what_was_suggested_beside_what_the_operator_chose(
    operator_client, urban, category
):
    report = submit(category=CategoryFactory(code="other"), description=FLOOD)

    operator_client.post(
        url(report, "accept"),
        {"accept-category": "sanitation", "accept-priority": "urgent", "accept-note": ""},
    )

    data = report.events.get(kind=EventKind.ACCEPTED).data
    assert (data["category"], data["priority"]) == ("sanitation", Priority.URGENT)
    assert data["suggested"] == {
        "category": "urban-infrastructure",
        "priority": "urgent",
        "source": "text",
    }


def test_the_queue_shows_how_often_this_months_suggestions_were_kept(
    operator_client, urban, category
):
    for chosen in ("urban-infrastructure", "urban-infrastructure", "sanitation"):
        report = submit(category=urban, description=FLOOD)
        operator_client.post(
            url(report, "accept"),
            {"accept-category": chosen, "accept-priority": "normal", "accept-note": ""},
        )

    page = operator_client.get("/console/").content.decode()

    assert "Classification suggestions" in page
    assert re.search(
        r"\d+/\d{4}: 67% of category suggestions kept \(2/3\), 0% of priority suggestions", page
    )


def test_the_queue_says_when_nothing_was_accepted_with_a_suggestion_yet(operator_client):
    page = operator_client.get("/console/").content.decode()
    assert "no report accepted with a suggestion yet" in page


def test_the_hotline_form_asks_for_a_suggestion_as_the_operator_types(operator, urban):
    client = signed_in(operator)

    answer = client.get("/console/hotline/suggest/", {"text": FLOOD}).json()

    assert answer["category"] == "urban-infrastructure"
    assert (answer["priority"], answer["cues"]) == ("urgent", ["ngập sâu"])
    assert re.fullmatch(
        r"Suggested: Urban infrastructure \(\d+%\) · Urgent \(ngập sâu\)", answer["label"]
    )
    page = client.get("/console/hotline/").content.decode()
    assert 'data-url="/console/hotline/suggest/"' in page


def test_a_hotline_form_sent_back_keeps_its_suggestion(operator, urban):
    client = signed_in(operator)

    response = client.post(
        "/console/hotline/submit/", {"description": FLOOD, "category": "urban-infrastructure"}
    )

    assert response.status_code == 400  # no phone number, no place
    assert "· Urgent (ngập sâu)" in response.content.decode()


def test_only_operators_ask_for_hotline_suggestions(client, leader):
    assert client.get("/console/hotline/suggest/", {"text": FLOOD}).status_code == 302
    assert signed_in(leader).get("/console/hotline/suggest/", {"text": FLOOD}).status_code == 403
