"""POST /api/v1/tourist/questions, /answers/{id}/feedback and /reports: no account needed."""

from __future__ import annotations

import pytest

from cityops.reports.choices import Channel
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.tourism.models import Shown
from cityops.tourism.services import faq_load_file

API = "/api/v1/tourist"
pytestmark = pytest.mark.django_db


@pytest.fixture
def faq(db):
    faq_load_file()
    CategoryFactory(code="tourism")


def post(client, path: str, body: dict):
    return client.post(f"{API}{path}", body, content_type="application/json")


def test_a_question_is_answered_with_the_top_three_and_their_scores(api_client, faq):
    response = post(api_client, "/questions", {"text": "How much is a ticket to the citadel?"})

    assert response.status_code == 200
    body = response.json()
    assert body["language"] == body["detected_language"] == "en"
    assert body["answered"] is True
    assert 1 <= len(body["answers"]) <= 3
    assert body["answers"][0]["entry"] == "imperial-city-tickets"
    assert body["answers"][0]["score"] > 0
    assert body["conversation"]


def test_the_language_can_be_overridden(api_client, faq):
    body = post(api_client, "/questions", {"text": "Thien Mu pagoda", "language": "ja"}).json()
    assert body["language"] == "ja"
    assert body["answers"][0]["language"] == "ja"


def test_an_unanswered_question_says_so_and_offers_the_ioc(api_client, faq):
    body = post(api_client, "/questions", {"text": "Who won the football yesterday?"}).json()
    assert body["answered"] is False
    assert body["answers"] == []
    assert "IOC" in body["message"]


def test_feedback_and_a_complaint_reach_the_ioc_with_the_transcript(api_client, faq):
    first = post(api_client, "/questions", {"text": "出租车司机多收了我很多钱"}).json()
    assert first["complaint"] is True
    asked = post(
        api_client,
        "/questions",
        {"text": "报警电话是多少？", "conversation": first["conversation"]},
    ).json()
    answer = asked["answers"][0]["id"]
    helped = post(
        api_client,
        f"/answers/{answer}/feedback",
        {"conversation": asked["conversation"], "helpful": True},
    )
    assert helped.status_code == 200
    assert Shown.objects.get(pk=answer).helpful is True

    sent = post(
        api_client,
        "/reports",
        {"conversation": asked["conversation"], "contact_email": "li@example.cn"},
    )

    assert sent.status_code == 201
    body = sent.json()
    report = Report.objects.get(pk=body["report"])
    assert report.channel == Channel.TOURIST
    assert "出租车司机多收了我很多钱" in report.description
    assert report.contact_email == "li@example.cn"
    assert body["url"].endswith(f"/reports/{report.pk}")
    assert body["expected_answer_at"]
    again = post(api_client, "/reports", {"conversation": asked["conversation"]})
    assert again.status_code == 409
    assert again.json()["code"] == "already_sent"


def test_an_unknown_conversation_is_404(api_client, faq):
    response = post(api_client, "/questions", {"text": "Hello", "conversation": "nope"})
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_conversation"


def test_feedback_needs_the_conversation_of_the_answer(api_client, faq):
    mine = post(api_client, "/questions", {"text": "Airport bus?"}).json()
    theirs = post(api_client, "/questions", {"text": "Emergency numbers"}).json()
    response = post(
        api_client,
        f"/answers/{theirs['answers'][0]['id']}/feedback",
        {"conversation": mine["conversation"], "helpful": False},
    )
    assert response.status_code == 404


def test_a_report_without_anything_to_say_is_refused(api_client, faq):
    response = post(api_client, "/reports", {"message": "", "contact_email": "x"})
    assert response.status_code == 400
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/questions", {"text": "Emergency numbers"}),
        ("/reports", {"message": "The hotel charged twice"}),
    ],
)
def test_the_tourist_endpoints_are_rate_limited_per_address(
    api_client, faq, tight_limits, path, body
):
    statuses = [post(api_client, path, body).status_code for _ in range(3)]
    assert statuses[2] == 429
    assert statuses[0] in (200, 201)
