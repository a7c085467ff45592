"""Who may make which move, who may read which report, and who may see the reporter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.models import Agency
from cityops.platform.errors import NotPermitted
from cityops.reports import workflow
from cityops.reports.choices import Priority, RatingValue, RejectionReason, ReportStatus
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report
from cityops.reports.selectors import reporter_identity_visible_to, reports_visible_to
from cityops.reports.tests.helpers import report_in, submit

S = ReportStatus


@dataclass
class World:
    actors: dict[str, User | None]
    operator: User
    reporter: User
    agency: Agency
    other_agency: Agency
    staff: User
    original: Report

    def report(self, status: ReportStatus) -> Report:
        return report_in(
            status,
            operator=self.operator,
            reporter=self.reporter,
            agency=self.agency,
            staff=self.staff,
        )


@pytest.fixture
def world(
    citizen, operator, admin_user, agency, other_agency, agency_staff, other_agency_staff, leader
) -> World:
    actors = {
        "nobody": None,
        "another_citizen": UserFactory(username="neighbour", role=Role.CITIZEN),
        "reporter": citizen,
        "operator": operator,
        "admin": admin_user,
        "assigned_agency_staff": agency_staff,
        "other_agency_staff": other_agency_staff,
        "leader": leader,
    }
    return World(
        actors=actors,
        operator=operator,
        reporter=citizen,
        agency=agency,
        other_agency=other_agency,
        staff=agency_staff,
        original=submit(),
    )


@dataclass(frozen=True)
class Rule:
    source: ReportStatus
    attempt: Callable[[World, Report, Any], object]
    allowed: frozenset[str]
    only: str  # why everyone else is refused


def _extend(w: World, report: Report, actor: Any) -> object:
    due_at = Report.objects.get(pk=report.pk).due_at
    return workflow.report_extend(
        report=report,
        actor=actor,
        reason="Chờ vật tư.",
        new_due_at=working_calendar().add_working_days(due_at, 3),
    )


IOC = frozenset({"operator", "admin"})
RULES: dict[str, Rule] = {
    "accept": Rule(
        S.SUBMITTED,
        lambda w, r, a: workflow.report_accept(report=r, actor=a),
        IOC | {"nobody"},  # the system routes a source that names its agency (services)
        "only the IOC or the system may do that",
    ),
    "reclassify": Rule(
        S.ASSIGNED,
        lambda w, r, a: workflow.report_reclassify(report=r, actor=a, priority=Priority.URGENT),
        IOC,
        "only the IOC may do that",
    ),
    "reject": Rule(
        S.ACCEPTED,
        lambda w, r, a: workflow.report_reject(report=r, actor=a, reason=RejectionReason.SPAM),
        IOC,
        "only the IOC may do that",
    ),
    "assign": Rule(
        S.IN_PROGRESS,
        lambda w, r, a: workflow.report_assign(report=r, agency=w.other_agency, actor=a),
        IOC | {"nobody"},  # the system routes a source that names its agency (services)
        "only the IOC or the system may do that",
    ),
    "agency_accept": Rule(
        S.ASSIGNED,
        lambda w, r, a: workflow.report_agency_accept(report=r, actor=a),
        frozenset({"assigned_agency_staff"}),
        "only the assigned agency may do that",
    ),
    "return": Rule(
        S.IN_PROGRESS,
        lambda w, r, a: workflow.report_return(report=r, actor=a, reason="Không thuộc thẩm quyền."),
        frozenset({"assigned_agency_staff"}),
        "only the assigned agency may do that",
    ),
    "note": Rule(
        S.IN_PROGRESS,
        lambda w, r, a: workflow.report_add_note(report=r, actor=a, text="Đã liên hệ."),
        IOC | {"assigned_agency_staff"},
        "only the IOC or the assigned agency may do that",
    ),
    "extend": Rule(
        S.IN_PROGRESS,
        _extend,
        frozenset({"assigned_agency_staff"}),
        "only the assigned agency may do that",
    ),
    "resolve": Rule(
        S.IN_PROGRESS,
        lambda w, r, a: workflow.report_resolve(report=r, actor=a, result="Đã xử lý."),
        IOC | {"assigned_agency_staff"},
        "only the IOC or the assigned agency may do that",
    ),
    "rate": Rule(
        S.RESOLVED,
        lambda w, r, a: workflow.report_rate(report=r, actor=a, value=RatingValue.SATISFIED),
        frozenset({"reporter"}),
        "only the reporter may do that",
    ),
    "reopen": Rule(
        S.RESOLVED,
        lambda w, r, a: workflow.report_reopen(report=r, actor=a, reason="Vẫn còn hỏng."),
        IOC | {"reporter"},
        "only the IOC or the reporter may do that",
    ),
    "merge": Rule(
        S.IN_PROGRESS,
        lambda w, r, a: workflow.report_merge(report=r, original=w.original, actor=a),
        IOC,
        "only the IOC may do that",
    ),
    "close": Rule(
        S.RESOLVED,
        lambda w, r, a: workflow.report_close(report=r, actor=a),
        IOC | {"nobody"},
        "only the IOC or the system may do that",
    ),
}
ACTORS = [
    "nobody",
    "another_citizen",
    "reporter",
    "operator",
    "admin",
    "assigned_agency_staff",
    "other_agency_staff",
    "leader",
]
CASES = [(move, actor) for move in RULES for actor in ACTORS]


def _why(move: str, actor: str) -> str:
    if actor == "leader":
        return "leaders have read-only access"
    if actor.endswith("agency_staff") and workflow.Party.AGENCY in workflow.MOVES[move].parties:
        return "it is not assigned to your agency"
    return RULES[move].only


def test_every_move_an_actor_can_make_has_its_role_rules_here() -> None:
    # The escalation has no actor parameter at all: only the system's job makes it.
    assert set(RULES) == set(workflow.MOVES) - {"escalate"}


@pytest.mark.django_db
@pytest.mark.parametrize(("move", "who"), CASES, ids=[f"{m}-by-{a}" for m, a in CASES])
def test_each_move_is_made_only_by_the_parties_it_is_granted_to(move, who, world):
    rule = RULES[move]
    actor = world.actors[who]
    report = world.report(rule.source)
    before = Report.objects.filter(pk=report.pk).values().get()
    events_before = report.events.count()

    if who in rule.allowed:
        rule.attempt(world, report, actor)
        event = report.events.order_by("-pk").first()
        assert report.events.count() == events_before + 1
        assert event.actor == actor
        return

    with pytest.raises(NotPermitted) as refused:
        rule.attempt(world, report, actor)
    assert refused.value.message == (
        f"You cannot {workflow.MOVES[move].verb} report #{report.pk}: {_why(move, who)}."
    )
    assert Report.objects.filter(pk=report.pk).values().get() == before
    assert report.events.count() == events_before


@pytest.mark.django_db
def test_agency_cannot_resolve_a_report_assigned_elsewhere(world, other_agency_staff):
    report = world.report(S.IN_PROGRESS)
    with pytest.raises(NotPermitted, match="it is not assigned to your agency"):
        workflow.report_resolve(report=report, actor=other_agency_staff, result="Xong.")
    assert Report.objects.get(pk=report.pk).status == S.IN_PROGRESS


@pytest.mark.django_db
def test_an_agency_loses_a_report_once_it_is_reassigned(world, agency_staff):
    report = world.report(S.IN_PROGRESS)
    workflow.report_assign(report=report, agency=world.other_agency, actor=world.operator)
    with pytest.raises(NotPermitted, match="it is not assigned to your agency"):
        workflow.report_add_note(report=report, actor=agency_staff, text="Vẫn đang làm.")


@pytest.mark.django_db
def test_an_agency_that_returned_a_report_can_no_longer_act_on_it(world, agency_staff):
    report = world.report(S.IN_PROGRESS)
    workflow.report_return(report=report, actor=agency_staff, reason="Không thuộc thẩm quyền.")
    with pytest.raises(NotPermitted, match="it is not assigned to your agency"):
        workflow.report_resolve(report=report, actor=agency_staff, result="Xong.")


@pytest.mark.django_db
def test_leaders_cannot_even_add_a_note(world, leader):
    report = world.report(S.IN_PROGRESS)
    with pytest.raises(NotPermitted, match="leaders have read-only access"):
        workflow.report_add_note(report=report, actor=leader, text="Đề nghị xử lý gấp.")


# --- what each role may read ---------------------------------------------------------------------


@pytest.fixture
def reports(world, other_agency_staff) -> dict[str, Report]:
    neighbour = world.actors["another_citizen"]
    elsewhere = report_in(
        S.IN_PROGRESS,
        operator=world.operator,
        reporter=neighbour,
        agency=world.other_agency,
        staff=other_agency_staff,
    )
    return {
        "ours_in_progress": world.report(S.IN_PROGRESS),
        "ours_resolved": world.report(S.RESOLVED),
        "mine_unassigned": world.report(S.SUBMITTED),
        "elsewhere": elsewhere,
        "anonymous": submit(reporter=None),
    }


def _visible(user: User) -> set[int]:
    return set(reports_visible_to(user=user).values_list("pk", flat=True))


@pytest.mark.django_db
def test_agency_staff_see_only_their_agencys_reports(reports, agency_staff, other_agency_staff):
    assert _visible(agency_staff) == {reports["ours_in_progress"].pk, reports["ours_resolved"].pk}
    assert _visible(other_agency_staff) == {reports["elsewhere"].pk}


@pytest.mark.django_db
def test_a_citizen_sees_only_the_reports_they_made(reports, world, citizen):
    assert _visible(citizen) == {
        reports["ours_in_progress"].pk,
        reports["ours_resolved"].pk,
        reports["mine_unassigned"].pk,
    }
    assert _visible(world.actors["another_citizen"]) == {reports["elsewhere"].pk}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "operator", "admin"])
def test_leaders_and_the_ioc_see_every_report(who, reports, world):
    assert _visible(world.actors[who]) == set(Report.objects.values_list("pk", flat=True))
    assert len(_visible(world.actors[who])) == len(reports) + 1  # and the world's original


@pytest.mark.django_db
def test_agency_staff_no_longer_see_a_report_they_returned(world, agency_staff):
    report = world.report(S.IN_PROGRESS)
    workflow.report_return(report=report, actor=agency_staff, reason="Thuộc Điện lực.")
    assert report.pk not in _visible(agency_staff)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("operator", True),
        ("admin", True),
        ("leader", False),
        ("assigned_agency_staff", False),
        ("other_agency_staff", False),
        ("reporter", False),
        ("another_citizen", False),
        ("nobody", False),
    ],
)
def test_only_ioc_staff_see_who_made_a_report(who, sees, world):
    assert reporter_identity_visible_to(user=world.actors[who]) is sees


def test_an_anonymous_visitor_does_not_see_who_made_a_report() -> None:
    assert reporter_identity_visible_to(user=AnonymousUser()) is False
