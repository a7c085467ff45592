"""The reporter's answer: rate the result, or reopen it."""

from __future__ import annotations

from django.db import transaction

from cityops.accounts.models import User
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.reports.choices import EventKind, RatingValue
from cityops.reports.models import Rating, Report
from cityops.reports.workflow.rules import (
    S,
    ensure_allowed,
    locked,
    record_event,
    required_text,
)


@transaction.atomic
def report_rate(*, report: Report, actor: User, value: RatingValue, comment: str = "") -> Rating:
    """Satisfied or acceptable closes the report; unsatisfied leaves it open to a reopen."""
    report = locked(report)
    ensure_allowed(report, move="rate", actor=actor)
    if value not in RatingValue.values:
        raise InvalidInput("Unknown rating.", fields={"value": ["Choose a rating."]})
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
    """The reporter is not satisfied: the report goes back to the agency that resolved it."""
    report = locked(report)
    ensure_allowed(report, move="reopen", actor=actor)
    reason = required_text(reason, "reason", "Why the problem is not solved")
    previous = report.status
    report.status = S.IN_PROGRESS if report.agency_id else S.ACCEPTED
    report.resolved_at = None
    report.save()
    record_event(report, kind=EventKind.REOPENED, actor=actor, from_status=previous, note=reason)
    return report
