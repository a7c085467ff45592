"""Tourist support's writes: loading the FAQ, answering a question, the "did this help?"
feedback, and a conversation sent to the IOC as a report (through the reports workflow's
intake, channel ``tourist``, category ``tourism``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotFound
from cityops.reports.choices import Channel
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report
from cityops.reports.selectors import category_by_code
from cityops.reports.workflow.intake import report_receive
from cityops.tourism.choices import Language, Topic
from cityops.tourism.complaints import complaint_detect
from cityops.tourism.language import language_detect
from cityops.tourism.models import Conversation, FaqEntry, FaqText, Question, Shown
from cityops.tourism.search import Match, faq_search

FAQ_FILE = Path(__file__).resolve().parent / "data" / "faq_hue.json"
CATEGORY = "tourism"
FALLBACK_CATEGORY = "other"
MAX_QUESTION = 500
MAX_MESSAGE = 2000


# The FAQ -----------------------------------------------------------------------------------


@transaction.atomic
def faq_load(*, data: dict[str, Any]) -> int:
    """Create or update the entries of ``data`` (the layout of ``data/faq_hue.json``) by key,
    and their texts by language; entries and texts not in ``data`` are left as staff made them.
    Returns the number of texts written."""
    written = 0
    for position, item in enumerate(data["entries"]):
        entry, _created = FaqEntry.objects.update_or_create(
            key=item["key"], defaults={"topic": Topic(item["topic"]), "position": position}
        )
        for language, text in item["texts"].items():
            FaqText.objects.update_or_create(
                entry=entry,
                language=Language(language),
                defaults={
                    "question": text["q"],
                    "phrasings": "\n".join(text.get("p", [])),
                    "answer": text["a"],
                },
            )
            written += 1
    return written


def faq_load_file(path: Path = FAQ_FILE) -> int:
    """Load the FAQ file shipped with the app (Huế's) or another in the same layout."""
    return faq_load(data=json.loads(path.read_text(encoding="utf-8")))


# Questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    """A question taken: the answers shown (best first, with their ``Shown`` rows for the
    feedback), and whether it complained."""

    conversation: Conversation
    question: Question
    answers: list[tuple[Shown, Match]]

    @property
    def answered(self) -> bool:
        return bool(self.answers)


@transaction.atomic
def question_ask(
    *, text: str, language: str | None = None, conversation: Conversation | None = None
) -> Answered:
    """Answer a tourist's question from the FAQ: its language detected (``language``, one of
    the six, overrides), the top three entries above the threshold, each recorded as shown.
    A new conversation is started when none is given (or the given one was sent already)."""
    text = text.strip()
    if not text:
        message = _("Type a question.")
        raise InvalidInput(message, fields={"text": [message]})
    if len(text) > MAX_QUESTION or "\x00" in text:
        message = _("Keep the question under %(limit)d characters.") % {"limit": MAX_QUESTION}
        raise InvalidInput(message, fields={"text": [message]})
    if language and language not in Language.values:
        message = _("Choose one of the languages offered.")
        raise InvalidInput(message, fields={"language": [message]})
    detected = language_detect(text)
    chosen = Language(language) if language else detected
    now = clock.now()
    if conversation is None or conversation.report_id is not None:
        conversation = Conversation.objects.create(language=chosen, started_at=now)
    elif conversation.language != chosen:
        conversation.language = chosen
        conversation.save(update_fields=["language"])
    question = Question.objects.create(
        conversation=conversation,
        text=text,
        language=chosen,
        detected_language=detected,
        is_complaint=complaint_detect(text),
        asked_at=now,
    )
    matches = faq_search(text, language=chosen)
    shown = Shown.objects.bulk_create(
        Shown(question=question, entry_id=match.entry_id, language=match.language, rank=rank,
              score=match.score)
        for rank, match in enumerate(matches, start=1)
    )  # fmt: skip
    return Answered(
        conversation=conversation, question=question, answers=list(zip(shown, matches, strict=True))
    )


def conversation_by_token(token: str) -> Conversation | None:
    """The conversation a tourist holds the token of."""
    if not token or len(token) > 40:
        return None
    return Conversation.objects.filter(token=token).first()


@transaction.atomic
def shown_feedback(*, conversation: Conversation, shown_id: int, helpful: bool) -> Shown:
    """The tourist's "did this help?" on an answer shown in their conversation (the last word
    counts)."""
    shown = (
        Shown.objects.select_for_update()
        .filter(pk=shown_id, question__conversation=conversation)
        .first()
    )
    if shown is None:
        raise NotFound(_("No such answer in this conversation."))
    shown.helpful, shown.feedback_at = helpful, clock.now()
    shown.save(update_fields=["helpful", "feedback_at"])
    return shown


# To the IOC --------------------------------------------------------------------------------


def transcript(conversation: Conversation) -> str:
    """The questions asked and the answers shown, in order, for the report's description."""
    lines: list[str] = []
    questions = conversation.questions.prefetch_related("shown__entry").order_by("asked_at", "pk")
    for number, question in enumerate(questions, start=1):
        lines.append(f"{number}. [{question.language}] {question.text}")
        shown = sorted(question.shown.all(), key=lambda s: s.rank)
        if not shown:
            lines.append("   → " + _("no answer found"))
        for item in shown:
            verdict = {True: _("helped"), False: _("did not help"), None: ""}[item.helpful]
            lines.append(
                f"   → {item.entry.key} ({item.score:.2f})" + (f" — {verdict}" if verdict else "")
            )
    return "\n".join(lines)


@dataclass(frozen=True)
class Sent:
    """A conversation sent to the IOC: the report, its public page and when an operator is next
    at work (the agency calendar's next working moment)."""

    report: Report
    path: str
    expected_at: datetime


def expected_answer_at(moment: datetime) -> datetime:
    """When an IOC operator will first see a report sent at ``moment``: the city's next working
    moment (office hours on working days; public holidays off)."""
    return working_calendar().next_working_moment(moment)


@transaction.atomic
def conversation_report(
    *,
    conversation: Conversation | None,
    language: str = Language.EN,
    message: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    place: str = "",
) -> Sent:
    """Send the conversation to the IOC as a ``tourism`` report (channel ``tourist``): the
    tourist's message and the transcript as its description, the optional contact in the
    report's contact fields (IOC staff alone see them). A conversation is sent once; without
    one (a problem reported before any question) one is started in ``language``."""
    if conversation is None:
        conversation = Conversation(language=Language(language), started_at=clock.now())
    else:
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.report_id is not None:
        raise Conflict(
            _("This conversation was sent already as report #%(id)s.")
            % {"id": conversation.report_id},
            code="already_sent",
        )
    message, contact_email, place = message.strip(), contact_email.strip(), place.strip()
    problems: dict[str, list[str]] = {}
    asked = conversation.pk is not None and conversation.questions.exists()
    if not message and not asked:
        problems["message"] = [_("Tell us what happened or what you need.")]
    if len(message) > MAX_MESSAGE:
        problems["message"] = [
            _("Keep the message under %(limit)d characters.") % {"limit": MAX_MESSAGE}
        ]
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            problems["contact_email"] = [_("Enter a valid e-mail address.")]
    if problems:
        raise InvalidInput(" ".join(m for ms in problems.values() for m in ms), fields=problems)
    category = category_by_code(CATEGORY, active_only=True) or category_by_code(
        FALLBACK_CATEGORY, active_only=True
    )
    if category is None:
        raise Conflict(_("Reports cannot be received right now."), code="no_category")
    with translation.override(settings.LANGUAGE_CODE):
        parts = [
            _("Sent through tourist support (language: %(language)s).")
            % {"language": Language(conversation.language).label}
        ]
        if message:
            parts += [_("The tourist's message:"), message]
        if asked:
            parts += [_("Questions asked and answers shown:"), transcript(conversation)]
        description = "\n".join(parts)
        address = place or _("Huế (place not given by the tourist)")
        first = message or conversation.questions.order_by("asked_at", "pk").first().text  # type: ignore[union-attr]
        title = _("Tourist: %(text)s") % {"text": first.splitlines()[0][:150]}
    received = report_receive(
        description=description,
        title=title[:200],
        category=category,
        channel=Channel.TOURIST,
        address=address[:300],
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    conversation.report = received.report
    conversation.save()
    return Sent(
        report=received.report,
        path=reverse("portal:report", args=[received.report.pk]),
        expected_at=expected_answer_at(received.report.submitted_at or clock.now()),
    )
