"""A case's steps: every transition allowed from its sources only, the two-officer rule, the
role, the audit row of each step, and the owner's data read only through the audited door."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.platform.errors import CityOpsError, Conflict, InvalidInput, NotPermitted
from cityops.violations import services
from cityops.violations.choices import CaseAction, CaseStatus, EvidenceKind
from cityops.violations.models import Case, CaseStep

from .factories import OfficerFactory, case_at, case_detected

Step = Callable[[Case, object], Case]

STEPS: dict[str, Step] = {
    "review": lambda case, actor: services.case_review(case=case, actor=actor, note="Rõ"),
    "confirm": lambda case, actor: services.case_confirm(case=case, actor=actor),
    "reject": lambda case, actor: services.case_reject(case=case, actor=actor, reason="Mờ"),
    "notice": lambda case, actor: services.case_notice_issue(case=case, actor=actor),
    "pay": lambda case, actor: services.case_payment_record(
        case=case, actor=actor, amount=case.fine_min or 1
    ),
    "contest": lambda case, actor: services.case_contest(case=case, actor=actor, note="Xe đã bán"),
    "close": lambda case, actor: services.case_close(case=case, actor=actor),
}
MOVES: dict[str, tuple[tuple[CaseStatus, ...], CaseStatus, CaseAction]] = {
    "review": ((CaseStatus.DETECTED,), CaseStatus.REVIEWED, CaseAction.REVIEWED),
    "confirm": ((CaseStatus.REVIEWED,), CaseStatus.CONFIRMED, CaseAction.CONFIRMED),
    "reject": ((CaseStatus.REVIEWED,), CaseStatus.REJECTED, CaseAction.REJECTED),
    "notice": ((CaseStatus.CONFIRMED,), CaseStatus.NOTICE_ISSUED, CaseAction.NOTICE_ISSUED),
    "pay": ((CaseStatus.NOTICE_ISSUED, CaseStatus.CONTESTED), CaseStatus.PAID, CaseAction.PAID),
    "contest": ((CaseStatus.NOTICE_ISSUED,), CaseStatus.CONTESTED, CaseAction.CONTESTED),
    "close": (
        (CaseStatus.PAID, CaseStatus.CONTESTED, CaseStatus.NOTICE_ISSUED),
        CaseStatus.CLOSED,
        CaseAction.CLOSED,
    ),
}
ALLOWED = [(name, source) for name, (sources, _to, _a) in MOVES.items() for source in sources]
FORBIDDEN = [
    (name, source)
    for name, (sources, _to, _a) in MOVES.items()
    for source in CaseStatus
    if source not in sources
]


@pytest.fixture
def third_officer(db):
    return OfficerFactory(username="officer-cuong")


def made(status, camera, officer, second_officer):
    case = case_at(status, camera, reviewer=officer, decider=second_officer)
    if status in (CaseStatus.DETECTED, CaseStatus.REVIEWED, CaseStatus.CONFIRMED):
        services.case_owner_record(case=case, actor=officer, name="Trần Thị Chủ", address="Huế")
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_each_step_moves_the_case_from_its_sources_and_is_recorded(
    name, source, camera, officer, second_officer, third_officer
):
    case = made(source, camera, officer, second_officer)
    steps_before = CaseStep.objects.filter(case=case).count()
    # The reviewer reviews; the decisions and what follows are another officer's.
    actor = officer if name == "review" else third_officer if name != "confirm" else second_officer

    moved = STEPS[name](case, actor)

    _sources, target, action = MOVES[name]
    assert moved.status == target
    assert Case.objects.get(pk=case.pk).status == target
    assert CaseStep.objects.filter(case=case).count() == steps_before + 1
    step = CaseStep.objects.filter(case=case).latest("created_at", "pk")
    assert (step.action, step.actor, step.from_status, step.to_status) == (
        action,
        actor,
        source,
        target,
    )


@pytest.mark.parametrize(("name", "source"), FORBIDDEN)
def test_each_step_is_refused_from_every_other_status(
    name, source, camera, officer, second_officer, third_officer
):
    case = made(source, camera, officer, second_officer)
    steps_before = CaseStep.objects.filter(case=case).count()

    with pytest.raises(Conflict) as refused:
        STEPS[name](case, third_officer)

    assert refused.value.code == "invalid_transition"
    assert Case.objects.get(pk=case.pk).status == source
    assert CaseStep.objects.filter(case=case).count() == steps_before


@pytest.mark.parametrize("name", ["confirm", "reject"])
def test_the_officer_who_reviewed_cannot_decide(name, camera, officer, second_officer):
    case = case_at(CaseStatus.REVIEWED, camera, reviewer=officer, decider=second_officer)
    with pytest.raises(NotPermitted) as refused:
        STEPS[name](case, officer)
    assert refused.value.code == "second_officer_required"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEWED


def test_one_officer_cannot_reach_notice_issued_by_any_sequence(camera, officer, second_officer):
    """Every sequence of every step (and the owner's record and reading) by one officer alone,
    searched through every state it leads to: "notice issued" is never reached. The same
    search with two officers reaches it (so the search can find it)."""
    actions: list[Step] = [
        *STEPS.values(),
        lambda case, actor: services.case_owner_record(
            case=case, actor=actor, name="Chủ xe", address="Huế"
        ),
        lambda case, actor: services.case_owner_view(case=case, actor=actor),
    ]

    def reachable(case: Case, officers: list) -> set[str]:
        seen: set[tuple] = set()

        def explore() -> None:
            now = Case.objects.get(pk=case.pk)
            state = (now.status, now.reviewed_by_id, now.decided_by_id, bool(now.owner_name))
            if state in seen:
                return
            seen.add(state)
            for act in actions:
                for actor in officers:
                    point = transaction.savepoint()
                    try:
                        act(Case.objects.get(pk=case.pk), actor)
                    except CityOpsError:
                        transaction.savepoint_rollback(point)
                        continue
                    explore()
                    transaction.savepoint_rollback(point)

        explore()
        return {status for status, *_rest in seen}

    case = case_detected(camera)
    alone = reachable(case, [officer])
    assert {CaseStatus.DETECTED, CaseStatus.REVIEWED} <= alone
    assert CaseStatus.NOTICE_ISSUED not in alone
    assert CaseStatus.NOTICE_ISSUED in reachable(case, [officer, second_officer])


def test_a_notice_needs_the_owner_on_record(camera, officer, second_officer):
    case = case_at(CaseStatus.CONFIRMED, camera, reviewer=officer, decider=second_officer)
    with pytest.raises(Conflict) as refused:
        services.case_notice_issue(case=case, actor=officer)
    assert refused.value.code == "owner_required"


def test_a_notice_is_refused_for_a_case_decided_by_its_reviewer_however_it_came_about(
    camera, officer, second_officer
):
    case = case_at(CaseStatus.CONFIRMED, camera, reviewer=officer, decider=second_officer)
    services.case_owner_record(case=case, actor=officer, name="Chủ xe", address="Huế")
    Case.objects.filter(pk=case.pk).update(decided_by=officer)  # written past the services
    with pytest.raises(NotPermitted) as refused:
        services.case_notice_issue(case=case, actor=second_officer)
    assert refused.value.code == "second_officer_required"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CONFIRMED


def test_the_notice_is_appended_to_the_evidence_chain(camera, officer, second_officer):
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    last = case.evidence.order_by("-position").first()
    assert last.kind == EvidenceKind.NOTICE
    assert last.content_type == "application/pdf"
    assert case.notice_number == case.number.replace("VP-", "TB-")
    assert case.notice_issued_at is not None
    assert services.evidence_verify(case=case).ok


@pytest.mark.parametrize(
    "role", [Role.CITIZEN, Role.OPERATOR, Role.AGENCY_STAFF, Role.LEADER, Role.ADMIN]
)
@pytest.mark.parametrize("name", ["review", "confirm", "notice", "close"])
def test_only_enforcement_officers_act_on_cases(
    role, name, camera, officer, second_officer, agency
):
    source = MOVES[name][0][0]
    case = made(source, camera, officer, second_officer)
    outsider = UserFactory(
        username=f"someone-{role}", role=role, agency=agency if role == Role.AGENCY_STAFF else None
    )
    with pytest.raises(NotPermitted) as refused:
        STEPS[name](case, outsider)
    assert refused.value.code == "officers_only"
    assert Case.objects.get(pk=case.pk).status == source


def test_an_inactive_officer_acts_on_nothing(camera, officer):
    case = case_detected(camera)
    officer.is_active = False
    officer.save()
    with pytest.raises(NotPermitted):
        services.case_review(case=case, actor=officer)


def test_the_owners_data_is_read_only_by_officers_and_each_reading_is_a_step(
    camera, officer, operator, leader, admin_user
):
    case = case_detected(camera)
    services.case_owner_record(case=case, actor=officer, name="Trần Thị Chủ", address="5 Huế")
    for reader in (operator, leader, admin_user):
        with pytest.raises(NotPermitted):
            services.case_owner_view(case=case, actor=reader)
    assert not CaseStep.objects.filter(case=case, action=CaseAction.OWNER_VIEWED).exists()

    owner = services.case_owner_view(case=case, actor=officer)

    assert (owner.name, owner.address) == ("Trần Thị Chủ", "5 Huế")
    viewed = CaseStep.objects.get(case=case, action=CaseAction.OWNER_VIEWED)
    assert viewed.actor == officer
    recorded = CaseStep.objects.get(case=case, action=CaseAction.OWNER_RECORDED)
    for step in (viewed, recorded):
        assert "Trần" not in step.note  # that it happened, never what
    assert Case.objects.get(pk=case.pk).owner_recorded_at is not None


def test_the_owner_is_recorded_only_before_the_notice(camera, officer, second_officer):
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    with pytest.raises(Conflict):
        services.case_owner_record(case=case, actor=officer, name="Người khác", address="Huế")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c, a: services.case_owner_record(case=c, actor=a, name="", address="x"), "name"),
        (
            lambda c, a: services.case_owner_record(case=c, actor=a, name="x", address=" "),
            "address",
        ),
        (lambda c, a: services.case_review(case=c, actor=a, note="x" * 2001), "note"),
    ],
)
def test_required_and_overlong_texts_are_refused_per_field(call, field, camera, officer):
    case = case_detected(camera)
    with pytest.raises(InvalidInput) as refused:
        call(case, officer)
    assert field in refused.value.fields
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DETECTED


def test_a_rejection_says_why(camera, officer, second_officer):
    case = case_at(CaseStatus.REVIEWED, camera, reviewer=officer, decider=second_officer)
    with pytest.raises(InvalidInput) as refused:
        services.case_reject(case=case, actor=second_officer, reason="  ")
    assert "reason" in refused.value.fields


def test_a_contest_says_what_the_owner_disputes(camera, officer, second_officer):
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    with pytest.raises(InvalidInput):
        services.case_contest(case=case, actor=officer, note="")


@pytest.mark.parametrize("amount", [0, -5, True, 20_000_001])
def test_a_payment_is_a_positive_amount_within_the_band(amount, camera, officer, second_officer):
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    assert case.fine_max == 20_000_000
    with pytest.raises(InvalidInput) as refused:
        services.case_payment_record(case=case, actor=officer, amount=amount)
    assert "amount" in refused.value.fields
    paid = services.case_payment_record(case=case, actor=officer, amount=18_000_000)
    assert (paid.status, paid.amount_paid) == (CaseStatus.PAID, 18_000_000)
