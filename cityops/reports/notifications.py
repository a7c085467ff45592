"""Emails to the people who follow a report, one per public change of it.

``ReportsConfig.ready`` subscribes ``tasks.enqueue_follower_notifications`` to
``report.changed``; it asks ``event_notifies_followers`` and queues the ``notify_followers``
job, which calls ``followers_notify``. The workflow itself knows nothing of emails.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cityops.accounts.models import User
from cityops.reports.choices import EventKind, RatingValue, StatusGroup, Visibility
from cityops.reports.models import ReportEvent
from cityops.reports.wording import public_status, public_status_help


def event_notifies_followers(*, event_id: int) -> bool:
    """Whether the event is a public change of a real report (demo history mails nobody)."""
    return ReportEvent.objects.filter(
        pk=event_id, visibility=Visibility.PUBLIC, report__is_demo=False
    ).exists()


def followers_to_notify(*, event: ReportEvent) -> QuerySet[User]:
    """Followers with email notifications on and an address, except whoever made the change.

    While a report is hidden (rejected) only its reporter may open it, so only they hear of it.
    """
    report = event.report
    recipients = (
        User.objects.filter(follows__report=report, is_active=True, email_notifications=True)
        .exclude(email="")
        .order_by("pk")
    )
    if event.actor_id is not None:
        recipients = recipients.exclude(pk=event.actor_id)
    if report.group == StatusGroup.HIDDEN:
        reporter = report.reporter_id
        recipients = recipients.none() if reporter is None else recipients.filter(pk=reporter)
    return recipients


def followers_notify(*, event_id: int) -> int:
    """Send one email per follower about a public event, each in their language; returns how
    many were sent."""
    event = (
        ReportEvent.objects.select_related("report", "report__category", "report__agency")
        .filter(pk=event_id, visibility=Visibility.PUBLIC)
        .first()
    )
    if event is None:
        return 0
    report = event.report
    url = settings.CITYOPS_SITE_URL + reverse("portal:report", args=[report.pk])
    preferences = settings.CITYOPS_SITE_URL + reverse("portal:preferences")
    messages = []
    for user in followers_to_notify(event=event):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "report": report,
                "event": event,
                "status": public_status(report.status),
                "status_help": public_status_help(report.status),
                "category": _category_name(report.category.name, report.category.name_en),
                "rating": _rating_label(event),
                "url": url,
                "preferences_url": preferences,
            }
            subject = render_to_string("reports/email/report_changed_subject.txt", context)
            body = render_to_string("reports/email/report_changed.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=[user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _rating_label(event: ReportEvent) -> str:
    value = event.data.get("value") if event.kind == EventKind.RATED else None
    return str(RatingValue(value).label) if value in RatingValue.values else ""


def _category_name(name: str, name_en: str) -> str:
    return name_en if translation.get_language() == "en" and name_en else name
