"""What the chat webhooks (Zalo, Messenger) share once a platform's signature is checked: the
per-channel rate limit and the path of one incoming message, kept first, then taken into its
conversation, then answered on the same channel."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse

from cityops.channels import outbound
from cityops.channels.adapters import FetchFailed, file_fetch
from cityops.channels.conversation import conversation_held, conversation_take
from cityops.channels.services import message_attach, message_receive
from cityops.platform.ratelimit import Hit, rate_for, rate_limits_hit
from cityops.reports.choices import Channel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChatMessage:
    """One citizen's message as a platform delivered it, in the platform's own words."""

    address: str  # who sent it on the platform
    external_id: str  # the platform's message id
    payload: str  # the raw event, kept as evidence
    text: str = ""
    lat: float | None = None
    lon: float | None = None
    image_url: str = ""


def attachments_read(
    attachments: list[Any], *, lat_key: str, lon_key: str
) -> tuple[float | None, float | None, str]:
    """A shared location (its coordinates under the platform's key names) and the first
    image's address among a chat message's attachments; what is malformed is left out."""
    lat = lon = None
    image_url = ""
    for attachment in attachments:
        payload = (attachment or {}).get("payload") or {}
        if attachment.get("type") == "location":
            coordinates = payload.get("coordinates") or {}
            with contextlib.suppress(KeyError, TypeError, ValueError):
                lat, lon = float(coordinates[lat_key]), float(coordinates[lon_key])
        elif attachment.get("type") == "image" and not image_url:
            image_url = str(payload.get("url") or "")
    return lat, lon, image_url


def channel_on(channel: Channel) -> bool:
    return bool(settings.CITYOPS_CHANNELS.get(str(channel)))


def too_many(channel: Channel) -> HttpResponse | None:
    """429 with Retry-After once the channel's calls pass ``webhook_per_channel``."""
    wait = rate_limits_hit([Hit("webhook", str(channel), rate_for("webhook_per_channel"))])
    if wait is None:
        return None
    response = HttpResponse("Too many requests", status=429, content_type="text/plain")
    response["Retry-After"] = str(wait)
    return response


def chat_message_handle(*, channel: Channel, message: ChatMessage) -> bool:
    """Keep the message, then take it into its conversation and send the replies; False for a
    delivery already kept (nothing more is done). A failure after the message is kept is
    logged, never lost: the message stays as evidence for the IOC."""
    arrival = message_receive(
        channel=channel,
        address=message.address,
        external_id=message.external_id,
        text=message.text,
        payload=message.payload,
    )
    if not arrival.new:
        return False
    try:
        photo = None
        if message.image_url:  # fetched before the conversation is held: the network is slow
            try:
                photo = file_fetch(message.image_url, max_bytes=settings.CITYOPS_UPLOAD_MAX_BYTES)
            except FetchFailed as failed:
                logger.info("channel %s: photo not fetched: %s", channel, failed)
                photo = b""  # vetted as "not an image": the citizen is told
        with conversation_held(channel=channel, address=message.address) as conversation:
            message_attach(message=arrival.message, conversation=conversation)
            replies = conversation_take(
                conversation=conversation,
                text=message.text,
                lat=message.lat,
                lon=message.lon,
                photo=photo,
            )
            conversation.refresh_from_db()
        for reply in replies:
            outbound.message_send(conversation=conversation, text=reply)
    except Exception:
        logger.exception("channel %s: message %s kept but not taken", channel, arrival.message.pk)
    return True
