"""The agency's work: take up, return, notes, the one extension of a round, the result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from cityops.accounts.models import User
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.reports import deadlines
from cityops.reports.choices import AttachmentKind, EventKind, Visibility
from cityops.reports.models import Report, ReportEvent
from cityops.reports.services import Upload, attachment_create, photos_clean
from cityops.reports.workflow.rules import (
    InvalidTransition,
    S,
    ensure_allowed,
    locked,
    record_event,
    required_text,
)


@transaction.atomic
def report_agency_accept(*, report: Report, actor: User, note: str = "") -> Report:
    report = locked(report)
    ensure_allowed(report, move="agency_accept", actor=actor)
    previous = report.status
    report.status = S.IN_PROGRESS
    report.save()
    record_event(
        report, kind=EventKind.AGENCY_ACCEPTED, actor=actor, from_status=previous, note=note
    )
    return report


@transaction.atomic
def report_return(*, report: Report, actor: User, reason: str) -> Report:
    """Not our remit: the agency sends the report back to the IOC queue with a reason."""
    report = locked(report)
    ensure_allowed(report, move="return", actor=actor)
    reason = required_text(reason, "reason", "A reason for returning the report")
    previous, agency = report.status, report.agency
    report.status, report.agency = S.ACCEPTED, None
    report.save()
    record_event(
        report,
        kind=EventKind.RETURNED,
        actor=actor,
        from_status=previous,
        note=reason,
        visibility=Visibility.INTERNAL,
        data={"agency": agency.code if agency else None},
        agency=agency,
    )
    return report


@transaction.atomic
def report_add_note(
    *, report: Report, actor: User, text: str, visibility: Visibility = Visibility.INTERNAL
) -> ReportEvent:
    """A progress note; public notes appear on the citizen's timeline."""
    report = locked(report)
    ensure_allowed(report, move="note", actor=actor)
    text = required_text(text, "text", "The note")
    return record_event(
        report,
        kind=EventKind.NOTE,
        actor=actor,
        from_status=report.status,
        note=text,
        visibility=Visibility(visibility),
    )


@transaction.atomic
def report_extend(
    *, report: Report, actor: User, reason: str, new_due_at: datetime | None
) -> Report:
    """The one extension an agency may take in a handling round (a reopening starts a new
    round), with a public reason and a new expected moment in working time, within
    ``CITYOPS_MAX_EXTENSION_WORKING_DAYS`` of the current deadline. Every problem with the
    request is reported at once."""
    report = locked(report)
    ensure_allowed(report, move="extend", actor=actor)
    if report.extended_at is not None:
        raise InvalidTransition(
            f"Report #{report.pk} was already extended once in this round of handling, on "
            f"{report.extended_at.astimezone(deadlines.working_calendar().tz):%d/%m/%Y}; a "
            "deadline can be extended only once until the report is reopened.",
            code="already_extended",
        )
    problems: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        problems["reason"] = ["A public reason for the extension is required."]
    if new_due_at is None:
        problems["new_due_at"] = [_("Choose the new date.")]
    elif dated := deadlines.extension_problems(
        current=report.due_at, new=new_due_at, now=clock.now()
    ):
        problems["new_due_at"] = dated
    if problems or new_due_at is None:
        raise InvalidInput(
            "The deadline could not be extended: "
            + " ".join(problem for listed in problems.values() for problem in listed),
            fields=problems,
        )
    previous_due = report.due_at
    report.original_due_at, report.due_at = previous_due, new_due_at
    report.extended_at, report.extension_reason = clock.now(), reason
    report.save()
    record_event(
        report,
        kind=EventKind.EXTENDED,
        actor=actor,
        from_status=report.status,
        note=reason,
        data={
            "previous_due_at": previous_due.isoformat() if previous_due else None,
            "due_at": new_due_at.isoformat(),
        },
    )
    return report


@transaction.atomic
def report_resolve(
    *, report: Report, actor: User, result: str, photos: Sequence[Upload] = ()
) -> Report:
    """The agency (or the IOC itself) publishes its result, optionally with photos."""
    report = locked(report)
    ensure_allowed(report, move="resolve", actor=actor)
    result = required_text(result, "result", "The result text")
    images = photos_clean(photos=photos)
    previous = report.status
    report.status, report.result_text, report.resolved_at = S.RESOLVED, result, clock.now()
    report.save()
    event = record_event(
        report, kind=EventKind.RESOLVED, actor=actor, from_status=previous, note=result
    )
    for image in images:
        attachment_create(
            report=report, image=image, kind=AttachmentKind.RESULT, uploaded_by=actor, event=event
        )
    return report
