"""Periodic jobs of the report lifecycle; thin wrappers over the workflow."""

from __future__ import annotations

from django_tasks import task

from cityops.platform import clock
from cityops.platform.events import Event
from cityops.platform.jobs import every
from cityops.reports import notifications, photos, selectors, workflow
from cityops.reports.choices import EventKind


@every(minutes=1)
@task()
def escalate_overdue_reports() -> int:
    return workflow.reports_escalate_overdue()


@every(minutes=15)
@task()
def close_quiet_reports() -> int:
    return workflow.reports_close_quiet()


@task()
def notify_followers(event_id: int) -> int:
    """Email the followers of a report about one public change of it."""
    return notifications.followers_notify(event_id=event_id)


def enqueue_follower_notifications(event: Event) -> None:
    """Subscriber of ``report.changed`` (wired in ``ReportsConfig.ready``); runs after commit."""
    event_id = event.payload.get("event")
    if event.topic != "report.changed" or not isinstance(event_id, int):
        return
    if event.payload.get("kind") == EventKind.SUBMITTED:
        return  # a new report's only follower is its reporter, who knows
    if notifications.event_notifies_followers(event_id=event_id):
        notify_followers.enqueue(event_id=event_id)


@task()
def notify_agency_leads(event_id: int) -> int:
    """Email the leads of the agency in charge that one of its reports passed its deadline."""
    return notifications.agency_leads_notify(event_id=event_id)


def enqueue_escalation_notifications(event: Event) -> None:
    """Subscriber of ``report.changed`` (wired in ``ReportsConfig.ready``); runs after commit."""
    event_id = event.payload.get("event")
    if (
        event.topic != "report.changed"
        or event.payload.get("kind") != EventKind.ESCALATED
        or not isinstance(event_id, int)
    ):
        return
    if notifications.event_notifies_agency_leads(event_id=event_id):
        notify_agency_leads.enqueue(event_id=event_id)


@task()
def blur_photo(attachment_id: int) -> str | None:
    """Blur the faces and plates of one photo and publish its blurred copy (``photos``)."""
    status = photos.attachment_blur(attachment_id=attachment_id)
    return str(status) if status is not None else None


@every(minutes=10)
@task()
def blur_waiting_photos() -> int:
    """Queue again the photos whose blurring failed or whose job was lost (a few tries each;
    after that they wait in the operators' list); returns how many were queued."""
    due = selectors.attachments_blur_due(now=clock.now())
    for attachment_id in due:
        blur_photo.enqueue(attachment_id=attachment_id)
    return len(due)
