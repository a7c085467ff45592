"""The tourist help page: a chat-like question form answered from the FAQ, "did this help?",
and "report a problem" to the IOC. No account: the conversation is kept in the session.

Every POST is rate limited per address; the tourist's contact goes into the report's contact
fields, which only IOC staff see, and is never shown back on a public page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityops.platform.errors import Conflict, InvalidInput, NotFound
from cityops.portal.limits import posts_limited
from cityops.tourism.forms import FeedbackForm, ProblemForm, QuestionForm
from cityops.tourism.models import Conversation
from cityops.tourism.phrases import phrase
from cityops.tourism.selectors import conversation_questions
from cityops.tourism.services import (
    conversation_by_token,
    conversation_report,
    question_ask,
    shown_feedback,
)

SESSION_KEY = "tourist_conversation"
RECEIPT_SALT = "cityops.tourism.sent"
RECEIPT_MAX_AGE = 7 * 24 * 3600
RATE = "write_per_ip"


def _conversation(request: HttpRequest) -> Conversation | None:
    conversation = conversation_by_token(request.session.get(SESSION_KEY, ""))
    if conversation is not None and conversation.report_id is not None:
        return None  # sent to the IOC: the next question starts afresh
    return conversation


def _exchanges(conversation: Conversation | None) -> list[dict[str, Any]]:
    """The conversation as the page shows it: each question with its answers, told in the
    question's language, or the sentence saying none was found."""
    if conversation is None:
        return []
    exchanges = []
    for question in conversation_questions(conversation):
        answers = []
        for shown in sorted(question.shown.all(), key=lambda s: s.rank):
            texts = {text.language: text for text in shown.entry.texts.all()}
            text = texts.get(question.language) or texts.get(shown.language)
            if text is not None:
                answers.append({"shown": shown, "text": text})
        exchanges.append(
            {
                "question": question,
                "answers": answers,
                "no_answer": "" if answers else phrase("no_answer", question.language),
                "complaint": phrase("complaint", question.language)
                if question.is_complaint
                else "",
            }
        )
    return exchanges


def _chat_page(request: HttpRequest, form: QuestionForm, *, status: int = 200) -> HttpResponse:
    conversation = _conversation(request)
    context = {"form": form, "exchanges": _exchanges(conversation), "conversation": conversation}
    response = render(request, "tourism/public/chat.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@posts_limited(RATE)
def chat(request: HttpRequest) -> HttpResponse:
    """The page; a POST asks a question and shows the conversation with its answers."""
    if request.method != "POST":
        return _chat_page(request, QuestionForm())
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _chat_page(request, form, status=400)
    try:
        answered = question_ask(
            text=form.cleaned_data["text"],
            language=form.cleaned_data["language"] or None,
            conversation=_conversation(request),
        )
    except InvalidInput as invalid:
        for field, messages in invalid.fields.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return _chat_page(request, form, status=400)
    request.session[SESSION_KEY] = answered.conversation.token
    return redirect(f"{reverse('tourist:chat')}#q{answered.question.pk}")


@require_POST
@posts_limited(RATE)
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Did this help?" on an answer of the tourist's own conversation."""
    conversation = _conversation(request)
    form = FeedbackForm(request.POST)
    if conversation is None or not form.is_valid():
        raise Http404
    try:
        shown = shown_feedback(
            conversation=conversation, shown_id=pk, helpful=form.cleaned_data["helpful"]
        )
    except NotFound as missing:
        raise Http404 from missing
    return redirect(f"{reverse('tourist:chat')}#q{shown.question_id}")


@require_http_methods(["GET", "POST"])
@posts_limited(RATE)
def problem(request: HttpRequest) -> HttpResponse:
    """Send the conversation (and what the tourist adds) to the IOC as a report."""
    conversation = _conversation(request)
    form = ProblemForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sent_to = conversation_report(
                    conversation=conversation,
                    language=_page_language(request),
                    **form.cleaned_data,
                )
            except (InvalidInput, Conflict) as refused:
                fields = getattr(refused, "fields", {}) or {None: [refused.message]}
                for field, messages in fields.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                request.session.pop(SESSION_KEY, None)
                receipt = signing.dumps(
                    {"report": sent_to.report.pk, "at": sent_to.expected_at.isoformat()},
                    salt=RECEIPT_SALT,
                )
                return redirect("tourist:sent", receipt=receipt)
        status = 400
    context = {"form": form, "exchanges": _exchanges(conversation)}
    return render(request, "tourism/public/problem.html", context, status=status)


def _page_language(request: HttpRequest) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or "vi")[:2]
    return language if language in ("vi", "en") else "vi"


@require_GET
def sent(request: HttpRequest, receipt: str) -> HttpResponse:
    """The confirmation: the report's number, its public page, when an operator answers."""
    try:
        data = signing.loads(receipt, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
        expected_at = datetime.fromisoformat(data["at"])
        number = int(data["report"])
    except (signing.BadSignature, KeyError, ValueError, TypeError) as bad:
        raise Http404 from bad
    context = {
        "number": number,
        "report_path": reverse("portal:report", args=[number]),
        "expected_at": timezone.localtime(expected_at),
    }
    response = render(request, "tourism/public/sent.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
