"""Tourist help: questions answered from the multilingual FAQ, "did this help?", and a problem
sent to the IOC as a report. No account needed (a token, if sent, must be valid); every
operation is a rate-limited write (``@api_write``). docs/tourism.md."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from cityops.api.auth import OPTIONAL, OPTIONAL_OPENAPI
from cityops.api.schemas import InputSchema, Text, errors
from cityops.api.writes import api_write
from cityops.platform.errors import NotFound
from cityops.tourism.models import Conversation
from cityops.tourism.phrases import phrase
from cityops.tourism.services import (
    MAX_MESSAGE,
    MAX_QUESTION,
    conversation_by_token,
    conversation_report,
    question_ask,
    shown_feedback,
)

router = Router(tags=["tourist"])

LanguageCode = Literal["vi", "en", "ko", "zh", "ja", "fr"]


def _conversation(token: str) -> Conversation | None:
    if not token:
        return None
    conversation = conversation_by_token(token)
    if conversation is None:
        raise NotFound("No conversation has this token.", code="unknown_conversation")
    return conversation


class QuestionIn(InputSchema):
    text: Text = Field(min_length=1, max_length=MAX_QUESTION, description="The question.")
    language: LanguageCode | None = Field(
        default=None, description="Answer in this language (detected from the text if absent)."
    )
    conversation: str = Field(
        default="", max_length=40, description="The token of an earlier answer, to continue."
    )


class AnswerOut(Schema):
    id: int = Field(description="The answer shown: send feedback on it with this id.")
    entry: str = Field(description="The FAQ entry's key.")
    topic: str
    language: LanguageCode
    question: str = Field(description="The FAQ's question, in ``language``.")
    answer: str
    score: float = Field(description="Text similarity (TF-IDF cosine), higher is closer.")


class AnswersOut(Schema):
    conversation: str = Field(description="Send it with the next question, feedback or report.")
    question: int
    language: LanguageCode = Field(description="The language answered in.")
    detected_language: LanguageCode
    complaint: bool = Field(description="The text sounds like a complaint: offer to report it.")
    answered: bool = Field(description="False: no entry was close enough.")
    message: str = Field(description="What to tell the tourist when unanswered or complaining.")
    answers: list[AnswerOut] = Field(description="At most 3, best first.")


@router.post(
    "/questions",
    response={200: AnswersOut, **errors(400, 401, 404, 409, 429)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="Ask a tourist question",
)
@api_write()
def tourist_question(request: HttpRequest, payload: QuestionIn) -> Status[AnswersOut]:
    """Answer a tourist's question from the FAQ in Vietnamese, English, Korean, Chinese,
    Japanese or French: the language detected (or ``language``), the top three entries with
    their similarity scores. With none above the threshold, ``answered`` is false and
    ``message`` offers to send the question to the IOC (``POST /tourist/reports``)."""
    answered = question_ask(
        text=payload.text,
        language=payload.language,
        conversation=_conversation(payload.conversation),
    )
    question = answered.question
    message = ""
    if question.is_complaint:
        message = phrase("complaint", question.language)
    elif not answered.answered:
        message = phrase("no_answer", question.language)
    return Status(
        200,
        AnswersOut(
            conversation=answered.conversation.token,
            question=question.pk,
            language=question.language,  # type: ignore[arg-type]
            detected_language=question.detected_language,  # type: ignore[arg-type]
            complaint=question.is_complaint,
            answered=answered.answered,
            message=message,
            answers=[
                AnswerOut(
                    id=shown.pk,
                    entry=match.key,
                    topic=match.topic,
                    language=match.language,  # type: ignore[arg-type]
                    question=match.question,
                    answer=match.answer,
                    score=match.score,
                )
                for shown, match in answered.answers
            ],
        ),
    )


class FeedbackIn(InputSchema):
    conversation: str = Field(min_length=1, max_length=40)
    helpful: bool


class FeedbackOut(Schema):
    id: int
    helpful: bool


@router.post(
    "/answers/{answer_id}/feedback",
    response={200: FeedbackOut, **errors(400, 401, 404, 409, 429)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="Say whether an answer helped",
)
@api_write()
def tourist_feedback(request: HttpRequest, answer_id: int, payload: FeedbackIn) -> Status:
    """ "Did this help?" on an answer shown in the conversation (the last word counts)."""
    conversation = _conversation(payload.conversation)
    assert conversation is not None
    shown = shown_feedback(conversation=conversation, shown_id=answer_id, helpful=payload.helpful)
    return Status(200, FeedbackOut(id=shown.pk, helpful=bool(shown.helpful)))


class ProblemIn(InputSchema):
    conversation: str = Field(
        default="", max_length=40, description="Attach this conversation's questions and answers."
    )
    message: Text = Field(default="", max_length=MAX_MESSAGE, description="What happened.")
    place: Text = Field(default="", max_length=300)
    contact_email: Text = Field(default="", max_length=254, description="Seen by IOC staff only.")
    contact_phone: Text = Field(default="", max_length=30, description="Seen by IOC staff only.")
    language: LanguageCode = Field(default="en", description="Without a conversation.")


class SentOut(Schema):
    report: int = Field(description="The report's number: the tourist's reference.")
    url: str = Field(description="The report's public page (once an operator has checked it).")
    expected_answer_at: datetime = Field(
        description="The IOC's next working moment (office hours on working days)."
    )


@router.post(
    "/reports",
    response={201: SentOut, **errors(400, 401, 404, 409, 429)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="Send a tourist's problem or unanswered question to the IOC",
)
@api_write()
def tourist_report(request: HttpRequest, payload: ProblemIn) -> Status[SentOut]:
    """The conversation (its questions and the answers shown) and the tourist's message become
    a report of category ``tourism`` through the usual intake (channel ``tourist``); the
    contact is kept in the report's contact fields, which IOC staff alone see. The report then
    follows the normal workflow; an operator answers within office hours. Errors:
    ``unknown_conversation`` (404), ``already_sent`` (409), ``invalid`` (400)."""
    sent = conversation_report(
        conversation=_conversation(payload.conversation),
        language=payload.language,
        message=payload.message,
        contact_email=payload.contact_email,
        contact_phone=payload.contact_phone,
        place=payload.place,
    )
    return Status(
        201,
        SentOut(
            report=sent.report.pk,
            url=settings.CITYOPS_SITE_URL + sent.path,
            expected_answer_at=timezone.localtime(sent.expected_at),
        ),
    )
