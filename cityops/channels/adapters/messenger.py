"""Facebook Messenger: answers through the Graph API's Send API.

``POST {CITYOPS_META_GRAPH_URL}/me/messages?access_token=<page token>`` with
``{"recipient": {"id": <page-scoped id>}, "messaging_type": "RESPONSE", "message": {"text":
...}}``; Meta answers ``{"recipient_id": ..., "message_id": ...}``, or a non-2xx status with
``{"error": {"message", "type", "code"}}``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings

from cityops.channels.adapters import post_json
from cityops.channels.models import Conversation
from cityops.channels.outbound import SendFailed

MAX_TEXT = 2000  # the Send API refuses longer texts


def messenger_send(*, conversation: Conversation, text: str) -> str:
    """Send ``text`` to the conversation's Messenger user; the platform's message id."""
    token = settings.CITYOPS_META_PAGE_TOKEN
    if not token:
        raise SendFailed("CITYOPS_META_PAGE_TOKEN is not set")
    url = f"{settings.CITYOPS_META_GRAPH_URL}/me/messages?{urlencode({'access_token': token})}"
    data = post_json(
        url,
        body={
            "recipient": {"id": conversation.address},
            "messaging_type": "RESPONSE",
            "message": {"text": text[:MAX_TEXT]},
        },
    )
    if not isinstance(data, dict) or "error" in data:
        error = data.get("error") if isinstance(data, dict) else data
        raise SendFailed(f"Messenger error: {str(error)[:300]}")
    return str(data.get("message_id", ""))
