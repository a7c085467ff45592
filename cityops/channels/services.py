"""Writes of the channels: messages kept as evidence, conversations opened and followed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from cityops.channels.choices import ConversationState, Delivery, Direction
from cityops.channels.models import ChannelMessage, Conversation
from cityops.platform import clock
from cityops.reports.choices import Channel


@dataclass(frozen=True)
class Arrival:
    """A received message and whether it is new (False: a repeated delivery, already kept)."""

    message: ChannelMessage
    new: bool


def message_receive(
    *,
    channel: Channel,
    address: str,
    external_id: str = "",
    text: str = "",
    payload: str = "",
    received_at: datetime | None = None,
    conversation: Conversation | None = None,
) -> Arrival:
    """Keep one incoming message as evidence; a delivery seen before (same channel and
    ``external_id``) is not kept again and comes back with ``new=False``.

    Safe under concurrent deliveries of the same message: the unique constraint decides.
    """
    if external_id:
        seen = ChannelMessage.objects.filter(
            channel=channel, direction=Direction.IN, external_id=external_id
        ).first()
        if seen is not None:
            return Arrival(seen, new=False)
    try:
        with transaction.atomic():
            message = ChannelMessage.objects.create(
                channel=channel,
                direction=Direction.IN,
                external_id=external_id,
                conversation=conversation,
                report=conversation.report if conversation is not None else None,
                address=address,
                text=text,
                payload=payload,
                received_at=received_at or clock.now(),
                delivery=Delivery.RECEIVED,
            )
    except IntegrityError:  # the same delivery, kept by a concurrent request meanwhile
        seen = ChannelMessage.objects.get(
            channel=channel, direction=Direction.IN, external_id=external_id
        )
        return Arrival(seen, new=False)
    return Arrival(message, new=True)


def conversation_open(*, channel: Channel, address: str, language: str = "vi") -> Conversation:
    """The citizen's conversation still gathering a report on ``channel``, or a new one.

    One at a time per citizen and channel (a unique constraint): two first messages arriving
    at once open one conversation, and the second finds it.
    """
    gathering = Conversation.objects.filter(
        channel=channel, address=address, state=ConversationState.GATHERING
    )
    found = gathering.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Conversation.objects.create(channel=channel, address=address, language=language)
    except IntegrityError:  # opened by a concurrent message meanwhile
        return gathering.get()


def message_attach(*, message: ChannelMessage, conversation: Conversation) -> ChannelMessage:
    """Put a received message into its conversation (and its report, once there is one)."""
    message.conversation = conversation
    message.report = conversation.report
    message.save(update_fields=["conversation", "report"])
    return message


def conversation_follow(*, conversation: Conversation, report_id: int) -> Conversation:
    """The conversation's report was sent: from now on the citizen hears of its changes here,
    and the conversation's messages are evidence of that report."""
    conversation.report_id = report_id
    conversation.state = ConversationState.FOLLOWING
    conversation.draft = {}
    conversation.save(update_fields=["report", "state", "draft", "updated_at"])
    ChannelMessage.objects.filter(conversation=conversation, report=None).update(
        report_id=report_id
    )
    return conversation
