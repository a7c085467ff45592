"""The daily press digest: every morning at ``digest_time`` (07:00 city time) an e-mail to the
addresses of ``CITYOPS_PRESS["digest_recipients"]`` (``CITYOPS_PRESS_DIGEST_TO``) with the last
24 hours in the press: the ten stories told by most outlets, the split of tones, the watched
names most mentioned, the negative stories, and links to the console's press pages.

The job ``tasks.send_press_digest`` runs every five minutes and asks ``press_digest_due``: the
first run from 07:00 sends the day's digest (a worker that was down at 07:00 sends it when it is
back, the same day). ``PressDigest`` records the day in the transaction that sends, so a second
run, or a second worker, sends nothing that day; a failed sending leaves no record and the next
run tries again.

Each recipient reads it in their account's language when the address is an active user's, else
in the city's. Press text is public, but a story's field reports appear by number only: never a
reporter, a contact or a citizen's words.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityops.accounts.models import User
from cityops.platform import clock
from cityops.press.choices import Tone
from cityops.press.models import Item, Mention, PressDigest, Story, StoryReport, WatchEntry
from cityops.press.selectors import stories_top, tone_split, watch_entries_with_counts

logger = logging.getLogger(__name__)

PERIOD = timedelta(hours=24)
TOP_STORIES = 10
NEGATIVE_STORIES = 10
WATCHED_NAMES = 10
# The console's press pages (``cityops/press/console_urls.py``, namespace ``console:press``).
STORY_URL_NAME = "console:press:story"
PRESS_URL_NAME = "console:press:overview"


# --- when --------------------------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def digest_time() -> time:
    """The city time the digest goes out (``digest_time``, "HH:MM")."""
    value = str(settings.CITYOPS_PRESS.get("digest_time", "07:00"))
    try:
        return time.fromisoformat(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"CITYOPS_PRESS_DIGEST_TIME is not HH:MM: {value!r}") from error


def press_digest_due(*, now: datetime | None = None) -> datetime | None:
    """Today's digest time (city time) once it has come, while today's digest is not sent yet;
    else None."""
    now = now or clock.now()
    today = now.astimezone(_zone()).date()
    at = datetime.combine(today, digest_time(), tzinfo=_zone())
    if now < at or PressDigest.objects.filter(day=today).exists():
        return None
    return at


# --- to whom -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str


def digest_recipients() -> list[Recipient]:
    """The configured addresses, each once, each with its language: the language of the active
    account with that address when it has one, else the city's."""
    addresses: dict[str, str] = {}
    for raw in settings.CITYOPS_PRESS.get("digest_recipients", []):
        address = str(raw).strip()
        if address and address.lower() not in addresses:
            addresses[address.lower()] = address
    if not addresses:
        return []
    known = dict(settings.LANGUAGES)
    languages: dict[str, str] = {}
    accounts = (
        User.objects.filter(is_active=True)
        .filter(reduce(or_, (Q(email__iexact=address) for address in addresses.values())))
        .exclude(language="")
        .order_by("pk")
        .values_list("email", "language")
    )
    for email, language in accounts:
        if language in known:
            languages.setdefault(email.lower(), language)
    return [
        Recipient(address, languages.get(lowered, settings.LANGUAGE_CODE))
        for lowered, address in addresses.items()
    ]


# --- what ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestStory:
    story: Story
    url: str  # its page in the console ("" where the console has no press pages)
    source_url: str  # the first outlet's article
    reports: list[int]  # the numbers of its field reports, nothing else of them
    names: list[str]  # the watched names in it


@dataclass(frozen=True)
class ToneShare:
    label: str | Promise
    stories: int
    percent: int


@dataclass(frozen=True)
class DigestContent:
    day: date
    start: datetime
    end: datetime
    items: int
    stories: int
    top: list[DigestStory]
    negative: list[DigestStory]
    tones: list[ToneShare]
    names: list[WatchEntry]  # annotated ``mention_count`` and ``negative_count``
    press_url: str


def _absolute(name: str, *args: object) -> str:
    """The site's address of a page, as the project's other e-mails give it; "" when the page
    does not exist (the console's press pages are their own app's)."""
    try:
        return settings.CITYOPS_SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _digest_stories(stories: list[Story]) -> list[DigestStory]:
    ids = [story.pk for story in stories]
    reports: defaultdict[int, list[int]] = defaultdict(list)
    for story_id, report_id in (
        StoryReport.objects.filter(story_id__in=ids)
        .order_by("report_id")
        .values_list("story_id", "report_id")
    ):
        reports[story_id].append(report_id)
    names: defaultdict[int, list[str]] = defaultdict(list)
    for story_id, name in (
        Mention.objects.filter(item__story_id__in=ids, entry__is_active=True)
        .order_by("entry__name")
        .values_list("item__story_id", "entry__name")
        .distinct()
    ):
        names[story_id].append(name)
    first_urls: dict[int, str] = {}
    for story_id, url in (
        Item.objects.filter(story_id__in=ids)
        .order_by("dated_at", "pk")
        .values_list("story_id", "url")
    ):
        first_urls.setdefault(story_id, url)
    return [
        DigestStory(
            story=story,
            url=_absolute(STORY_URL_NAME, story.pk),
            source_url=first_urls.get(story.pk, ""),
            reports=reports[story.pk],
            names=names[story.pk],
        )
        for story in stories
    ]


def _tone_shares(split: dict[str, int]) -> list[ToneShare]:
    total = sum(split.values())
    labels: dict[str, str | Promise] = {str(tone): tone.label for tone in Tone}
    labels[""] = _("Not known yet")
    return [
        ToneShare(labels.get(tone, tone), count, round(100 * count / total) if total else 0)
        for tone, count in split.items()
    ]


def digest_content(*, start: datetime, end: datetime) -> DigestContent:
    """What the digest of ``[start, end)`` tells (the same for every recipient)."""
    split = tone_split(start=start, end=end)
    top = list(stories_top(start=start, end=end, limit=TOP_STORIES))
    negative = list(stories_top(start=start, end=end, limit=NEGATIVE_STORIES, tone=Tone.NEGATIVE))
    unique = {story.pk: story for story in top + negative}
    described = {told.story.pk: told for told in _digest_stories(list(unique.values()))}
    # Most mentioned first: the first ones without a mention end the list.
    ranked = watch_entries_with_counts(start=start, end=end)[:WATCHED_NAMES]
    names = [entry for entry in ranked if getattr(entry, "mention_count", 0)]
    return DigestContent(
        day=end.astimezone(_zone()).date(),
        start=start,
        end=end,
        items=Item.objects.filter(dated_at__gte=start, dated_at__lt=end).count(),
        stories=sum(split.values()),
        top=[described[story.pk] for story in top],
        negative=[described[story.pk] for story in negative],
        tones=_tone_shares(split),
        names=names,
        press_url=_absolute(PRESS_URL_NAME),
    )


def digest_message(*, content: DigestContent, recipient: Recipient) -> EmailMultiAlternatives:
    """The digest for one recipient, in their language: plain text with an HTML alternative."""
    with translation.override(recipient.language):
        context = {"digest": content, "language": recipient.language}
        subject = render_to_string("press/email/digest_subject.txt", context)
        text = render_to_string("press/email/digest.txt", context)
        html = render_to_string("press/email/digest.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[recipient.address])
    message.attach_alternative(html, "text/html")
    return message


# --- sending --------------------------------------------------------------------------------------


def press_digest_send(*, at: datetime | None = None) -> int:
    """Send the digest of the 24 hours before ``at`` (default: now) as the digest of ``at``'s
    city day, unless that day's digest went out already; returns how many e-mails were sent.
    Without recipients nothing is sent nor recorded."""
    at = at or clock.now()
    day = at.astimezone(_zone()).date()
    if PressDigest.objects.filter(day=day).exists():
        return 0
    recipients = digest_recipients()
    if not recipients:
        return 0
    content = digest_content(start=at - PERIOD, end=at)
    messages = [digest_message(content=content, recipient=r) for r in recipients]
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = PressDigest.objects.create(
                    day=day,
                    period_end=at,
                    sent_at=clock.now(),
                    recipients=len(messages),
                    stories=len(content.top),
                )
        except IntegrityError:  # sent by another run meanwhile
            return 0
        # Sent inside the transaction: if sending fails the record goes too, and the next run
        # sends it; another run waits on the day's row meanwhile and then finds it taken.
        sent = get_connection().send_messages(messages) or 0
        if sent != record.recipients:
            record.recipients = sent
            record.save(update_fields=["recipients"])
    logger.info("press digest of %s sent to %d address(es)", day, sent)
    return sent
