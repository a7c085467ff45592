"""Answers on the channel the citizen used.

Each channel registers an adapter (``adapter_register``) in its app's ``ready``: a callable that
sends one text to one conversation and raises ``SendFailed`` when the platform refuses it. A
public change of a report (a ``report.changed`` event that notifies followers) queues one job
that sends the change's public wording to every conversation following the report; each sent
message is kept as evidence with its delivery state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cityops.channels.choices import ConversationState, Delivery, Direction
from cityops.channels.models import ChannelMessage, Conversation
from cityops.platform import clock
from cityops.platform.events import Event
from cityops.reports.choices import EventKind, Visibility
from cityops.reports.models import ReportEvent
from cityops.reports.notifications import event_notifies_followers
from cityops.reports.visibility import PUBLIC, event_note_for
from cityops.reports.wording import public_status

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    """The platform did not take the message (refused, unreachable, a bad token)."""


# adapter(conversation=..., text=...) -> the platform's id of the sent message ("" if none)
Adapter = Callable[..., str]
_adapters: dict[str, Adapter] = {}


def adapter_register(*, channel: str, adapter: Adapter) -> None:
    """Register (or replace: a second ``ready()`` is harmless) the sender of ``channel``."""
    _adapters[channel] = adapter


def adapter_for(channel: str) -> Adapter | None:
    return _adapters.get(channel)


def message_send(*, conversation: Conversation, text: str) -> ChannelMessage:
    """Send ``text`` on the conversation's channel and keep it as evidence, sent or failed."""
    message = ChannelMessage.objects.create(
        channel=conversation.channel,
        direction=Direction.OUT,
        conversation=conversation,
        report=conversation.report,
        address=conversation.address,
        text=text,
        received_at=clock.now(),
        delivery=Delivery.QUEUED,
    )
    adapter = adapter_for(conversation.channel)
    message.attempts = 1
    if adapter is None:
        message.delivery, message.error = Delivery.FAILED, "no adapter for this channel"
    else:
        try:
            with translation.override(conversation.language):
                message.external_id = adapter(conversation=conversation, text=text) or ""
            message.delivery = Delivery.SENT
        except SendFailed as error:
            logger.warning("channel %s: send failed: %s", conversation.channel, error)
            message.delivery, message.error = Delivery.FAILED, str(error)[:500]
    message.save(update_fields=["external_id", "delivery", "error", "attempts"])
    return message


def conversations_following(*, report_id: int) -> list[Conversation]:
    return list(Conversation.objects.filter(report_id=report_id, state=ConversationState.FOLLOWING))


def enqueue_channel_replies(event: Event) -> None:
    """Subscriber of ``report.changed`` (wired in ``ChannelsConfig.ready``); runs after commit."""
    from cityops.channels.tasks import reply_on_channels

    event_id = event.payload.get("event")
    report_id = event.payload.get("id")
    if event.topic != "report.changed" or not isinstance(event_id, int):
        return
    if event.payload.get("kind") == EventKind.SUBMITTED:
        return  # the channel acknowledged the report itself (and intake asks no more of us)
    if not isinstance(report_id, int) or not conversations_following(report_id=report_id):
        return
    if event_notifies_followers(event_id=event_id):
        reply_on_channels.enqueue(event_id=event_id)


def channel_replies_send(*, event_id: int) -> int:
    """Send the public wording of one report change to every conversation following the
    report, each in its language; returns how many were sent."""
    event = (
        ReportEvent.objects.select_related("report")
        .filter(pk=event_id, visibility=Visibility.PUBLIC)
        .first()
    )
    if event is None:
        return 0
    sent = 0
    for conversation in conversations_following(report_id=event.report_id):
        with translation.override(conversation.language):
            text = reply_text(event=event)
        message = message_send(conversation=conversation, text=text)
        sent += message.delivery == Delivery.SENT
    return sent


def reply_text(*, event: ReportEvent) -> str:
    """One short message a phone shows whole: the report's number, its public status, the
    public note if any (as the public page shows it) and the link."""
    report = event.report
    url = settings.CITYOPS_SITE_URL + reverse("portal:report", args=[report.pk])
    note = event_note_for(event=event, reader=PUBLIC)
    parts = [
        _("Report #%(number)s: %(status)s.")
        % {"number": report.pk, "status": public_status(report.status)},
        note,
        url,
    ]
    return "\n".join(str(part) for part in parts if part)
