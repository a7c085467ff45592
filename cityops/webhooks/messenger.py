"""Facebook Messenger webhook: ``GET`` and ``POST /webhooks/messenger/``.

GET is Meta's verification when the webhook is set up: ``hub.mode=subscribe``, the
``hub.verify_token`` we chose (``CITYOPS_META_VERIFY_TOKEN``) and ``hub.challenge`` echoed back.
POST carries ``{"object": "page", "entry": [{"messaging": [...]}]}``, signed with
``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>``
(developers.facebook.com/docs/messenger-platform/webhooks, "Validate payloads"). One call may
batch several messages; each is kept once by its ``mid``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cityops.reports.choices import Channel
from cityops.webhooks.chat import (
    ChatMessage,
    attachments_read,
    channel_on,
    chat_message_handle,
    too_many,
)

SIGNATURE_HEADER = "X-Hub-Signature-256"


def meta_signature(*, raw_body: bytes, app_secret: str) -> str:
    """The ``X-Hub-Signature-256`` Meta sends for ``raw_body`` (also used by the tests' fake)."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def _signed(request: HttpRequest) -> bool:
    secret = settings.CITYOPS_META_APP_SECRET
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not secret or not given:
        return False
    expected = meta_signature(raw_body=request.body, app_secret=secret)
    return hmac.compare_digest(expected.encode(), given.strip().encode())


@csrf_exempt
@require_http_methods(["GET", "POST"])
def messenger_webhook(request: HttpRequest) -> HttpResponse:
    if not channel_on(Channel.FACEBOOK):
        return HttpResponse(status=404)
    if request.method == "GET":
        return _verification(request)
    if not _signed(request):
        return HttpResponse("Bad signature", status=401, content_type="text/plain")
    limited = too_many(Channel.FACEBOOK)
    if limited is not None:
        return limited
    try:
        body = json.loads(request.body)
    except ValueError:
        return HttpResponse("Not JSON", status=400, content_type="text/plain")
    for message in messenger_messages(body):
        chat_message_handle(channel=Channel.FACEBOOK, message=message)
    return JsonResponse({"ok": True})


def _verification(request: HttpRequest) -> HttpResponse:
    token = settings.CITYOPS_META_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") != "subscribe"
        or not token
        or not hmac.compare_digest(token.encode(), given.encode())
    ):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")


def messenger_messages(body: Any) -> list[ChatMessage]:
    """The citizens' messages in one call: texts, photos and locations; echoes of the page's
    own messages, deliveries and reads are left out."""
    if not isinstance(body, dict) or body.get("object") != "page":
        return []
    found = []
    for entry in body.get("entry") or []:
        for event in (entry or {}).get("messaging") or []:
            message = _message(event)
            if message is not None:
                found.append(message)
    return found


def _message(event: dict[str, Any]) -> ChatMessage | None:
    body = event.get("message") or {}
    address, mid = str((event.get("sender") or {}).get("id") or ""), str(body.get("mid") or "")
    if not address or not mid or body.get("is_echo"):
        return None
    lat, lon, image_url = attachments_read(
        body.get("attachments") or [], lat_key="lat", lon_key="long"
    )
    return ChatMessage(
        address=address,
        external_id=mid,
        payload=json.dumps(event, ensure_ascii=False),
        text=str(body.get("text") or ""),
        lat=lat,
        lon=lon,
        image_url=image_url,
    )


urlpatterns = [path("messenger/", messenger_webhook, name="messenger")]
