"""Every move of workflow.MOVES: from each allowed status, and refused from every other one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.models import Agency
from cityops.platform.errors import NotPermitted
from cityops.platform.events import Event, subscribe
from cityops.reports import workflow
from cityops.reports.choices import (
    EventKind,
    Priority,
    RatingValue,
    RejectionReason,
    ReportStatus,
    Visibility,
)
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in, submit

S = ReportStatus


@dataclass
class World:
    reporter: User
    operator: User
    agency: Agency
    other_agency: Agency
    staff: User
    original: Report  # an earlier report of the same problem, to merge into

    def report(self, status: ReportStatus) -> Report:
        # Duplicates are merged while in progress, so they keep the agency that had them.
        return report_in(
            status,
            operator=self.operator,
            reporter=self.reporter,
            agency=self.agency,
            staff=self.staff,
            merged_from=S.IN_PROGRESS,
        )


@dataclass
class Expected:
    kind: EventKind
    to: ReportStatus | None  # None: the status does not change
    actor: User | None
    note: str = ""
    visibility: Visibility = Visibility.PUBLIC
    data: dict[str, Any] = field(default_factory=dict)
    event_agency: Agency | bool | None = True  # True: the report's agency after the move


@pytest.fixture
def world(citizen, operator, agency, other_agency, agency_staff) -> World:
    return World(
        reporter=citizen,
        operator=operator,
        agency=agency,
        other_agency=other_agency,
        staff=agency_staff,
        original=submit(),
    )


@pytest.fixture
def published() -> Iterator[list[Event]]:
    seen: list[Event] = []
    unsubscribe = subscribe(seen.append)
    yield seen
    unsubscribe()


# --- one way to make each move, with what it must record ---------------------------------------


def _accept(w: World, report: Report) -> Expected:
    workflow.report_accept(
        report=report, actor=w.operator, priority=Priority.URGENT, note="Đã xác minh qua camera."
    )
    return Expected(
        EventKind.ACCEPTED,
        S.ACCEPTED,
        w.operator,
        note="Đã xác minh qua camera.",
        data={"category": report.category.code, "priority": "urgent"},
    )


def _reclassify(w: World, report: Report) -> Expected:
    before = {"category": report.category.code, "priority": report.priority}
    category = CategoryFactory(code="chieu-sang")
    workflow.report_reclassify(
        report=report,
        actor=w.operator,
        category=category,
        priority=Priority.COMPLEX,
        note="Thuộc lĩnh vực chiếu sáng.",
    )
    return Expected(
        EventKind.RECLASSIFIED,
        None,
        w.operator,
        note="Thuộc lĩnh vực chiếu sáng.",
        visibility=Visibility.INTERNAL,
        data={"before": before, "after": {"category": "chieu-sang", "priority": "complex"}},
    )


def _reject(w: World, report: Report) -> Expected:
    workflow.report_reject(
        report=report,
        actor=w.operator,
        reason=RejectionReason.OUT_OF_SCOPE,
        note="Việc dân sự giữa hai hộ.",
    )
    return Expected(
        EventKind.REJECTED,
        S.REJECTED,
        w.operator,
        note="Việc dân sự giữa hai hộ.",
        data={"reason": "out_of_scope", "original": None},
    )


def _assign(w: World, report: Report) -> Expected:
    first = report.status == S.ACCEPTED
    target = w.agency if first else w.other_agency
    workflow.report_assign(report=report, agency=target, actor=w.operator, note="Chuyển xử lý.")
    return Expected(
        EventKind.ASSIGNED if first else EventKind.REASSIGNED,
        S.ASSIGNED,
        w.operator,
        note="Chuyển xử lý.",
        data={"agency": target.code},
    )


def _agency_accept(w: World, report: Report) -> Expected:
    workflow.report_agency_accept(report=report, actor=w.staff, note="Đội 3 đang đến.")
    return Expected(EventKind.AGENCY_ACCEPTED, S.IN_PROGRESS, w.staff, note="Đội 3 đang đến.")


def _return(w: World, report: Report) -> Expected:
    workflow.report_return(report=report, actor=w.staff, reason="  Thuộc Điện lực.  ")
    return Expected(
        EventKind.RETURNED,
        S.ACCEPTED,
        w.staff,
        note="Thuộc Điện lực.",
        visibility=Visibility.INTERNAL,
        data={"agency": w.agency.code},
        event_agency=w.agency,
    )


def _note(w: World, report: Report) -> Expected:
    workflow.report_add_note(report=report, actor=w.operator, text="Đã gọi cho người dân.")
    return Expected(
        EventKind.NOTE,
        None,
        w.operator,
        note="Đã gọi cho người dân.",
        visibility=Visibility.INTERNAL,
    )


def _extend(w: World, report: Report) -> Expected:
    report = Report.objects.get(pk=report.pk)
    new_due_at = working_calendar().add_working_days(report.due_at, 5)  # in working time
    workflow.report_extend(
        report=report, actor=w.staff, reason="Chờ vật tư.", new_due_at=new_due_at
    )
    return Expected(
        EventKind.EXTENDED,
        None,
        w.staff,
        note="Chờ vật tư.",
        data={"previous_due_at": report.due_at.isoformat(), "due_at": new_due_at.isoformat()},
    )


def _resolve(w: World, report: Report) -> Expected:
    actor = w.staff if report.agency_id else w.operator
    workflow.report_resolve(report=report, actor=actor, result="Đã thay bóng đèn.")
    return Expected(EventKind.RESOLVED, S.RESOLVED, actor, note="Đã thay bóng đèn.")


def _rate(w: World, report: Report) -> Expected:
    workflow.report_rate(
        report=report, actor=w.reporter, value=RatingValue.SATISFIED, comment=" Cảm ơn! "
    )
    return Expected(
        EventKind.RATED, S.CLOSED, w.reporter, note="Cảm ơn!", data={"value": "satisfied"}
    )


def _reopen(w: World, report: Report) -> Expected:
    previous_due = Report.objects.get(pk=report.pk).due_at
    reopened = workflow.report_reopen(
        report=report, actor=w.reporter, reason="Đèn lại tắt tối qua."
    )
    # A new round of handling: its deadline runs from the reopening.
    due = {"previous_due_at": previous_due.isoformat(), "due_at": reopened.due_at.isoformat()}
    return Expected(
        EventKind.REOPENED, S.IN_PROGRESS, w.reporter, note="Đèn lại tắt tối qua.", data=due
    )


def _merge(w: World, report: Report) -> Expected:
    workflow.report_merge(
        report=report, original=w.original, actor=w.operator, note="Cùng một ổ gà."
    )
    return Expected(
        EventKind.MERGED,
        S.DUPLICATE,
        w.operator,
        note="Cùng một ổ gà.",
        data={"original": w.original.pk},
    )


def _close(w: World, report: Report) -> Expected:
    workflow.report_close(report=report, actor=w.operator, note="Đã xác nhận qua điện thoại.")
    return Expected(EventKind.CLOSED, S.CLOSED, w.operator, note="Đã xác nhận qua điện thoại.")


def _escalate(w: World, report: Report) -> Expected:
    report = Report.objects.get(pk=report.pk)
    with time_machine.travel(report.due_at + timedelta(days=1), tick=False):
        assert workflow.report_escalate(report=report) is not None
    return Expected(EventKind.ESCALATED, None, None, data={"due_at": report.due_at.isoformat()})


PERFORM: dict[str, Callable[[World, Report], Expected]] = {
    "accept": _accept,
    "reclassify": _reclassify,
    "reject": _reject,
    "assign": _assign,
    "agency_accept": _agency_accept,
    "return": _return,
    "note": _note,
    "extend": _extend,
    "resolve": _resolve,
    "rate": _rate,
    "reopen": _reopen,
    "merge": _merge,
    "close": _close,
    "escalate": _escalate,
}

ALLOWED = [
    (move, source)
    for move, rule in workflow.MOVES.items()
    for source in S
    if source in rule.sources
]

# Moves only the assigned agency may make: a report that cannot have an agency in this status
# refuses the agency for lack of standing (NotPermitted) before its status is even looked at.
AGENCY_ONLY = [m for m, rule in workflow.MOVES.items() if rule.parties == {workflow.Party.AGENCY}]
NEVER_WITH_AN_AGENCY = {S.SUBMITTED, S.ACCEPTED, S.REJECTED}

FORBIDDEN = [
    (move, status)
    for move, rule in workflow.MOVES.items()
    for status in S
    if status not in rule.sources
    and move != "escalate"
    and not (move in AGENCY_ONLY and status in NEVER_WITH_AN_AGENCY)
]
FORBIDDEN_WITHOUT_STANDING = [
    (move, status) for move in AGENCY_ONLY for status in S if status in NEVER_WITH_AN_AGENCY
]


def _ids(pairs: list[tuple[str, ReportStatus]]) -> list[str]:
    return [f"{move}-from-{status.value}" for move, status in pairs]


def _snapshot(report: Report) -> dict[str, Any]:
    return Report.objects.filter(pk=report.pk).values().get()


def test_every_move_of_the_workflow_is_covered_here() -> None:
    assert set(PERFORM) == set(workflow.MOVES)


@pytest.mark.django_db
@pytest.mark.parametrize(("move", "source"), ALLOWED, ids=_ids(ALLOWED))
def test_an_allowed_move_lands_in_its_status_and_writes_one_event(
    move, source, world, published, django_capture_on_commit_callbacks
):
    report = world.report(source)
    events_before = report.events.count()

    with django_capture_on_commit_callbacks(execute=True):
        expected = PERFORM[move](world, report)
        assert published == [], "report.changed must wait for the commit"

    after = Report.objects.get(pk=report.pk)
    assert after.status == (expected.to or source)
    assert report.events.count() == events_before + 1
    event = report.events.order_by("-pk").first()
    assert event.kind == expected.kind
    assert event.from_status == source
    assert event.to_status == after.status
    assert event.actor == expected.actor
    assert event.actor_role == (expected.actor.role if expected.actor else "")
    assert event.visibility == expected.visibility
    assert event.note == expected.note
    assert event.data == expected.data
    event_agency = after.agency if expected.event_agency is True else expected.event_agency
    assert event.agency == event_agency

    changed = [e for e in published if e.topic == "report.changed"]
    assert changed == [
        Event(
            "report.changed",
            {
                "id": report.pk,
                "status": after.status,
                "kind": str(expected.kind),
                "agency": event.agency_id,
                "event": event.pk,
            },
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("move", "status"), FORBIDDEN, ids=_ids(FORBIDDEN))
def test_a_move_from_a_forbidden_status_is_refused_and_changes_nothing(
    move, status, world, published, django_capture_on_commit_callbacks
):
    report = world.report(status)
    before, events_before = _snapshot(report), report.events.count()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(workflow.InvalidTransition) as refused,
    ):
        PERFORM[move](world, report)

    message = refused.value.message
    assert f"report #{report.pk}" in message.lower()
    assert re.search(rf"\bit is {status.value.replace('_', ' ')}\b", message), message
    assert refused.value.code == "invalid_transition"
    assert _snapshot(report) == before
    assert report.events.count() == events_before
    assert published == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("move", "status"), FORBIDDEN_WITHOUT_STANDING, ids=_ids(FORBIDDEN_WITHOUT_STANDING)
)
def test_an_agency_move_on_a_report_no_agency_holds_is_refused_and_changes_nothing(
    move, status, world, published, django_capture_on_commit_callbacks
):
    report = world.report(status)
    assert report.agency_id is None
    before, events_before = _snapshot(report), report.events.count()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(NotPermitted, match="it is not assigned to your agency"),
    ):
        PERFORM[move](world, report)

    assert _snapshot(report) == before
    assert report.events.count() == events_before
    assert published == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", [s for s in S if not s.is_active])
def test_the_system_does_not_escalate_a_report_that_left_everyones_hands(
    status, world, published, django_capture_on_commit_callbacks
):
    report = Report.objects.get(pk=world.report(status).pk)
    before, events_before = _snapshot(report), report.events.count()

    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(report.due_at + timedelta(days=30), tick=False),
    ):
        assert workflow.report_escalate(report=report) is None

    assert _snapshot(report) == before
    assert report.events.count() == events_before
    assert published == []


@pytest.mark.django_db
def test_submitting_writes_the_first_event_and_publishes_it_on_commit(
    citizen, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(reporter=citizen, channel="app")
        assert published == []

    event = report.events.get()
    assert (event.kind, event.from_status, event.to_status) == ("submitted", "", "submitted")
    assert (event.actor, event.actor_role) == (citizen, Role.CITIZEN)
    assert event.visibility == Visibility.PUBLIC
    assert event.data == {"channel": "app"}
    assert published == [
        Event(
            "report.changed",
            {
                "id": report.pk,
                "status": "submitted",
                "kind": "submitted",
                "agency": None,
                "event": event.pk,
            },
        )
    ]


@pytest.mark.django_db
def test_an_anonymous_submission_is_recorded_without_an_actor(published):
    report = submit(reporter=None, channel="hotline")
    event = report.events.get()
    assert event.actor is None
    assert event.actor_role == ""


@pytest.mark.django_db
def test_assigning_to_the_agency_that_already_holds_the_report_is_refused(world):
    report = world.report(S.IN_PROGRESS)
    before, events_before = _snapshot(report), report.events.count()

    with pytest.raises(workflow.InvalidTransition, match="already assigned"):
        workflow.report_assign(report=report, agency=world.agency, actor=world.operator)

    assert _snapshot(report) == before
    assert report.events.count() == events_before


@pytest.mark.django_db
def test_a_report_resolved_by_the_ioc_without_an_agency_reopens_into_the_ioc_queue(world):
    report = report_in(S.ACCEPTED, operator=world.operator, reporter=world.reporter)
    workflow.report_resolve(report=report, actor=world.operator, result="Đã xử lý tại chỗ.")

    reopened = workflow.report_reopen(report=report, actor=world.reporter, reason="Chưa xong.")

    assert reopened.status == S.ACCEPTED
    assert reopened.resolved_at is None


@pytest.mark.django_db
def test_a_user_of_another_role_is_recorded_with_that_role(world):
    admin = UserFactory(role=Role.ADMIN)
    report = world.report(S.SUBMITTED)
    workflow.report_accept(report=report, actor=admin)
    assert report.events.order_by("-pk").first().actor_role == Role.ADMIN
