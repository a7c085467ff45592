"""What a received e-mail becomes.

- A new message (no thread of ours) opens a conversation. With a place (coordinates or a map
  link in the text, or a photo's GPS position) it enters the reports workflow's intake at once
  with its photos and the channel ``email``; the sender gets an acknowledgement with the
  report's link. Intake needs a place (coordinates or an address), so a message without one
  keeps its conversation *gathering* and the sender is asked, in the same thread, where the
  problem is; the answer completes the report (its coordinates, or its words as the address).
  Operators see the waiting conversations in the admin (channels › conversations).
- A reply in a thread (the ``+token`` reply address, or In-Reply-To/References naming a message
  we sent) becomes a citizen's note on the conversation's report, with its photos.
- A message sent by a machine (auto-replies, bounces) is dropped.

Every received message is kept as evidence (``ChannelMessage``, the raw message) once per
Message-ID, in the same transaction as what it became: a message is either fully handled or
not at all, and a second delivery of it changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cityops.channels.choices import ConversationState, Delivery, Direction
from cityops.channels.mail.outbound import conversation_of_sent, thread_address, thread_token_in
from cityops.channels.mail.parse import Mail, mail_parse
from cityops.channels.models import ChannelMessage, Conversation
from cityops.channels.outbound import message_send
from cityops.channels.services import conversation_follow, message_attach, message_receive
from cityops.platform.errors import InvalidInput
from cityops.platform.images import ImageLimits, ImageRejected, image_clean
from cityops.reports.choices import Channel
from cityops.reports.models import Category, Report, ReportEvent
from cityops.reports.workflow import report_note_from_channel, report_receive

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    REPORT = "report"  # a new report
    NOTE = "note"  # a note on the thread's report
    WAITING = "waiting"  # kept; the conversation waits for the place
    IGNORED = "ignored"  # sent by a machine, or by ourselves
    REFUSED = "refused"  # kept as evidence, but intake refused it
    REPEATED = "repeated"  # the same Message-ID was handled before


@dataclass(frozen=True)
class Handled:
    outcome: Outcome
    message: ChannelMessage | None = None
    report: Report | None = None


def mail_receive(*, raw: bytes) -> Handled:
    """Handle one raw e-mail and answer its sender; safe to call twice with the same bytes."""
    mail = mail_parse(raw)
    if mail.automatic or not mail.sender:
        logger.info("e-mail %s ignored: %s", mail.message_id, mail.automatic or "no sender")
        return Handled(Outcome.IGNORED)
    if mail.sender == str(settings.CITYOPS_EMAIL_ADDRESS).lower():
        return Handled(Outcome.IGNORED)  # our own message come back: never a loop
    try:
        handled = _keep_and_handle(mail, raw)
    except InvalidInput as refused:
        # Intake refused it for good (no words, unreadable photos...): keep the evidence for
        # the operators and do not poll it again.
        logger.warning("e-mail %s refused: %s", mail.message_id, refused)
        arrival = message_receive(
            channel=Channel.EMAIL,
            address=mail.sender,
            external_id=mail.message_id,
            text=mail.text,
            payload=_payload(raw),
        )
        return Handled(Outcome.REFUSED, arrival.message)
    if handled.message is not None and handled.message.conversation is not None:
        conversation_answer(conversation=handled.message.conversation)
    return handled


@transaction.atomic
def _keep_and_handle(mail: Mail, raw: bytes) -> Handled:
    arrival = message_receive(
        channel=Channel.EMAIL,
        address=mail.sender,
        external_id=mail.message_id,
        text=mail.text,
        payload=_payload(raw),
    )
    message = arrival.message
    if not arrival.new:
        return Handled(Outcome.REPEATED, message, message.report)
    conversation = _thread_of(mail)
    if conversation is not None and conversation.report_id is not None:
        message_attach(message=message, conversation=conversation)
        followed = Report.objects.get(pk=conversation.report_id)
        citizen_note_add(report=followed, message=message, mail=mail)
        return Handled(Outcome.NOTE, message, followed)
    if conversation is None:
        conversation = Conversation.objects.create(
            channel=Channel.EMAIL,
            address=mail.sender,
            language=mail.language,
            draft={"subject": mail.subject[:200], "name": mail.sender_name[:150]},
        )
    message_attach(message=message, conversation=conversation)
    report = _report_from(conversation=conversation, mail=mail)
    if report is None:
        return Handled(Outcome.WAITING, message)
    message.report = report
    return Handled(Outcome.REPORT, message, report)


def _payload(raw: bytes) -> str:
    # Mail is 7-bit or UTF-8 in practice; other 8-bit bytes are kept as replacement characters.
    return raw.decode("utf-8", "replace").replace("\x00", "")


def _thread_of(mail: Mail) -> Conversation | None:
    token = thread_token_in(mail.recipients)
    if token:
        found = Conversation.objects.filter(channel=Channel.EMAIL, token=token).first()
        if found is None:  # a mail server that lower-cased the address
            found = Conversation.objects.filter(channel=Channel.EMAIL, token__iexact=token).first()
        if found is not None:
            return found
    return conversation_of_sent(mail.references)


def _report_from(*, conversation: Conversation, mail: Mail) -> Report | None:
    """Send the conversation's report once it has a place; None while it still has none.

    The first message gives the words and the photos; an answer to our question for the
    place gives the place (its coordinates, a photo's position, or its words as the address)
    and its photos."""
    received = list(
        ChannelMessage.objects.filter(conversation=conversation, direction=Direction.IN).order_by(
            "received_at", "pk"
        )
    )
    first = mail if len(received) <= 1 else mail_parse(received[0].payload.encode("utf-8"))
    answer = mail if len(received) > 1 else None
    location = first.location or (answer.location if answer else None)
    address = ""
    if location is None and answer is not None:
        address = " ".join(answer.text.split())[:300]
    if location is None and not address:
        return None
    photos = [photo.content for photo in first.photos]
    if answer is not None:
        photos += [photo.content for photo in answer.photos]
    description = first.text or first.subject or (answer.text if answer else "")
    if not description:
        description = _("(Photos sent by e-mail, without text.)")
    try:
        received_report = report_receive(
            description=description,
            title=first.subject[:200],
            category=_category(),
            channel=Channel.EMAIL,
            lat=location[0] if location else None,
            lon=location[1] if location else None,
            address=address,
            contact_name=conversation.draft.get("name", first.sender_name)[:150],
            contact_email=conversation.address,
            photos=_usable(photos),
        )
    except InvalidInput as refused:
        if "location" in (refused.fields or {}):  # a place outside the city: ask again
            logger.info("e-mail conversation %s: %s", conversation.pk, refused)
            return None
        raise
    report = received_report.report
    conversation_follow(conversation=conversation, report_id=report.pk)
    return report


def _limits() -> ImageLimits:
    return ImageLimits(
        max_bytes=settings.CITYOPS_UPLOAD_MAX_BYTES, max_pixels=settings.CITYOPS_UPLOAD_MAX_PIXELS
    )


def _usable(photos: list[bytes]) -> list[bytes]:
    """The attachments intake will take: real images, at most as many as a report holds.
    (Signatures' logos and unreadable files are left out rather than refusing the report.)"""
    usable = []
    for content in photos:
        try:
            image_clean(content, limits=_limits())
        except ImageRejected:
            continue
        usable.append(content)
    return usable[: settings.CITYOPS_MAX_PHOTOS]


def _category() -> Category:
    """E-mail says nothing of categories: reports wait in the IOC queue under the configured
    one (``CITYOPS_EMAIL_CATEGORY``, "other") until an operator reclassifies them."""
    found = Category.objects.filter(code=settings.CITYOPS_EMAIL_CATEGORY, is_active=True).first()
    found = found or Category.objects.filter(is_active=True).order_by("pk").first()
    if found is None:
        raise InvalidInput("No active category to receive e-mail reports.")
    return found


def citizen_note_add(*, report: Report, message: ChannelMessage, mail: Mail) -> ReportEvent | None:
    """The sender's reply as a note on the thread's report, with the reply's photos."""
    photos = [
        image_clean(content, limits=_limits())
        for content in _usable([photo.content for photo in mail.photos])
    ]
    text = mail.text or (_("(Photos sent by e-mail, without text.)") if photos else "")
    return report_note_from_channel(
        report=report,
        channel=Channel.EMAIL,
        text=text,
        photos=photos,
        data={"message": message.pk},
    )


def report_url(report_id: int) -> str:
    return settings.CITYOPS_SITE_URL + reverse("portal:report", args=[report_id])


def conversation_answer(*, conversation: Conversation) -> ChannelMessage | None:
    """Send what the sender is owed and not yet sent: the acknowledgement with the report's
    link, or the question for the place. (A poll that died after keeping a message sends it
    when the message is seen again.)"""
    conversation.refresh_from_db()
    sent = ChannelMessage.objects.filter(
        conversation=conversation, direction=Direction.OUT, delivery=Delivery.SENT
    )
    with translation.override(conversation.language):
        if conversation.report_id is not None:
            url = report_url(conversation.report_id)
            if sent.filter(text__contains=url).exists():
                return None
            text = acknowledgement_text(conversation=conversation, url=url)
        elif conversation.state == ConversationState.GATHERING:
            if sent.exists():
                return None
            text = location_question_text(conversation=conversation)
        else:
            return None
    return message_send(conversation=conversation, text=text)


def acknowledgement_text(*, conversation: Conversation, url: str) -> str:
    return "\n\n".join(
        [
            _("Hello,"),
            _(
                "The city's operations centre received your report; its number is "
                "#%(number)s. You can follow how it is handled here:"
            )
            % {"number": conversation.report_id},
            url,
            _(
                "To add information or photos, reply to this e-mail (the reply goes to "
                "%(address)s). We will write to you when the report's status changes."
            )
            % {"address": thread_address(conversation.token)},
        ]
    )


def location_question_text(*, conversation: Conversation) -> str:
    return "\n\n".join(
        [
            _("Hello,"),
            _(
                "The city's operations centre received your e-mail, but it does not say where "
                "the problem is. Please reply to this e-mail with the place: coordinates (for "
                "example 16.4637, 107.5909), a map link, a photo taken on the spot with the "
                "location turned on, or the address."
            ),
            _("Your report will be sent to the operators as soon as we know the place."),
        ]
    )
