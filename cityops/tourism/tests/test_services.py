"""Asking, feedback, and a complaint sent to the IOC as a tourism report with the transcript."""

from __future__ import annotations

import pytest
import time_machine

from cityops.platform.errors import Conflict, InvalidInput, NotFound
from cityops.reports.choices import Channel, ReportStatus
from cityops.reports.models import Report
from cityops.tourism.models import Conversation, Shown
from cityops.tourism.selectors import faq_entries_with_feedback
from cityops.tourism.services import (
    conversation_report,
    faq_load_file,
    question_ask,
    shown_feedback,
)

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_question_is_recorded_with_its_language_and_the_answers_shown(faq):
    answered = question_ask(text="왕궁 입장권은 얼마예요?")
    assert answered.question.detected_language == "ko"
    assert answered.answered
    assert answered.answers[0][1].key == "imperial-city-tickets"
    assert list(Shown.objects.values_list("rank", flat=True).order_by("rank")) == [
        rank for rank in range(1, len(answered.answers) + 1)
    ]


def test_the_tourist_can_choose_the_language_of_the_answer(faq):
    answered = question_ask(text="Imperial City tickets price", language="fr")
    assert answered.question.language == "fr"
    assert answered.question.detected_language == "en"
    assert answered.answers[0][1].language == "fr"


def test_a_second_question_continues_the_conversation(faq):
    first = question_ask(text="Emergency numbers?")
    second = question_ask(text="Airport bus?", conversation=first.conversation)
    assert second.conversation == first.conversation
    assert first.conversation.questions.count() == 2


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_an_empty_or_overlong_question_is_refused(faq, text):
    with pytest.raises(InvalidInput):
        question_ask(text=text)


def test_an_unknown_language_is_refused(faq):
    with pytest.raises(InvalidInput):
        question_ask(text="Hello", language="de")


def test_feedback_is_counted_per_entry_for_staff(faq):
    answered = question_ask(text="What are the emergency numbers?")
    shown, match = answered.answers[0]
    shown_feedback(conversation=answered.conversation, shown_id=shown.pk, helpful=True)
    other = question_ask(text="police ambulance number")
    shown_feedback(conversation=other.conversation, shown_id=other.answers[0][0].pk, helpful=False)
    entry = faq_entries_with_feedback().get(key=match.key)
    assert (entry.helpful_count, entry.unhelpful_count) == (1, 1)
    assert entry.times_shown >= 2


def test_feedback_on_an_answer_of_another_conversation_is_refused(faq):
    mine = question_ask(text="What are the emergency numbers?")
    theirs = question_ask(text="Airport bus?")
    with pytest.raises(NotFound):
        shown_feedback(
            conversation=mine.conversation, shown_id=theirs.answers[0][0].pk, helpful=True
        )


@time_machine.travel(at(2026, 12, 5, 21, 0), tick=False)  # Saturday evening
def test_a_complaint_becomes_a_tourism_report_with_the_transcript(faq, tourism_category):
    asked = question_ask(text="What are the emergency numbers?")
    complaint = question_ask(
        text="The taxi driver overcharged me 800,000 VND from the airport",
        conversation=asked.conversation,
    )
    assert complaint.question.is_complaint
    sent = conversation_report(
        conversation=complaint.conversation,
        message="Taxi 75A-123.45, meter switched off.",
        contact_email="anna@example.org",
        contact_phone="0905123456",
        place="Phú Bài airport",
    )
    report = Report.objects.get(pk=sent.report.pk)
    assert report.channel == Channel.TOURIST
    assert report.category.code == "tourism"
    assert report.status == ReportStatus.SUBMITTED
    assert "What are the emergency numbers?" in report.description
    assert "overcharged me 800,000 VND" in report.description
    assert "emergency-numbers" in report.description  # the answer shown
    assert "Taxi 75A-123.45" in report.description
    assert report.contact_email == "anna@example.org"
    assert report.contact_phone
    assert "anna@example.org" not in report.description
    assert report.address == "Phú Bài airport"
    assert sent.path == f"/reports/{report.pk}"
    # Sent on Saturday night: the IOC's next working moment is Monday 07:00.
    assert sent.expected_at == at(2026, 12, 7, 7, 0)
    assert Conversation.objects.get(pk=complaint.conversation.pk).report == report


def test_a_conversation_is_sent_once(faq, tourism_category):
    asked = question_ask(text="Where is the zoo?")
    conversation_report(conversation=asked.conversation)
    asked.conversation.refresh_from_db()
    with pytest.raises(Conflict):
        conversation_report(conversation=asked.conversation)
    assert Report.objects.count() == 1


def test_a_problem_without_questions_needs_a_message(faq, tourism_category):
    with pytest.raises(InvalidInput):
        conversation_report(conversation=None, message="  ")
    sent = conversation_report(conversation=None, message="Hotel charged twice", language="en")
    assert "Hotel charged twice" in sent.report.description
    assert Conversation.objects.get(report=sent.report).language == "en"


def test_a_wrong_email_is_refused_and_nothing_is_sent(faq, tourism_category):
    with pytest.raises(InvalidInput) as refused:
        conversation_report(conversation=None, message="Rude guide", contact_email="not-mail")
    assert "contact_email" in refused.value.fields
    assert Report.objects.count() == 0


def test_loading_the_faq_again_updates_rather_than_doubles(faq):
    from cityops.tourism.models import FaqEntry, FaqText

    entries, texts = FaqEntry.objects.count(), FaqText.objects.count()
    faq_load_file()
    assert (FaqEntry.objects.count(), FaqText.objects.count()) == (entries, texts)
    assert entries >= 20
    assert texts == entries * 6


def test_the_management_command_loads_the_faq_of_hue(db):
    from io import StringIO

    from django.core.management import call_command

    from cityops.tourism.models import FaqText

    out = StringIO()
    call_command("tourism_faq_load", stdout=out)
    assert FaqText.objects.filter(language="ja").count() >= 20
    assert "FAQ texts loaded" in out.getvalue()
