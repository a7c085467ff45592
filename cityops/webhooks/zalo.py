"""Zalo Official Account webhook: ``POST /webhooks/zalo/``.

Zalo signs each call with ``X-ZEvent-Signature: mac=<hex>``, the SHA-256 (a plain hash, not an
HMAC) of app id + the raw JSON body + the body's ``timestamp`` + the OA secret key (the OA's key,
not the app secret). Source: Zalo for Developers, "Official Account API > Webhook > Xác thực
webhook", as summarised in https://hainh.me/zalo-api-php-webhook-callback-official-account.html
("so sánh giá trị trong header X-ZEvent-Signature với mã hash SHA256 của chuỗi kết hợp: ID của
ứng dụng, chuỗi JSON trả về trong body, timestamp lấy từ chuỗi JSON, mã bí mật của Official
Account"). The timestamp is read from the raw bytes, so nothing is parsed before the signature
holds. Zalo wants 200 within 2 seconds, or it retries; retries are recognised by ``msg_id``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cityops.reports.choices import Channel
from cityops.webhooks.chat import (
    ChatMessage,
    attachments_read,
    channel_on,
    chat_message_handle,
    too_many,
)

SIGNATURE_HEADER = "X-ZEvent-Signature"
_TIMESTAMP = re.compile(rb'"timestamp"\s*:\s*"?(\d{1,20})"?')
MESSAGE_EVENTS = {"user_send_text", "user_send_image", "user_send_location", "user_send_link"}


def zalo_signature(*, raw_body: bytes, timestamp: str, app_id: str, oa_secret_key: str) -> str:
    """The ``X-ZEvent-Signature`` Zalo sends for ``raw_body`` (also used by the tests' fake)."""
    joined = app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    return "mac=" + hashlib.sha256(joined).hexdigest()


def _signed(request: HttpRequest) -> bool:
    app_id, secret = settings.CITYOPS_ZALO_APP_ID, settings.CITYOPS_ZALO_OA_SECRET_KEY
    given = request.headers.get(SIGNATURE_HEADER, "")
    found = _TIMESTAMP.search(request.body)
    if not (app_id and secret and given and found):
        return False
    expected = zalo_signature(
        raw_body=request.body, timestamp=found.group(1).decode(), app_id=app_id,
        oa_secret_key=secret,
    )  # fmt: skip
    return hmac.compare_digest(expected.encode(), given.strip().encode())


@csrf_exempt
def zalo_webhook(request: HttpRequest) -> HttpResponse:
    if not channel_on(Channel.ZALO):
        return HttpResponse(status=404)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not _signed(request):
        return HttpResponse("Bad signature", status=401, content_type="text/plain")
    limited = too_many(Channel.ZALO)
    if limited is not None:
        return limited
    try:
        event = json.loads(request.body)
    except ValueError:
        return HttpResponse("Not JSON", status=400, content_type="text/plain")
    raw = request.body.decode("utf-8", errors="replace")
    message = zalo_message(event, raw=raw) if isinstance(event, dict) else None
    if message is not None:
        chat_message_handle(channel=Channel.ZALO, message=message)
    return JsonResponse({"ok": True})


def zalo_message(event: dict[str, Any], *, raw: str) -> ChatMessage | None:
    """A citizen's text, photo or shared location; None for other events (follow, seen...)."""
    if event.get("event_name") not in MESSAGE_EVENTS:
        return None
    sender, body = event.get("sender") or {}, event.get("message") or {}
    address, msg_id = str(sender.get("id") or ""), str(body.get("msg_id") or "")
    if not address or not msg_id:
        return None
    lat, lon, image_url = attachments_read(
        body.get("attachments") or [], lat_key="latitude", lon_key="longitude"
    )
    return ChatMessage(
        address=address,
        external_id=msg_id,
        payload=raw,  # the body as signed: the evidence
        text=str(body.get("text") or ""),
        lat=lat,
        lon=lon,
        image_url=image_url,
    )


urlpatterns = [path("zalo/", zalo_webhook, name="zalo")]
