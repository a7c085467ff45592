"""The short conversation that gathers a report on a chat channel (Zalo, Messenger...).

Channel-neutral: a webhook keeps the incoming message (``services.message_receive``), then hands
its text, shared location or photo to ``conversation_take``, which answers with the replies to
send. The draft lives in ``Conversation.draft`` until the report is complete:

- ``text``: what the citizen wrote about the problem (several messages are joined);
- ``lat``/``lon``: a shared location or coordinates typed in a text, inside the city;
- ``photos``: names in the default storage of photos already vetted (``image_clean``);
- ``category``: the code guessed by the classifier, ``confirmed`` once the citizen said yes or
  picked one from the numbered list (``choices``);
- ``awaiting``: the one question last asked.

Questions come one at a time, in the conversation's language (Vietnamese first): the problem,
then the place, then the category. Once all is there the report enters the lifecycle through the
reports workflow's intake with the conversation's channel, and the conversation follows it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cityops.agencies.selectors import area_at, areas_mapped
from cityops.channels.choices import ConversationState
from cityops.channels.models import Conversation
from cityops.channels.services import conversation_follow, conversation_open
from cityops.intel.classifier import suggest_category
from cityops.intel.text import fold
from cityops.platform.errors import InvalidInput
from cityops.platform.images import ImageLimits, ImageRejected, image_clean
from cityops.reports.choices import Channel
from cityops.reports.models import Category
from cityops.reports.workflow.intake import report_receive

logger = logging.getLogger(__name__)

DRAFT_PHOTOS_DIR = "channels/drafts"
MAX_TEXT = 5000
MAX_CHOICES = 9

# Answers compared after folding (no accents, lower case): "có", "co", "Đúng" all say yes.
CANCEL = {"huy", "cancel", "huy bo", "stop"}
YES = {"1", "co", "dung", "vang", "u", "ok", "yes", "y", "chinh xac", "phai"}
NO = {"2", "khong", "sai", "no", "n", "khong phai", "chua dung"}

# Coordinates typed or pasted: "16.4637, 107.5909", a maps link's "@16.46,107.59" or "q=...".
_COORDINATES = re.compile(r"(-?\d{1,2}\.\d{2,})\s*[,;\s]\s*(-?\d{1,3}\.\d{2,})")


# SQLite is the embedded run: one process, a few citizens; their messages are taken one by one.
_one_at_a_time = threading.Lock()


@contextmanager
def conversation_held(*, channel: Channel, address: str) -> Iterator[Conversation]:
    """The citizen's conversation gathering a report (opened if none), held in a transaction
    while one message is taken: two messages of one citizen arriving at once (a text and a
    location sent quickly) go into one conversation, one after the other.

    PostgreSQL holds a transaction-scoped advisory lock on the citizen's address; elsewhere
    (SQLite: the embedded run, one process) one lock of the process does.
    """
    key = f"cityops:conversation:{channel}:{address}"
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
            yield conversation_open(channel=channel, address=address)
            return
        with _one_at_a_time:
            yield conversation_open(channel=channel, address=address)


def conversation_take(
    *,
    conversation: Conversation,
    text: str = "",
    lat: float | None = None,
    lon: float | None = None,
    photo: bytes | None = None,
    contact_name: str = "",
) -> list[str]:
    """Take one message of the citizen into the conversation's draft; the replies to send.

    Safe for messages of one conversation arriving at once: the conversation is locked while
    its draft changes, so a report is sent once.
    """
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        with translation.override(conversation.language):
            return _take(
                conversation,
                text=(text or "").replace("\x00", "").strip()[:MAX_TEXT],
                lat=lat,
                lon=lon,
                photo=photo,
                contact_name=contact_name,
            )


def _take(
    conversation: Conversation,
    *,
    text: str,
    lat: float | None,
    lon: float | None,
    photo: bytes | None,
    contact_name: str,
) -> list[str]:
    if conversation.state != ConversationState.GATHERING:
        # A message that raced the report's sending: the citizen already has its number.
        return [_followed(conversation)] if conversation.report_id else []
    draft = dict(conversation.draft or {})
    answer = fold(text).strip(" .!")
    replies: list[str] = []

    if answer in CANCEL:
        _photos_delete(draft.get("photos", []))
        _save(conversation, {})
        return [_("Your draft report was cancelled. Write to us again whenever you need.")]

    if contact_name and not draft.get("contact_name"):
        draft["contact_name"] = contact_name[:150]

    if text and draft.get("awaiting") in ("confirm", "choice"):
        chosen = _category_answer(draft, answer)
        if chosen is not None:
            draft.update(category=chosen, confirmed=True, awaiting="")
            text = ""
        elif draft.get("awaiting") == "confirm" and answer in NO:
            draft["awaiting"] = "choice"
            draft["choices"] = _choices(draft)
            _save(conversation, draft)
            return [_choice_question(draft["choices"])]

    if text and lat is None:
        found = _COORDINATES.search(text)
        if found is not None:
            lat, lon = float(found.group(1)), float(found.group(2))
            text = (text[: found.start()] + text[found.end() :]).strip(" ,;\n")
            text = re.sub(r"https?://\S*$", "", text).strip()  # the rest of a pasted map link

    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (
            area_at(lat=lat, lon=lon) is None and areas_mapped()
        ):
            replies.append(
                _(
                    "This place is outside the city's area, so we cannot take a report for it. "
                    "Please share a location within the city."
                )
            )
        else:
            draft["lat"], draft["lon"] = lat, lon

    if photo is not None:
        problem = _photo_keep(draft, photo)
        if problem:
            replies.append(problem)

    if text:
        draft["text"] = (draft.get("text", "") + "\n" + text).strip()[:MAX_TEXT]
        if not draft.get("confirmed"):
            draft.pop("category", None)  # a new description: guess again

    question = _next_question(draft)
    if question is not None:
        _save(conversation, draft)
        return [*replies, question]
    return [*replies, _send(conversation, draft)]


def _next_question(draft: dict) -> str | None:
    """The one question to ask next, or None when the report is complete."""
    if not draft.get("text"):
        draft["awaiting"] = "text"
        return _(
            "Hello! Please describe the problem you want to report to the city (you can also "
            "send a photo). Write “cancel” at any time to stop."
        )
    if draft.get("lat") is None:
        draft["awaiting"] = "location"
        return _(
            "Where is it? Please share your location (the location button in the chat), or "
            "send its coordinates, e.g. 16.4637, 107.5909."
        )
    if not draft.get("confirmed"):
        if not draft.get("category"):
            suggestion = suggest_category(draft["text"])
            category = _active(suggestion.category)
            if category is None:
                draft["awaiting"] = "choice"
                draft["choices"] = _choices(draft)
                return _choice_question(draft["choices"])
            draft["category"] = category.code
            draft["candidates"] = [c.category for c in suggestion.candidates]
        draft["awaiting"] = "confirm"
        category = _active(draft["category"])
        if category is None:  # switched off since it was guessed
            draft.pop("category")
            return _next_question(draft)
        return _(
            "Is this about “%(category)s”? Reply 1 (yes) to confirm, or 2 (no) to choose "
            "another field."
        ) % {"category": _name(category)}
    return None


def _category_answer(draft: dict, answer: str) -> str | None:
    """The category the citizen's answer confirms or picks, if it is one."""
    if draft.get("awaiting") == "confirm" and answer in YES and draft.get("category"):
        return str(draft["category"])
    if draft.get("awaiting") == "choice" and answer.isdigit():
        choices = draft.get("choices", [])
        position = int(answer)
        if 1 <= position <= len(choices) and _active(choices[position - 1]) is not None:
            return str(choices[position - 1])
    return None


def _choices(draft: dict) -> list[str]:
    """A short list of active categories: the classifier's candidates first."""
    active = list(Category.objects.filter(is_active=True).order_by("name"))
    by_code = {category.code: category for category in active}
    first = [code for code in draft.get("candidates", []) if code in by_code]
    rest = [category.code for category in active if category.code not in first]
    return (first + rest)[:MAX_CHOICES]


def _choice_question(choices: list[str]) -> str:
    names = {c.code: _name(c) for c in Category.objects.filter(code__in=choices)}
    lines = [f"{position}. {names[code]}" for position, code in enumerate(choices, 1)]
    return "\n".join([_("Which field is the problem about? Reply with its number:"), *lines])


def _send(conversation: Conversation, draft: dict) -> str:
    """The draft is complete: the report enters the lifecycle and the conversation follows it."""
    category = Category.objects.get(code=draft["category"])
    names = list(draft.get("photos", []))
    photos = []
    for name in names:
        with default_storage.open(name, "rb") as stored:
            photos.append(stored.read())
    channel = Channel(conversation.channel)
    try:
        received = report_receive(
            description=draft["text"],
            category=category,
            channel=channel,
            lat=draft["lat"],
            lon=draft["lon"],
            photos=photos,
            contact_name=draft.get("contact_name", ""),
        )
    except InvalidInput as invalid:
        # Every part was checked while gathering; what is left is said as intake says it.
        logger.info("channel %s: report refused: %s", channel, invalid)
        _save(conversation, {**draft, "confirmed": False, "category": ""})
        return _("We could not send the report: %(reason)s") % {"reason": str(invalid)}
    conversation_follow(conversation=conversation, report_id=received.report.pk)
    transaction.on_commit(lambda: _photos_delete(names))
    return _(
        "Thank you! Your report #%(number)s has been received. We will tell you here when it "
        "moves on; you can also follow it at %(url)s"
    ) % {"number": received.report.pk, "url": _report_url(received.report.pk)}


def _followed(conversation: Conversation) -> str:
    return _("Your report #%(number)s is being handled: %(url)s") % {
        "number": conversation.report_id,
        "url": _report_url(conversation.report_id or 0),
    }


def _report_url(pk: int) -> str:
    return settings.CITYOPS_SITE_URL + reverse("portal:report", args=[pk])


def _photo_keep(draft: dict, photo: bytes) -> str:
    """Vet a photo now (so the citizen hears at once) and keep it for intake; "" if kept,
    else what to tell the citizen."""
    photos = draft.setdefault("photos", [])
    if len(photos) >= settings.CITYOPS_MAX_PHOTOS:
        return _("A report can have at most %(count)s photos; this one was not added.") % {
            "count": settings.CITYOPS_MAX_PHOTOS
        }
    limits = ImageLimits(
        max_bytes=settings.CITYOPS_UPLOAD_MAX_BYTES, max_pixels=settings.CITYOPS_UPLOAD_MAX_PIXELS
    )
    try:
        clean = image_clean(photo, limits=limits)
    except ImageRejected:
        return _("We could not use this photo: please send a JPEG, PNG or WebP picture.")
    name = default_storage.save(f"{DRAFT_PHOTOS_DIR}/{uuid4().hex}.jpg", ContentFile(clean.content))
    photos.append(name)
    return ""


def _photos_delete(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("draft photo %s could not be deleted", name)


def _active(code: str | None) -> Category | None:
    return Category.objects.filter(code=code, is_active=True).first() if code else None


def _name(category: Category) -> str:
    if translation.get_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def _save(conversation: Conversation, draft: dict) -> None:
    conversation.draft = draft
    conversation.save(update_fields=["draft", "updated_at"])
