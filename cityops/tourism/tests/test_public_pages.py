"""The tourist help page: ask, see answers, say whether they helped, report a problem, see the
reference; every POST rate limited; the tourist's contact never shown back."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cityops.reports.choices import Channel
from cityops.reports.models import Report
from cityops.tourism.models import Question, Shown

from .conftest import at

pytestmark = pytest.mark.django_db

CHAT = reverse("tourist:chat")
PROBLEM = reverse("tourist:problem")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_the_page_needs_no_account_and_offers_the_form(faq):
    response = Client().get(CHAT)
    assert response.status_code == 200
    assert b'name="text"' in response.content
    assert b'id="report-problem"' in response.content
    assert b"113" in response.content


def test_asking_shows_the_answer_in_the_question_s_language(faq):
    client = Client()
    response = client.post(CHAT, {"text": "Chùa Thiên Mụ có mất vé không?"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-entry="thien-mu-pagoda"' in page
    assert "không bán vé vào cửa" in page
    assert Question.objects.get().detected_language == "vi"


def test_the_language_chosen_wins_over_the_detected_one(faq):
    client = Client()
    page = client.post(
        CHAT, {"text": "Thien Mu pagoda", "language": "ko"}, follow=True
    ).content.decode()
    assert "티엔무 사원은 입장료가 없으며" in page


def test_an_unanswered_question_offers_to_send_it_to_the_ioc(faq):
    page = Client().post(CHAT, {"text": "Who won the football?"}, follow=True).content.decode()
    assert "We found no answer" in page
    assert PROBLEM in page


def test_a_complaint_offers_the_report_button(faq):
    page = (
        Client()
        .post(CHAT, {"text": "Le chauffeur de taxi m'a arnaqué"}, follow=True)
        .content.decode()
    )
    assert "Il semble que quelque chose se soit mal passé" in page


def test_did_this_help_is_recorded_for_the_answer(faq):
    client = Client()
    client.post(CHAT, {"text": "What are the emergency numbers?"})
    shown = Shown.objects.order_by("rank").first()
    response = client.post(reverse("tourist:feedback", args=[shown.pk]), {"helpful": "no"})
    assert response.status_code == 302
    shown.refresh_from_db()
    assert shown.helpful is False


def test_feedback_on_someone_else_s_answer_is_404(faq):
    Client().post(CHAT, {"text": "What are the emergency numbers?"})
    shown = Shown.objects.first()
    response = Client().post(reverse("tourist:feedback", args=[shown.pk]), {"helpful": "yes"})
    assert response.status_code == 404


def test_report_a_problem_sends_the_transcript_and_shows_the_reference(faq, tourism_category):
    client = Client()
    client.post(CHAT, {"text": "My hotel added charges that were not agreed"})
    response = client.post(
        PROBLEM,
        {"message": "Hotel X asked 2 million more", "contact_email": "tom@example.com",
         "contact_phone": "", "place": "Lê Lợi street"},
    )  # fmt: skip
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.channel == Channel.TOURIST
    assert "My hotel added charges" in report.description
    assert report.contact_email == "tom@example.com"
    page = client.get(response["Location"]).content.decode()
    assert f"#{report.pk}" in page
    assert reverse("portal:report", args=[report.pk]) in page
    assert "tom@example.com" not in page
    assert re.search(r"\d\d:\d\d, \d\d/\d\d/\d{4}", page)  # the expected answer time
    # The conversation was sent: the next question starts a new one.
    client.post(CHAT, {"text": "Airport bus?"})
    assert Question.objects.values("conversation").distinct().count() == 2


def test_a_forged_receipt_is_404(faq):
    assert Client().get(reverse("tourist:sent", args=["forged"])).status_code == 404


@pytest.mark.parametrize(
    ("url", "data"),
    [(CHAT, {"text": "Emergency numbers"}), (PROBLEM, {"message": "Rude driver"})],
)
def test_the_public_posts_are_rate_limited(faq, tourism_category, settings, url, data):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "write_per_ip": "2/m"}
    client = Client()
    with time_machine.travel(at(2026, 12, 7, 10, 0, 10), tick=False):  # within one minute
        statuses = [client.post(url, data).status_code for _ in range(3)]
    assert statuses[2] == 429
