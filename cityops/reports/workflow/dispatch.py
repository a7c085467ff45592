"""The IOC: triage, rejection, dispatch to an agency, merging duplicates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction

from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.reports.choices import EventKind, Priority, RejectionReason, Visibility
from cityops.reports.models import Category, Report
from cityops.reports.services import follow_create
from cityops.reports.workflow.rules import (
    InvalidTransition,
    S,
    deadlines_refresh,
    ensure_allowed,
    locked,
    record_event,
)


def _classify(
    report: Report, *, category: Category | None, priority: Priority | None
) -> dict[str, str]:
    """Apply the operator's corrections and recompute the deadlines; returns the result."""
    report.category = category or report.category
    report.priority = priority or report.priority
    deadlines_refresh(report)
    return {"category": report.category.code, "priority": report.priority}


@transaction.atomic
def report_accept(
    *,
    report: Report,
    actor: User | None,
    category: Category | None = None,
    priority: Priority | None = None,
    note: str = "",
    suggested: Mapping[str, str] | None = None,
) -> Report:
    """The IOC verifies the report (acknowledgement); category and priority may be corrected.

    ``suggested`` is what the operator was offered (``intel.suggestions``: category, priority,
    source); kept in the event so the month's share of suggestions kept can be measured."""
    report = locked(report)
    ensure_allowed(report, move="accept", actor=actor)
    previous = report.status
    report.status = S.ACCEPTED
    report.acknowledged_at = clock.now()
    classified: dict[str, object] = {**_classify(report, category=category, priority=priority)}
    if suggested:
        classified["suggested"] = dict(suggested)
    report.save()
    record_event(
        report,
        kind=EventKind.ACCEPTED,
        actor=actor,
        from_status=previous,
        note=note,
        data=classified,
    )
    return report


@transaction.atomic
def report_reclassify(
    *,
    report: Report,
    actor: User,
    category: Category | None = None,
    priority: Priority | None = None,
    note: str = "",
) -> Report:
    report = locked(report)
    ensure_allowed(report, move="reclassify", actor=actor)
    before = {"category": report.category.code, "priority": report.priority}
    after = _classify(report, category=category, priority=priority)
    report.save()
    record_event(
        report,
        kind=EventKind.RECLASSIFIED,
        actor=actor,
        from_status=report.status,
        note=note,
        visibility=Visibility.INTERNAL,
        data={"before": before, "after": after},
    )
    return report


@transaction.atomic
def report_reject(
    *,
    report: Report,
    actor: User,
    reason: RejectionReason,
    note: str = "",
    original: Report | None = None,
) -> Report:
    """Refuse a report with one of the fixed reasons; a duplicate links its original."""
    report = locked(report)
    ensure_allowed(report, move="reject", actor=actor)
    if reason not in RejectionReason.values:
        raise InvalidInput("Unknown rejection reason.", fields={"reason": ["Choose a reason."]})
    if reason == RejectionReason.DUPLICATE:
        original = merge_target(report, original)
    previous = report.status
    report.status = S.REJECTED
    report.rejection_reason = reason
    report.duplicate_of = original if reason == RejectionReason.DUPLICATE else None
    report.acknowledged_at = report.acknowledged_at or clock.now()
    report.save()
    record_event(
        report,
        kind=EventKind.REJECTED,
        actor=actor,
        from_status=previous,
        note=note,
        data={"reason": str(reason), "original": report.duplicate_of_id},
    )
    return report


@transaction.atomic
def report_assign(
    *,
    report: Report,
    agency: Agency,
    actor: User | None,
    note: str = "",
    due_at: datetime | None = None,
) -> Report:
    """Dispatch to an agency, or move an assigned report to another agency.

    ``actor`` None is the system, routing a report whose source names its agency. ``due_at`` is
    a deadline the source promises (a dissatisfied service rating: 2 working days), instead of
    the category's."""
    report = locked(report)
    ensure_allowed(report, move="assign", actor=actor)
    if not agency.is_active:
        raise InvalidInput(f"{agency} is not active.", fields={"agency": ["Inactive agency."]})
    if report.agency_id == agency.pk and report.status != S.ACCEPTED:
        raise InvalidTransition(f"Report #{report.pk} is already assigned to {agency}.")
    previous, kind = report.status, EventKind.ASSIGNED
    if report.status != S.ACCEPTED:
        kind = EventKind.REASSIGNED
    report.status, report.agency = S.ASSIGNED, agency
    data: dict[str, object] = {"agency": agency.code}
    if due_at is not None:
        report.due_at = due_at
        data["due_at"] = due_at.isoformat()
    report.save()
    record_event(
        report,
        kind=kind,
        actor=actor,
        from_status=previous,
        note=note,
        data=data,
    )
    return report


def merge_target(report: Report, original: Report | None) -> Report:
    if original is None:
        raise InvalidInput(
            "A duplicate must name its original report.",
            fields={"original": ["Choose the original report."]},
        )
    # Read the chain afresh and locked: a stale copy could make two reports each other's original.
    root = Report.objects.select_for_update().get(pk=original.pk)
    seen = {report.pk}
    while root.status == S.DUPLICATE and root.duplicate_of_id is not None:
        if root.pk in seen:
            break
        seen.add(root.pk)
        root = Report.objects.select_for_update().get(pk=root.duplicate_of_id)
    if root.pk == report.pk:
        raise InvalidInput(
            "A report cannot be a duplicate of itself.",
            fields={"original": ["Choose another report."]},
        )
    if root.status == S.REJECTED:
        raise InvalidInput(
            f"Report #{root.pk} was rejected and cannot be an original.",
            fields={"original": ["The original was rejected."]},
        )
    return root


@transaction.atomic
def report_merge(*, report: Report, original: Report, actor: User, note: str = "") -> Report:
    """Fold a duplicate into its original; the duplicate's reporter follows the original."""
    report = locked(report)
    ensure_allowed(report, move="merge", actor=actor)
    original = merge_target(report, original)
    previous = report.status
    report.status, report.duplicate_of = S.DUPLICATE, original
    report.save()
    record_event(
        report,
        kind=EventKind.MERGED,
        actor=actor,
        from_status=previous,
        note=note,
        data={"original": original.pk},
    )
    if report.reporter is not None:
        follow_create(report=original, user=report.reporter)
    return report
