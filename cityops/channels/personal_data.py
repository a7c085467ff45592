"""The channels' part of a person's data (Law 91/2025): their conversations on outside channels,
the messages they sent and were sent there, and the browsers they allowed to receive pushes.

A conversation is theirs when it is linked to their account, or when it is at their account's
phone number (SMS) or e-mail address: a citizen who texted the city before signing up gets
those texts in their export too, and erased with their account.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from cityops.accounts.models import User
from cityops.channels.choices import ConversationState
from cityops.channels.models import ChannelMessage, Conversation, PushSubscription
from cityops.reports.choices import Channel


def _addresses(user: User) -> Q:
    """Where the user is on the channels: their account, their phone, their e-mail."""
    condition = Q(user=user)
    if user.phone:
        condition |= Q(channel=Channel.SMS, address=user.phone)
    if user.email:
        condition |= Q(channel=Channel.EMAIL, address__iexact=user.email)
    return condition


def conversations_of(*, user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(_addresses(user)).order_by("created_at", "pk")


def _messages_of(user: User, conversations: QuerySet[Conversation]) -> QuerySet[ChannelMessage]:
    # A message kept before it joined a conversation (a repeated delivery) is found by address.
    direct = Q()
    if user.phone:
        direct |= Q(channel=Channel.SMS, address=user.phone)
    if user.email:
        direct |= Q(channel=Channel.EMAIL, address__iexact=user.email)
    return ChannelMessage.objects.filter(Q(conversation__in=conversations) | direct)


def channel_data_of(*, user: User) -> dict[str, Any]:
    """The channels app's part of a personal-data export."""
    conversations = conversations_of(user=user)
    messages = _messages_of(user, conversations).order_by("received_at", "pk")
    return {
        "conversations": [
            {
                "id": conversation.pk,
                "channel": conversation.channel,
                "address": conversation.address,
                "state": conversation.state,
                "report": conversation.report_id,
                "started": conversation.created_at.isoformat(),
            }
            for conversation in conversations
        ],
        "channel_messages": [
            {
                "conversation": message.conversation_id,
                "channel": message.channel,
                "direction": message.direction,
                "report": message.report_id,
                "text": message.text,
                "time": message.received_at.isoformat(),
            }
            for message in messages
        ],
        "push_subscriptions": [
            {"browser": subscription.user_agent, "since": subscription.created_at.isoformat()}
            for subscription in PushSubscription.objects.filter(user=user).order_by("pk")
        ],
    }


@transaction.atomic
def channel_data_erase(*, user: User) -> int:
    """Before the account goes: its browsers stop receiving pushes, and its conversations and
    messages lose who and what (the rows stay, as counts of the channels' traffic). Returns how
    many conversations were blanked."""
    PushSubscription.objects.filter(user=user).delete()
    conversations = conversations_of(user=user)
    _messages_of(user, conversations).update(address="", text="", payload="", error="")
    return Conversation.objects.filter(
        pk__in=list(conversations.values_list("pk", flat=True))
    ).update(address="", draft={}, user=None, state=ConversationState.CLOSED)
