"""Zalo Official Account: answers through the OA API v3's customer-service message.

``POST {CITYOPS_ZALO_API_URL}/v3.0/oa/message/cs`` with the OA access token in the
``access_token`` header and ``{"recipient": {"user_id": ...}, "message": {"text": ...}}``. Zalo
answers HTTP 200 even when it refuses: ``{"error": 0, "data": {"message_id": ...}}`` is a
success, any other ``error`` (e.g. -216, an invalid access token) a refusal.
"""

from __future__ import annotations

from django.conf import settings

from cityops.channels.adapters import post_json
from cityops.channels.models import Conversation
from cityops.channels.outbound import SendFailed

SEND_PATH = "/v3.0/oa/message/cs"
MAX_TEXT = 2000  # Zalo refuses longer texts


def zalo_send(*, conversation: Conversation, text: str) -> str:
    """Send ``text`` to the conversation's Zalo user; the platform's message id."""
    token = settings.CITYOPS_ZALO_OA_ACCESS_TOKEN
    if not token:
        raise SendFailed("CITYOPS_ZALO_OA_ACCESS_TOKEN is not set")
    data = post_json(
        settings.CITYOPS_ZALO_API_URL + SEND_PATH,
        body={"recipient": {"user_id": conversation.address}, "message": {"text": text[:MAX_TEXT]}},
        headers={"access_token": token},
    )
    if not isinstance(data, dict) or data.get("error") not in (0, "0"):
        error = data.get("error") if isinstance(data, dict) else None
        message = data.get("message") if isinstance(data, dict) else data
        raise SendFailed(f"Zalo error {error}: {str(message)[:300]}")
    answer = data.get("data")
    return str(answer.get("message_id", "")) if isinstance(answer, dict) else ""
