"""Random sequences of workflow moves by random people never break the lifecycle's invariants.

Hypothesis drives one report through moves chosen at random, each tried by a random party (the
IOC, the assigned agency, another agency, the reporter, a stranger, a leader, the system). Every
attempt either succeeds for someone the rules allow, writing exactly one event, or is refused
with a domain error and changes nothing. After every step:

- the report's status is the last event's ``to_status`` and the events chain (each starts where
  the previous one ended);
- an open assignment exists exactly while the report is with an agency (assigned, in progress);
  the IOC's own statuses (submitted, accepted) never point at an agency;
- the deadline moves only when the IOC verifies or reclassifies the report, or the agency
  extends it; an extension only ever moves it later, and afterwards nothing moves it again.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.tests.factories import AgencyFactory
from cityops.platform.errors import CityOpsError
from cityops.reports import workflow
from cityops.reports.choices import EventKind, Priority, RatingValue, RejectionReason, ReportStatus
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit
from cityops.reports.workflow.rules import MOVES, parties_of

S = ReportStatus
PEOPLE = ["operator", "staff", "other_staff", "reporter", "stranger", "leader", "system"]


def people(usual: str) -> st.SearchStrategy[str]:
    """Mostly the party who usually makes the move (so that reports travel far), or anyone."""
    return st.sampled_from([usual] * len(PEOPLE) + PEOPLE)


# A reopening starts a new round of handling, with a deadline counted from its moment.
DEADLINE_MOVES = {
    EventKind.ACCEPTED,
    EventKind.RECLASSIFIED,
    EventKind.EXTENDED,
    EventKind.REOPENED,
}


class Lifecycle(RuleBasedStateMachine):
    people: dict[str, object]
    agencies: list
    categories: list

    @initialize()
    def a_report_arrives(self) -> None:
        self.report = submit(reporter=self.people["reporter"], category=self.categories[0])
        self.original = submit(category=self.categories[0])
        self.extended_to = None

    def _try(self, move: str, who: str, action) -> None:
        actor = self.people[who]
        before = Report.objects.get(pk=self.report.pk)
        events_before = before.events.count()
        try:
            action(before, actor)
        except CityOpsError:
            after = Report.objects.get(pk=self.report.pk)
            assert (after.status, after.agency_id, after.due_at) == (
                before.status,
                before.agency_id,
                before.due_at,
            ), f"a refused {move} by {who} changed the report"
            assert after.events.count() == events_before
            return
        parties = parties_of(actor, before)  # type: ignore[arg-type]
        assert parties & MOVES[move].parties, f"{who} was allowed to {move}"
        assert before.status in MOVES[move].sources, f"{move} succeeded from {before.status}"
        after = Report.objects.get(pk=self.report.pk)
        assert after.events.count() == events_before + 1, f"{move} wrote no single event"
        latest = after.events.order_by("-pk").first()
        assert latest is not None
        if latest.kind not in DEADLINE_MOVES:
            assert after.due_at == before.due_at, f"{latest.kind} moved the deadline"
        if latest.kind == EventKind.EXTENDED:
            assert before.due_at is not None
            assert after.due_at > before.due_at
            self.extended_to = after.due_at
        if latest.kind == EventKind.REOPENED:
            self.extended_to = None  # a new round: its deadline may be extended once again

    @rule(data=st.data())
    def a_move_is_tried(self, data: st.DataObject) -> None:
        status = Report.objects.get(pk=self.report.pk).status
        fitting = [move for move in TRIES if status in MOVES[move].sources]
        # Mostly a move the status allows (so that reports travel the whole lifecycle), else any.
        choices = fitting if fitting and data.draw(st.integers(0, 4), label="fit") else list(TRIES)
        move = data.draw(st.sampled_from(sorted(choices)), label="move")
        who = data.draw(people(USUAL.get(move, "operator")), label="who")
        self._try(move, who, lambda report, actor: TRIES[move](self, report, actor, data))

    @invariant()
    def the_timeline_is_the_history(self):
        report = Report.objects.get(pk=self.report.pk)
        events = list(report.events.order_by("pk"))
        assert events[0].kind == EventKind.SUBMITTED
        assert events[-1].to_status == report.status
        for previous, event in itertools.pairwise(events):
            assert event.from_status == previous.to_status, (previous.kind, event.kind)

    @invariant()
    def an_assignment_is_open_exactly_while_an_agency_holds_it(self):
        report = Report.objects.get(pk=self.report.pk)
        if report.status in (S.ASSIGNED, S.IN_PROGRESS):
            assert report.agency_id is not None
        if report.status in (S.SUBMITTED, S.ACCEPTED):
            assert report.agency_id is None

    @invariant()
    def an_extension_is_final(self):
        report = Report.objects.get(pk=self.report.pk)
        if self.extended_to is not None:
            assert report.due_at == self.extended_to
            this_round = report.events.all()
            reopened = report.events.filter(kind=EventKind.REOPENED).order_by("-pk").first()
            if reopened is not None:
                this_round = this_round.filter(pk__gt=reopened.pk)
            assert this_round.filter(kind=EventKind.EXTENDED).count() == 1


def _extend(machine: Lifecycle, report: Report, actor, data: st.DataObject) -> object:
    days = data.draw(st.integers(min_value=-3, max_value=20), label="days")
    due = report.due_at + timedelta(days=days)
    return workflow.report_extend(report=report, actor=actor, reason="Chờ vật tư", new_due_at=due)


TRIES = {
    "accept": lambda m, r, a, d: workflow.report_accept(
        report=r, actor=a, priority=d.draw(st.sampled_from(list(Priority)))
    ),
    "reclassify": lambda m, r, a, d: workflow.report_reclassify(
        report=r,
        actor=a,
        priority=d.draw(st.sampled_from(list(Priority))),
        category=d.draw(st.sampled_from(m.categories)),
    ),
    "reject": lambda m, r, a, d: workflow.report_reject(
        report=r,
        actor=a,
        reason=d.draw(st.sampled_from(list(RejectionReason))),
        original=m.original,
    ),
    "assign": lambda m, r, a, d: workflow.report_assign(
        report=r, actor=a, agency=d.draw(st.sampled_from(m.agencies))
    ),
    "agency_accept": lambda m, r, a, d: workflow.report_agency_accept(report=r, actor=a),
    "return": lambda m, r, a, d: workflow.report_return(
        report=r, actor=a, reason=d.draw(st.sampled_from(["", "Không thuộc thẩm quyền"]))
    ),
    "note": lambda m, r, a, d: workflow.report_add_note(
        report=r,
        actor=a,
        text="Đang xử lý",
        visibility=d.draw(st.sampled_from(["public", "internal"])),
    ),
    "extend": _extend,
    "resolve": lambda m, r, a, d: workflow.report_resolve(
        report=r, actor=a, result=d.draw(st.sampled_from(["", "Đã xử lý xong"]))
    ),
    "rate": lambda m, r, a, d: workflow.report_rate(
        report=r, actor=a, value=d.draw(st.sampled_from(list(RatingValue)))
    ),
    "reopen": lambda m, r, a, d: workflow.report_reopen(report=r, actor=a, reason="Chưa sửa"),
    "merge": lambda m, r, a, d: workflow.report_merge(report=r, actor=a, original=m.original),
    "close": lambda m, r, a, d: workflow.report_close(report=r, actor=a),
}
# Rejecting and merging end a report's journey: usually tried by someone who may not.
USUAL = {
    "reject": "stranger",
    "merge": "leader",
    "agency_accept": "staff",
    "return": "staff",
    "note": "staff",
    "extend": "staff",
    "resolve": "staff",
    "rate": "reporter",
    "reopen": "reporter",
}


@pytest.mark.django_db
def test_random_moves_by_random_people_keep_the_lifecycle_sound():
    first, second = AgencyFactory(code="first"), AgencyFactory(code="second")
    Lifecycle.agencies = [first, second]
    Lifecycle.categories = [
        CategoryFactory(code="sanitation"),
        CategoryFactory(code="tourism", default_priority=Priority.URGENT),
    ]
    Lifecycle.people = {
        "operator": UserFactory(role=Role.OPERATOR),
        "staff": UserFactory(role=Role.AGENCY_STAFF, agency=first),
        "other_staff": UserFactory(role=Role.AGENCY_STAFF, agency=second),
        "reporter": UserFactory(role=Role.CITIZEN),
        "stranger": UserFactory(role=Role.CITIZEN),
        "leader": UserFactory(role=Role.LEADER),
        "system": None,
    }
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=100,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
