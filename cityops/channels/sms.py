"""Text messages: a citizen texts the city's number, and a phone-only reporter hears of their
report by SMS.

What a text says decides what happens (``sms_handle``):

- ``PA 1234`` (also ``pa1234``, ``PA #1234``, ``Phản ánh 1234``, any case, with or without
  diacritics) asks for the public status of report 1234: the answer says what the public page
  shows, and a report the public cannot see (hidden, or not yet checked and not sent from this
  number) answers as not found.
- anything else is a report, gathered in two texts. An SMS carries no location and intake
  requires one (a point or an address: a report without a place cannot be routed to the agency
  in charge), so the first text is kept as the description and the answer asks for the place
  (a street, a house number, a landmark) or points to the portal and app, where the map is;
  the next text is that place, and the report is sent with it as its address. The category is
  the classifier's suggestion for the description (it reads texts without diacritics, "den
  duong hong"), else the catch-all category; the operator checks both at triage.

Reports whose reporter gave a phone number and no e-mail (a hotline call, a portal account with
a phone only) are followed by a conversation on that number (``phone_reporter_follow``), so
each public change reaches them by SMS through ``outbound``'s subscriber like any channel.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cityops.accounts.phones import phone_clean
from cityops.channels.choices import ConversationState
from cityops.channels.models import ChannelMessage, Conversation
from cityops.channels.outbound import message_send
from cityops.channels.services import (
    Arrival,
    conversation_follow,
    conversation_open,
    message_attach,
    message_receive,
)
from cityops.intel.suggestions import suggestion_for_text
from cityops.intel.text import fold
from cityops.platform.errors import InvalidInput
from cityops.platform.events import Event
from cityops.reports.choices import Channel, EventKind, ReportStatus
from cityops.reports.models import Category, Report
from cityops.reports.selectors import reports_public
from cityops.reports.wording import public_status
from cityops.reports.workflow import report_submit

# The Open311 service code of the seed's catch-all category ("Khác"): a text the classifier
# cannot place goes there, for the operator to classify at triage.
CATCH_ALL_CATEGORY = "other"

_STATUS_ASKED = re.compile(r"^\s*(?:pa|phan\s*anh)\s*(?:so\s*)?#?\s*(\d{1,9})\s*[.!?]?\s*$")


def phone_of(sender: str) -> str:
    """The sender as stored for reports (``0905123456``), or as given when it is not a
    Vietnamese number (a short code, a foreign phone)."""
    try:
        return phone_clean(sender)
    except ValidationError:
        return sender.strip()


def status_asked(text: str) -> int | None:
    """The report number a text asks about ("PA 1234" and its variants), else None."""
    found = _STATUS_ASKED.match(fold(text))
    return int(found.group(1)) if found else None


def sms_receive(
    *, sender: str, text: str, external_id: str, payload: str, received_at: datetime | None
) -> Arrival:
    """Keep an incoming text as evidence (once per gateway id)."""
    return message_receive(
        channel=Channel.SMS,
        address=phone_of(sender),
        external_id=external_id,
        text=text,
        payload=payload,
        received_at=received_at,
    )


def _link(report_id: int) -> str:
    return settings.CITYOPS_SITE_URL + reverse("portal:report", args=[report_id])


def status_answer(*, number: int, phone: str) -> str:
    """What the public page says of report ``number``: its status and link; "not found" for a
    report the public cannot see, unless it is this number's own report still being checked."""
    report = reports_public(reviewed_only=True).filter(pk=number).first()
    if report is None:
        report = Report.objects.filter(
            pk=number, status=ReportStatus.SUBMITTED, contact_phone=phone
        ).first()
    if report is None:
        return _("Report #%(number)s was not found.") % {"number": number}
    return (
        _("Report #%(number)s: %(status)s.")
        % {
            "number": report.pk,
            "status": public_status(report.status),
        }
        + "\n"
        + _link(report.pk)
    )


def _category_for(description: str) -> Category | None:
    suggested = suggestion_for_text(description).category
    if suggested is not None:
        return suggested
    return (
        Category.objects.filter(code=CATCH_ALL_CATEGORY, is_active=True).first()
        or Category.objects.filter(is_active=True).order_by("position", "pk").first()
    )


def sms_handle(*, message_id: int) -> ChannelMessage | None:
    """Answer one received text (a job: the webhook has answered the gateway already)."""
    message = ChannelMessage.objects.filter(pk=message_id).first()
    if message is None or message.conversation_id is not None:
        return None  # gone, or already answered
    conversation = conversation_open(channel=Channel.SMS, address=message.address)
    message_attach(message=message, conversation=conversation)
    with translation.override(conversation.language):
        number = status_asked(message.text)
        if number is not None:
            return message_send(
                conversation=conversation,
                text=status_answer(number=number, phone=message.address),
            )
        return message_send(conversation=conversation, text=_gather(conversation, message))


def _gather(conversation: Conversation, message: ChannelMessage) -> str:
    """The next step of a report by text: keep the description, then send it with its place."""
    text = message.text.strip()
    description = conversation.draft.get("description", "")
    if not text:
        return _("Describe the problem in your text, or send PA and a report's number.")
    if not description:
        conversation.draft = {"description": text}
        conversation.save(update_fields=["draft", "updated_at"])
        return _(
            "Thank you. Where is it? Reply with the street, house number or a landmark. "
            "To pick it on a map, use the portal or the app."
        )
    category = _category_for(description)
    if category is None:
        return _("Reports cannot be taken by text now: please call the hotline.")
    try:
        report = report_submit(
            description=description,
            address=text,
            category=category,
            channel=Channel.SMS,
            contact_phone=message.address if message.address.startswith("0") else "",
        )
    except InvalidInput:
        conversation.draft = {}
        conversation.save(update_fields=["draft", "updated_at"])
        return _("Your report could not be recorded: please use the portal or call the hotline.")
    conversation_follow(conversation=conversation, report_id=report.pk)
    return (
        _(
            "Report #%(number)s is recorded. You will get each change by text; send PA %(number)s "
            "for its status."
        )
        % {"number": report.pk}
        + "\n"
        + _link(report.pk)
    )


# --- phone-only reporters -------------------------------------------------------------------


def reporter_has_only_a_phone(report: Report) -> bool:
    """Whether the reporter can be told of changes by SMS alone: a contact phone, and no
    e-mail given on the report nor on their account."""
    account_email = report.reporter.email if report.reporter is not None else ""
    return bool(report.contact_phone) and not report.contact_email and not account_email


def phone_reporter_follow(*, report_id: int) -> Conversation | None:
    """Follow a newly received report on its reporter's phone, when that is their only
    contact; reports sent by SMS follow their own conversation already. The reporter gets one
    text saying so."""
    report = Report.objects.select_related("reporter").filter(pk=report_id).first()
    if report is None or report.channel == Channel.SMS or report.is_demo:
        return None
    if not reporter_has_only_a_phone(report):
        return None
    phone = report.contact_phone
    if Conversation.objects.filter(channel=Channel.SMS, address=phone, report=report).exists():
        return None
    conversation = conversation_open(channel=Channel.SMS, address=phone)
    if conversation.draft or conversation.state != ConversationState.GATHERING:
        # The number is in the middle of texting a report: that one keeps its draft.
        conversation = Conversation.objects.create(channel=Channel.SMS, address=phone)
    conversation_follow(conversation=conversation, report_id=report.pk)
    with translation.override(conversation.language):
        text = (
            _(
                "Report #%(number)s is recorded. You will get each change by text; send PA "
                "%(number)s for its status."
            )
            % {"number": report.pk}
            + "\n"
            + _link(report.pk)
        )
    message_send(conversation=conversation, text=text)
    return conversation


def enqueue_phone_follow(event: Event) -> None:
    """Subscriber of ``report.changed`` (wired in ``ChannelsConfig.ready``): a report just
    received is followed by SMS when its reporter gave a phone number only."""
    from cityops.channels.tasks import follow_by_sms

    report_id = event.payload.get("id")
    if event.topic != "report.changed" or event.payload.get("kind") != EventKind.SUBMITTED:
        return
    if isinstance(report_id, int) and settings.CITYOPS_CHANNELS.get("sms"):
        follow_by_sms.enqueue(report_id=report_id)
