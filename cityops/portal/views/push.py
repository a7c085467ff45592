"""Web push for signed-in citizens: their browser's subscription saved or deleted (the
preferences page's button), and the service worker that shows the notifications."""

from __future__ import annotations

import json
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.models import User
from cityops.channels.push import (
    push_configured,
    push_subscription_delete,
    push_subscription_save,
)
from cityops.platform.errors import InvalidInput
from cityops.portal.limits import posts_limited

MAX_BODY = 4096
WORKER = Path(__file__).resolve().parent.parent / "static" / "portal" / "push-worker.js"


def _subscription_in(request: HttpRequest) -> dict[str, object] | JsonResponse:
    """The browser's ``PushSubscription.toJSON()``, or the answer refusing the request."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to get notifications.")}, status=403)
    if not push_configured():
        return JsonResponse({"error": _("Notifications are not available.")}, status=404)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "Too large"}, status=400)
    try:
        data = json.loads(request.body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("endpoint"), str):
        return JsonResponse({"error": _("The browser's subscription is missing.")}, status=400)
    return data


@require_POST
@posts_limited("write_per_ip")
def push_subscribe(request: HttpRequest) -> HttpResponse:
    data = _subscription_in(request)
    if isinstance(data, JsonResponse):
        return data
    assert isinstance(request.user, User)
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    assert isinstance(keys, dict)
    try:
        push_subscription_save(
            user=request.user,
            endpoint=str(data["endpoint"]),
            p256dh=str(keys.get("p256dh") or ""),
            auth=str(keys.get("auth") or ""),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except InvalidInput as invalid:
        return JsonResponse({"error": invalid.message, "fields": invalid.fields}, status=400)
    return JsonResponse(
        {"subscribed": True, "message": _("Notifications are on in this browser.")}, status=201
    )


@require_POST
@posts_limited("write_per_ip")
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    data = _subscription_in(request)
    if isinstance(data, JsonResponse):
        return data
    assert isinstance(request.user, User)
    push_subscription_delete(user=request.user, endpoint=str(data["endpoint"]))
    return JsonResponse(
        {"subscribed": False, "message": _("Notifications are off in this browser.")}
    )


@require_GET
def push_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site's root so that it may control every page."""
    response = HttpResponse(WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
