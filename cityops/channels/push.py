"""Web push: a signed-in portal user's browsers hear of each public change of the reports they
follow, as the followers' e-mails do (the same readers, the same words).

A browser that allowed notifications gives its push service's ``endpoint`` and keys
(``push_subscription_save``); each message is encrypted for it (RFC 8291, ``aes128gcm``) and
signed with the city's VAPID key (RFC 8292) by pywebpush. A push service answering 404 or 410
says the browser is gone: its subscription is deleted.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from cityops.accounts.models import User
from cityops.channels.models import PushSubscription
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.platform.events import Event
from cityops.reports.choices import EventKind, StatusGroup, Visibility
from cityops.reports.models import ReportEvent
from cityops.reports.notifications import event_notifies_followers
from cityops.reports.visibility import event_note_for, reader_of, report_text_for
from cityops.reports.wording import public_status

logger = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600  # a change older than a day is no news: the push service may drop it
GONE = (404, 410)
MAX_FAILURES = 5  # other refusals in a row before the subscription is given up
# Browsers' push services are all https; the tests' local push service is plain http.
ENDPOINT_SCHEMES: tuple[str, ...] = ("https://",)


def push_configured() -> bool:
    return bool(
        settings.CITYOPS_CHANNELS.get("webpush")
        and settings.CITYOPS_VAPID_PUBLIC_KEY
        and settings.CITYOPS_VAPID_PRIVATE_KEY
    )


def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Keep (or move to ``user``: a shared browser) the subscription of one browser."""
    problems: dict[str, list[str]] = {}
    if not endpoint.startswith(ENDPOINT_SCHEMES) or len(endpoint) > 1000:
        problems["endpoint"] = ["A push service's https address is required."]
    if not p256dh or len(p256dh) > 200 or not auth or len(auth) > 100:
        problems["keys"] = ["The browser's p256dh and auth keys are required."]
    if problems:
        raise InvalidInput("The subscription could not be saved.", fields=problems)
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:300],
            "failures": 0,
        },
        create_defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:300],
            "created_at": clock.now(),
        },
    )
    return subscription


def push_subscription_delete(*, user: User, endpoint: str) -> bool:
    deleted, _rows = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted > 0


def push_send(*, subscription: PushSubscription, message: dict[str, str]) -> bool:
    """Send one encrypted message to one browser; False (and the subscription deleted when the
    push service says it is gone) if it was not taken."""
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(message, ensure_ascii=False),
            vapid_private_key=settings.CITYOPS_VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.CITYOPS_VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            content_encoding="aes128gcm",
            timeout=10,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE or subscription.failures + 1 >= MAX_FAILURES:
            subscription.delete()
        else:
            subscription.failures += 1
            subscription.save(update_fields=["failures"])
        logger.warning("web push refused (%s): %s", status, str(error)[:200])
        return False
    if subscription.failures:
        subscription.failures = 0
        subscription.save(update_fields=["failures"])
    return True


def followers_to_push(*, event: ReportEvent) -> QuerySet[User]:
    """The followers with a browser subscribed, by the followers' e-mails' rules: not whoever
    made the change, and only the reporter while the report is hidden."""
    report = event.report
    recipients = User.objects.filter(
        follows__report=report, is_active=True, push_subscriptions__isnull=False
    ).distinct()
    if event.actor_id is not None:
        recipients = recipients.exclude(pk=event.actor_id)
    if report.group == StatusGroup.HIDDEN:
        reporter = report.reporter_id
        recipients = recipients.none() if reporter is None else recipients.filter(pk=reporter)
    return recipients.order_by("pk")


def push_message(*, event: ReportEvent, user: User) -> dict[str, str]:
    """Title, body and link of one change, as the report's page shows it to ``user``."""
    report = event.report
    reader = reader_of(user)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = _("Report #%(number)s: %(status)s.") % {
            "number": report.pk,
            "status": public_status(report.status),
        }
        body = event_note_for(event=event, reader=reader) or report_text_for(
            report.title or report.description, report=report, reader=reader
        )
    url = settings.CITYOPS_SITE_URL + reverse("portal:report", args=[report.pk])
    return {"title": str(title), "body": body[:200], "url": url}


def followers_push(*, event_id: int) -> int:
    """Push one public change to every subscribed browser of its followers; how many took it."""
    event = (
        ReportEvent.objects.select_related("report")
        .filter(pk=event_id, visibility=Visibility.PUBLIC)
        .first()
    )
    if event is None or not push_configured():
        return 0
    sent = 0
    for user in followers_to_push(event=event):
        message = push_message(event=event, user=user)
        for subscription in list(user.push_subscriptions.all()):
            sent += push_send(subscription=subscription, message=message)
    return sent


def enqueue_push_notifications(event: Event) -> None:
    """Subscriber of ``report.changed`` (wired in ``ChannelsConfig.ready``)."""
    from cityops.channels.tasks import push_followers

    event_id = event.payload.get("event")
    if event.topic != "report.changed" or not isinstance(event_id, int):
        return
    if event.payload.get("kind") == EventKind.SUBMITTED or not push_configured():
        return  # the reporter sent it: nobody else follows it yet
    if event_notifies_followers(event_id=event_id):
        push_followers.enqueue(event_id=event_id)
