"""Closing and escalation, by an operator or by the periodic jobs."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from cityops.accounts.models import User
from cityops.platform import clock
from cityops.reports.choices import EventKind
from cityops.reports.models import Report
from cityops.reports.selectors import reports_overdue
from cityops.reports.workflow.rules import (
    S,
    ensure_allowed,
    locked,
    record_event,
)


@transaction.atomic
def report_close(*, report: Report, actor: User | None = None, note: str = "") -> Report:
    report = locked(report)
    ensure_allowed(report, move="close", actor=actor)
    previous = report.status
    report.status, report.closed_at = S.CLOSED, clock.now()
    report.save()
    record_event(report, kind=EventKind.CLOSED, actor=actor, from_status=previous, note=note)
    return report


@transaction.atomic
def report_escalate(*, report: Report) -> Report | None:
    """Record, once per deadline, that an active report has passed it (the system's move)."""
    report = locked(report)
    now = clock.now()
    if not report.is_overdue(now) or report.escalated_due_at == report.due_at:
        return None
    ensure_allowed(report, move="escalate", actor=None)
    report.escalated_due_at = report.due_at
    report.save(update_fields=["escalated_due_at"])
    record_event(
        report,
        kind=EventKind.ESCALATED,
        actor=None,
        from_status=report.status,
        data={"due_at": report.due_at.isoformat() if report.due_at else None},
    )
    return report


def reports_escalate_overdue() -> int:
    """The periodic job: escalate every report that passed its deadline since the last run."""
    candidates = (
        reports_overdue(at=clock.now())
        .filter(Q(escalated_due_at__isnull=True) | ~Q(escalated_due_at=F("due_at")))
        .only("pk")
    )
    return sum(report_escalate(report=report) is not None for report in candidates.iterator())


def reports_close_quiet() -> int:
    """The periodic job: close resolved reports nobody rated within the quiet period."""
    cutoff = clock.now() - timedelta(days=settings.CITYOPS_CLOSE_AFTER_DAYS)
    quiet = Report.objects.filter(status=S.RESOLVED, resolved_at__lt=cutoff)
    closed = 0
    for report in quiet.only("pk").iterator():
        report_close(report=report, note="Closed automatically: no answer after the quiet period.")
        closed += 1
    return closed
