"""SMS gateway webhook: ``POST /webhooks/sms/``, one incoming text per call.

The gateway POSTs JSON ``{"from": "+84905123456", "text": "...", "id": "<its message id>",
"received_at": "2026-12-07T08:15:00+07:00"}`` with ``X-CityOps-Signature: sha256=<hex>``, the
HMAC-SHA256 of the raw body with ``CITYOPS_SMS_WEBHOOK_SECRET``. Nothing is read or counted
before the signature holds. The text is kept at once (a retried delivery, same ``id``, is kept
once and answered once) and answered by a job, so the gateway hears 200 quickly.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cityops.channels.adapters.sms import signature_valid
from cityops.channels.sms import sms_receive
from cityops.channels.tasks import answer_sms
from cityops.reports.choices import Channel
from cityops.webhooks.chat import channel_on, too_many

SIGNATURE_HEADER = "X-CityOps-Signature"
MAX_TEXT = 2000  # a long text arrives joined from several parts; longer is not a text message


def _bad(reason: str) -> HttpResponse:
    return HttpResponse(reason, status=400, content_type="text/plain")


@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest) -> HttpResponse:
    if not channel_on(Channel.SMS):
        return HttpResponse(status=404)
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not signature_valid(
        body=request.body, header=given, secret=settings.CITYOPS_SMS_WEBHOOK_SECRET
    ):
        return HttpResponse("Bad signature", status=401, content_type="text/plain")
    limited = too_many(Channel.SMS)
    if limited is not None:
        return limited
    try:
        data = json.loads(request.body)
    except ValueError:
        return _bad("Not JSON")
    if not isinstance(data, dict):
        return _bad("Not a JSON object")
    sender, text, message_id = (str(data.get(key) or "").strip() for key in ("from", "text", "id"))
    if not sender or not message_id or len(message_id) > 255 or len(sender) > 40:
        return _bad("from and id are required")
    if "\x00" in text or len(text) > MAX_TEXT:
        return _bad("text is not a text message")
    received_at = parse_datetime(str(data.get("received_at") or ""))
    arrival = sms_receive(
        sender=sender,
        text=text,
        external_id=message_id,
        payload=request.body.decode("utf-8", errors="replace"),
        received_at=received_at if received_at and received_at.tzinfo else None,
    )
    if arrival.new:
        answer_sms.enqueue(message_id=arrival.message.pk)
    return JsonResponse({"ok": True, "new": arrival.new})


urlpatterns = [path("sms/", sms_webhook, name="sms")]
