"""The bulk generator writes the rows the workflow would: the same invariants hold for bulk
reports and for reports replayed through the workflow, and the KPIs read both alike."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from io import StringIO
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cityops.demo.bulk import seed_bulk
from cityops.demo.demo_data import seed_demo
from cityops.demo.hue import seed_configuration
from cityops.reports.choices import EventKind, RatingValue, RejectionReason, ReportStatus
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Follow, Rating, Report, ReportEvent
from cityops.stats.kpis import Scope, kpi_table, kpis

S = ReportStatus
pytestmark = pytest.mark.django_db


HUE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def configured(db):
    return seed_configuration()


def history_problems(reports) -> list[str]:
    """Every way a report's row, its timeline and its ratings disagree with the workflow."""
    events = defaultdict(list)
    for event in ReportEvent.objects.filter(report__in=reports).order_by("created_at", "pk"):
        events[event.report_id].append(event)
    ratings = defaultdict(list)
    for rating in Rating.objects.filter(report__in=reports).order_by("created_at", "pk"):
        ratings[rating.report_id].append(rating)
    now = timezone.now()
    problems = []
    for report in reports:
        timeline = events[report.pk]

        def problem(text: str, report: Report = report) -> None:
            problems.append(f"#{report.pk} ({report.status}): {text}")

        if not timeline or timeline[0].kind != EventKind.SUBMITTED or timeline[0].from_status:
            problem("does not start with its submission")
            continue
        if timeline[0].created_at != report.submitted_at:
            problem("submitted event is not at submitted_at")
        for before, after in pairwise(timeline):
            if after.from_status != before.to_status:
                problem(f"{after.kind} starts from {after.from_status}, not {before.to_status}")
        if timeline[-1].to_status != report.status:
            problem("the last event does not end in the report's status")
        if report.updated_at != timeline[-1].created_at:
            problem("updated_at is not the time of the last event")
        if timeline[-1].created_at > now:
            problem("an event lies in the future")
        kinds = [event.kind for event in timeline]
        resolutions = [event for event in timeline if event.kind == EventKind.RESOLVED]
        if report.status in (S.RESOLVED, S.CLOSED):
            if not resolutions or report.resolved_at != resolutions[-1].created_at:
                problem("resolved_at is not the time of the last resolution")
        elif report.resolved_at is not None:
            problem("an unresolved report has resolved_at")
        if (report.status == S.CLOSED) != (report.closed_at is not None):
            problem("closed_at and the closed status disagree")
        if report.status == S.CLOSED and report.closed_at != timeline[-1].created_at:
            problem("closed_at is not the time of the closing event")
        if report.status == S.REJECTED and not report.rejection_reason:
            problem("rejected without a reason")
        if (
            report.rejection_reason == RejectionReason.DUPLICATE or report.status == S.DUPLICATE
        ) and (report.duplicate_of_id is None):
            problem("a duplicate without its original")
        if report.status == S.DUPLICATE and EventKind.MERGED not in kinds:
            problem("a duplicate without a merged event")
        # The extension of the current round of handling: a reopening starts a new round.
        reopened_at = max(
            (i for i, kind in enumerate(kinds) if kind == EventKind.REOPENED), default=-1
        )
        if (report.extended_at is not None) != (EventKind.EXTENDED in kinds[reopened_at + 1 :]):
            problem("extended_at and the extended event of this round disagree")
        if report.extended_at is not None and not (
            report.original_due_at is None or report.original_due_at < report.due_at
        ):
            problem("an extension did not move the deadline later")
        if report.acknowledged_at is None and (EventKind.ACCEPTED in kinds):
            problem("accepted but never acknowledged")
        escalated = [event.data.get("due_at") for event in timeline if event.kind == "escalated"]
        if len(escalated) != len(set(escalated)):
            problem("escalated twice for the same deadline")
        rated = [event.data["value"] for event in timeline if event.kind == EventKind.RATED]
        if rated != [rating.value for rating in ratings[report.pk]]:
            problem("ratings and rated events disagree")
        if ratings[report.pk] and report.reporter_id is None:
            problem("rated by nobody")
        if report.due_at is None or report.ack_due_at is None:
            problem("no deadline")
    return problems


def reference_kpis(reports, *, at) -> dict[str, object]:
    """The KPIs recomputed report by report with the calendar itself: the slow, obvious way."""
    calendar = working_calendar()
    processed = [r for r in reports if r.status in (S.RESOLVED, S.CLOSED)]
    on_time = [r for r in processed if r.due_at is None or r.resolved_at <= r.due_at]
    seconds = sum(
        calendar.working_time_between(r.submitted_at, r.resolved_at).total_seconds()
        for r in processed
    )
    ratings = list(Rating.objects.filter(report__in=reports).values_list("value", flat=True))
    return {
        "received": len(reports),
        "processed": len(processed),
        "on_time": len(on_time),
        "rejected": sum(r.status == S.REJECTED for r in reports),
        "duplicates": sum(r.status == S.DUPLICATE for r in reports),
        "overdue": sum(r.is_overdue(at) for r in reports),
        "hours": seconds / 3600 / len(processed) if processed else None,
        "satisfied": ratings.count(RatingValue.SATISFIED),
        "unsatisfied": ratings.count(RatingValue.UNSATISFIED),
    }


def computed_kpis(*, at) -> dict[str, object]:
    figures = kpis(scope=Scope(), at=at)
    return {
        "received": figures.received,
        "processed": figures.processed,
        "on_time": figures.on_time,
        "rejected": figures.rejected,
        "duplicates": figures.duplicates,
        "overdue": figures.overdue,
        "hours": figures.avg_processing_hours,
        "satisfied": figures.satisfied,
        "unsatisfied": figures.unsatisfied,
    }


def test_bulk_reports_keep_every_invariant_of_the_workflow(configured):
    # At a fixed moment: which reports are still waiting for their agency ("assigned") depends
    # on the working hours around "now" (at 10:30 on a Monday none of this seed's were).
    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=HUE), tick=False):
        counts = seed_bulk(reports=400, days=200, seed=11, batch=150, progress=False)
    reports = list(Report.objects.all())
    assert counts["reports"] == len(reports) == 400
    assert history_problems(reports) == []
    statuses = {report.status for report in reports}
    assert statuses == set(S), f"every status appears: {set(S) - statuses} missing"
    kinds = set(ReportEvent.objects.values_list("kind", flat=True))
    for kind in (EventKind.EXTENDED, EventKind.REOPENED, EventKind.RETURNED, EventKind.ESCALATED):
        assert kind in kinds


def test_replayed_demo_reports_keep_the_same_invariants(configured):
    seed_demo(reports=60, progress=False)
    assert history_problems(list(Report.objects.all())) == []


@pytest.mark.parametrize("generate", ["bulk", "workflow"])
def test_the_kpis_of_generated_history_match_a_report_by_report_count(configured, generate):
    if generate == "bulk":
        seed_bulk(reports=300, days=120, seed=5, progress=False)
    else:
        seed_demo(reports=60, progress=False)
    now = timezone.now()
    computed, reference = computed_kpis(at=now), reference_kpis(list(Report.objects.all()), at=now)
    # the database sums in its own float order: a thousandth of an hour is the same figure
    assert computed.pop("hours") == pytest.approx(reference.pop("hours"), abs=0.001)
    assert computed == reference
    by_agency = kpi_table(scope=Scope(), at=now, by="agency")
    assert sum(kpi.received for kpi in by_agency.values()) == Report.objects.count()


def test_bulk_history_lies_in_the_past_and_links_duplicates_to_earlier_reports(configured):
    seed_bulk(reports=300, days=60, seed=3, batch=100, progress=False)
    assert not ReportEvent.objects.filter(created_at__gt=timezone.now()).exists()
    oldest = Report.objects.order_by("submitted_at").first()
    assert oldest.submitted_at > timezone.now() - timedelta(days=61)
    for duplicate in Report.objects.filter(duplicate_of__isnull=False).select_related(
        "duplicate_of"
    ):
        assert duplicate.duplicate_of.submitted_at <= duplicate.submitted_at + timedelta(days=1)
    assert Follow.objects.exists()


def test_the_seed_command_uses_the_bulk_generator_when_asked(configured):
    out = StringIO()
    call_command("seed", "--reports", "120", "--bulk", "--days", "30", stdout=out, verbosity=0)
    assert "reports: 120" in out.getvalue()
    assert "reports per second" in out.getvalue()
    assert Report.objects.filter(is_demo=True).count() == 120
