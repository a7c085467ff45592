"""Emails about reports: to the people who follow one, on every public change of it; to the
leads of the agency in charge, when one passes its deadline.

``ReportsConfig.ready`` subscribes ``tasks.enqueue_follower_notifications`` and
``tasks.enqueue_escalation_notifications`` to ``report.changed``; they ask
``event_notifies_followers`` / ``event_notifies_agency_leads`` and queue the
``notify_followers`` / ``notify_agency_leads`` jobs, which call ``followers_notify`` /
``agency_leads_notify``. The workflow itself knows nothing of emails.
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
from cityops.reports.visibility import event_note_for, reader_of, report_text_for
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
        # Each follower reads what the report's page shows them (``reports.visibility``).
        reader = reader_of(user)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "report": report,
                "summary": report_text_for(
                    report.title or report.description, report=report, reader=reader
                ),
                "event": event,
                "note": event_note_for(event=event, reader=reader),
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


# --- escalation: the agency's leads hear that a report passed its deadline -------------------


def event_notifies_agency_leads(*, event_id: int) -> bool:
    """Whether the event is the escalation of a real report that an agency holds."""
    return ReportEvent.objects.filter(
        pk=event_id, kind=EventKind.ESCALATED, agency__isnull=False, report__is_demo=False
    ).exists()


def agency_leads_to_notify(*, event: ReportEvent) -> QuerySet[User]:
    """The active leads of the agency the escalation names, with an email address."""
    if event.agency_id is None:
        return User.objects.none()
    return (
        User.objects.filter(agency_id=event.agency_id, is_agency_lead=True, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def agency_leads_notify(*, event_id: int) -> int:
    """Send each lead of the agency one email about an escalation, in their language; returns
    how many were sent. The escalation event is written once per deadline, so each passed
    deadline is announced once."""
    event = (
        ReportEvent.objects.select_related("report", "report__category", "report__area", "agency")
        .filter(pk=event_id, kind=EventKind.ESCALATED)
        .first()
    )
    if event is None or event.agency is None:
        return 0
    report = event.report
    url = settings.CITYOPS_SITE_URL + reverse("agency:report", args=[report.pk])
    messages = []
    for user in agency_leads_to_notify(event=event):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "report": report,
                "event": event,
                "agency": event.agency,
                # The reporter's words, as the agency's pages show them (``reports.visibility``).
                "place": report_text_for(report.address, report=report, reader=reader_of(user)),
                "status": report.get_status_display(),
                "category": _category_name(report.category.name, report.category.name_en),
                "url": url,
            }
            subject = render_to_string("reports/email/report_escalated_subject.txt", context)
            body = render_to_string("reports/email/report_escalated.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=[user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
