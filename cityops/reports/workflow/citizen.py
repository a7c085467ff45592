"""The reporter's answer: rate the result (once per result), reopen it for a new round, or write
again on the channel they reported from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from cityops.accounts.models import User
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.platform.images import CleanImage
from cityops.reports import deadlines
from cityops.reports.choices import AttachmentKind, Channel, EventKind, RatingValue, Visibility
from cityops.reports.models import Rating, Report, ReportEvent
from cityops.reports.selectors import rating_current
from cityops.reports.services import attachment_create
from cityops.reports.workflow.rules import (
    MOVES,
    InvalidTransition,
    S,
    ensure_allowed,
    locked,
    record_event,
    required_text,
)


@transaction.atomic
def report_rate(*, report: Report, actor: User, value: RatingValue, comment: str = "") -> Rating:
    """Satisfied or acceptable closes the report; unsatisfied leaves it open to a reopen.

    One rating per result: the KPIs count each resolution once, so a second rating of the same
    result is refused (a reopened report is rated again once it has a new result).
    """
    report = locked(report)
    ensure_allowed(report, move="rate", actor=actor)
    if value not in RatingValue.values:
        raise InvalidInput("Unknown rating.", fields={"value": ["Choose a rating."]})
    if rating_current(report=report) is not None:
        raise InvalidTransition(
            f"Report #{report.pk}'s current result was already rated; a result can be rated "
            "only once. Reopen the report if the problem is not solved.",
            code="already_rated",
        )
    rating = Rating.objects.create(
        report=report, rater=actor, value=value, comment=comment.strip(), created_at=clock.now()
    )
    previous = report.status
    if value != RatingValue.UNSATISFIED:
        report.status, report.closed_at = S.CLOSED, clock.now()
        report.save()
    record_event(
        report,
        kind=EventKind.RATED,
        actor=actor,
        from_status=previous,
        note=comment.strip(),
        data={"value": str(value)},
    )
    return rating


@transaction.atomic
def report_reopen(*, report: Report, actor: User, reason: str) -> Report:
    """The reporter is not satisfied: the report goes back to the agency that resolved it.

    A reopening starts a new round of handling: a new deadline counted from now, and the
    agency may extend it once again. The previous result and extension are no longer the
    report's current ones; they stay in its timeline (the resolved and extended events).
    """
    report = locked(report)
    ensure_allowed(report, move="reopen", actor=actor)
    reason = required_text(reason, "reason", "Why the problem is not solved")
    previous, previous_due, now = report.status, report.due_at, clock.now()
    report.status = S.IN_PROGRESS if report.agency_id else S.ACCEPTED
    report.resolved_at, report.result_text = None, ""
    report.extended_at, report.original_due_at, report.extension_reason = None, None, ""
    report.due_at = deadlines.round_deadline(report=report, start=now)
    report.save()
    record_event(
        report,
        kind=EventKind.REOPENED,
        actor=actor,
        from_status=previous,
        note=reason,
        data={
            "previous_due_at": previous_due.isoformat() if previous_due else None,
            "due_at": report.due_at.isoformat(),
        },
        at=now,
    )
    return report


@transaction.atomic
def report_note_from_channel(
    *,
    report: Report,
    channel: Channel,
    text: str,
    photos: Sequence[CleanImage] = (),
    data: dict[str, Any] | None = None,
) -> ReportEvent | None:
    """The reporter wrote again on the channel they reported from (a reply in the e-mail thread,
    a chat message): an internal note, with its photos, that staff read and may publish. No
    person signs it (the channel's address is not an account). A finished report takes no
    notes: None, and the message stays with the channel as evidence."""
    report = locked(report)
    if report.status not in MOVES["note"].sources or not (text := text.strip()):
        return None
    event = record_event(
        report,
        kind=EventKind.NOTE,
        actor=None,
        from_status=report.status,
        note=text,
        visibility=Visibility.INTERNAL,
        data={"channel": str(channel), "by": "citizen", **(data or {})},
    )
    for photo in photos:
        attachment_create(
            report=report, image=photo, kind=AttachmentKind.REPORT, uploaded_by=None, event=event
        )
    return event
