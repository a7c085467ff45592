"""A case's steps: reviewed by one officer, confirmed or rejected by another, the notice, then
paid, contested or closed. Every step is a ``CaseStep`` (who, what, from which status to which);
reading the owner's data is one too.

Only enforcement officers (``Role.OFFICER``) act on cases. The two-officer rule is kept at the
two places it can be broken: the officer who confirms or rejects is never the one who
reviewed, and a notice is issued only for a case whose reviewer and decider are two people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.platform.money import thousands
from cityops.violations.choices import CaseAction, CaseStatus, EvidenceKind
from cityops.violations.evidence import evidence_append
from cityops.violations.models import Case, CaseStep
from cityops.violations.services.blurring import frames_blur

NOTE_MAX = 2000
REASON_MAX = 300
OWNER_NAME_MAX = 200
OWNER_ADDRESS_MAX = 300
OWNER_EDITABLE = (CaseStatus.DETECTED, CaseStatus.REVIEWED, CaseStatus.CONFIRMED)

# Where each step may start from.
SOURCES: dict[CaseAction, tuple[CaseStatus, ...]] = {
    CaseAction.REVIEWED: (CaseStatus.DETECTED,),
    CaseAction.CONFIRMED: (CaseStatus.REVIEWED,),
    CaseAction.REJECTED: (CaseStatus.REVIEWED,),
    CaseAction.NOTICE_ISSUED: (CaseStatus.CONFIRMED,),
    CaseAction.PAID: (CaseStatus.NOTICE_ISSUED, CaseStatus.CONTESTED),
    CaseAction.CONTESTED: (CaseStatus.NOTICE_ISSUED,),
    CaseAction.CLOSED: (CaseStatus.PAID, CaseStatus.CONTESTED, CaseStatus.NOTICE_ISSUED),
}


@dataclass(frozen=True)
class Owner:
    """The registered owner as an officer recorded them (from the vehicle register)."""

    name: str
    address: str
    recorded_at: datetime | None


def officer_required(actor: User) -> None:
    if not (actor.is_active and actor.role == Role.OFFICER):
        raise NotPermitted(
            _("Only enforcement officers act on violation cases."), code="officers_only"
        )


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _source_check(case: Case, action: CaseAction) -> CaseStatus:
    current = CaseStatus(case.status)
    if current not in SOURCES[action]:
        message = _("A case that is “%(status)s” cannot be “%(action)s”.") % {
            "status": current.label,
            "action": action.label,
        }
        raise Conflict(message, code="invalid_transition")
    return current


def _step(
    case: Case,
    *,
    actor: User | None,
    action: CaseAction,
    previous: str = "",
    note: str = "",
) -> CaseStep:
    return CaseStep.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_status=previous,
        to_status=case.status if previous else "",
        note=note,
        created_at=clock.now(),
    )


def _text(value: str, *, field: str, limit: int, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        message = _("This cannot be empty.")
        raise InvalidInput(message, fields={field: [message]})
    if len(text) > limit:
        message = _("At most %(limit)s characters.") % {"limit": limit}
        raise InvalidInput(message, fields={field: [message]})
    return text


@transaction.atomic
def case_review(*, case: Case, actor: User, note: str = "") -> Case:
    """detected → reviewed: the first officer looked at the evidence and finds it stands."""
    officer_required(actor)
    note = _text(note, field="note", limit=NOTE_MAX, required=False)
    case = _locked(case)
    previous = _source_check(case, CaseAction.REVIEWED)
    case.status, case.reviewed_by, case.reviewed_at = CaseStatus.REVIEWED, actor, clock.now()
    case.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    _step(case, actor=actor, action=CaseAction.REVIEWED, previous=previous, note=note)
    return case


def _second_officer(case: Case, actor: User) -> None:
    if case.reviewed_by_id is None or case.reviewed_by_id == actor.pk:
        raise NotPermitted(
            _("A second officer, not the one who reviewed the case, decides it."),
            code="second_officer_required",
        )


@transaction.atomic
def case_confirm(*, case: Case, actor: User, note: str = "") -> Case:
    """reviewed → confirmed, by a second officer (never the reviewer)."""
    officer_required(actor)
    note = _text(note, field="note", limit=NOTE_MAX, required=False)
    case = _locked(case)
    previous = _source_check(case, CaseAction.CONFIRMED)
    _second_officer(case, actor)
    case.status, case.decided_by, case.decided_at = CaseStatus.CONFIRMED, actor, clock.now()
    case.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _step(case, actor=actor, action=CaseAction.CONFIRMED, previous=previous, note=note)
    return case


@transaction.atomic
def case_reject(*, case: Case, actor: User, reason: str) -> Case:
    """reviewed → rejected, by a second officer, with the reason (a final state)."""
    officer_required(actor)
    reason = _text(reason, field="reason", limit=REASON_MAX, required=True)
    case = _locked(case)
    previous = _source_check(case, CaseAction.REJECTED)
    _second_officer(case, actor)
    case.status, case.decided_by, case.decided_at = CaseStatus.REJECTED, actor, clock.now()
    case.rejection_reason = reason
    case.save(
        update_fields=["status", "decided_by", "decided_at", "rejection_reason", "updated_at"]
    )
    _step(case, actor=actor, action=CaseAction.REJECTED, previous=previous, note=reason)
    return case


@transaction.atomic
def case_owner_record(*, case: Case, actor: User, name: str, address: str) -> Case:
    """Record (or correct) the registered owner, until the notice goes out. The step says that
    it was recorded, never what."""
    officer_required(actor)
    name = _text(name, field="name", limit=OWNER_NAME_MAX, required=True)
    address = _text(address, field="address", limit=OWNER_ADDRESS_MAX, required=True)
    case = _locked(case)
    if case.status not in OWNER_EDITABLE:
        message = _("The owner is recorded before the notice is issued.")
        raise Conflict(message, code="invalid_transition")
    case.owner_name, case.owner_address = name, address
    case.owner_recorded_at = clock.now()
    case.save(update_fields=["owner_name", "owner_address", "owner_recorded_at", "updated_at"])
    _step(case, actor=actor, action=CaseAction.OWNER_RECORDED)
    return case


def case_owner_view(*, case: Case, actor: User) -> Owner:
    """The owner's data, for an officer, each reading recorded as a step of the case."""
    officer_required(actor)
    with transaction.atomic():
        row = Case.objects.filter(pk=case.pk).values(
            "owner_name", "owner_address", "owner_recorded_at"
        )[0]
        _step(case, actor=actor, action=CaseAction.OWNER_VIEWED)
    return Owner(
        name=row["owner_name"], address=row["owner_address"], recorded_at=row["owner_recorded_at"]
    )


def case_lookup_url(*, case: Case) -> str:
    """The public lookup page of ``case`` (what the notice's QR code opens)."""
    path = reverse("violations:case", args=[case.number])
    return f"{settings.CITYOPS_SITE_URL}{path}?{urlencode({'code': case.lookup_code})}"


def case_notice_issue(*, case: Case, actor: User) -> Case:
    """confirmed → notice_issued: the PDF notice is made and appended to the evidence chain.

    Needs two different officers behind the case (reviewer and decider) and the owner on
    record. Every frame gets its blurred copy first: the notice gives out the lookup code, and
    no public image may exist unblurred.
    """
    officer_required(actor)
    _source_check(Case.objects.get(pk=case.pk), CaseAction.NOTICE_ISSUED)  # before the slow part
    frames_blur(case=case)
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        case = _locked(case)
        previous = _source_check(case, CaseAction.NOTICE_ISSUED)
        if (
            case.reviewed_by_id is None
            or case.decided_by_id is None
            or case.reviewed_by_id == case.decided_by_id
        ):
            raise NotPermitted(
                _("A notice needs two different officers: one reviewed, another confirmed."),
                code="second_officer_required",
            )
        if not case.owner_recorded_at:
            raise Conflict(
                _("Record the vehicle's registered owner before issuing the notice."),
                code="owner_required",
            )
        from cityops.violations.notice import notice_pdf

        case.status = CaseStatus.NOTICE_ISSUED
        case.notice_issued_at = clock.now()
        case.notice_number = case.number.replace("VP-", "TB-", 1)
        pdf = notice_pdf(case=case, lookup_url=case_lookup_url(case=case))
        case.save(update_fields=["status", "notice_issued_at", "notice_number", "updated_at"])
        evidence_append(
            case=case,
            kind=EvidenceKind.NOTICE,
            content=pdf,
            content_type="application/pdf",
            extension="pdf",
        )
        _step(case, actor=actor, action=CaseAction.NOTICE_ISSUED, previous=previous)
    return case


@transaction.atomic
def case_payment_record(*, case: Case, actor: User, amount: int) -> Case:
    """notice_issued | contested → paid, with the amount paid (đồng)."""
    officer_required(actor)
    case = _locked(case)
    previous = _source_check(case, CaseAction.PAID)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        message = _("Enter the amount paid in đồng.")
        raise InvalidInput(message, fields={"amount": [message]})
    if case.fine_max is not None and amount > case.fine_max:
        message = _("More than the highest fine of the band (%(max)s đồng).") % {
            "max": thousands(case.fine_max)
        }
        raise InvalidInput(message, fields={"amount": [message]})
    case.status, case.amount_paid = CaseStatus.PAID, amount
    case.save(update_fields=["status", "amount_paid", "updated_at"])
    note = _("%(amount)s đồng") % {"amount": thousands(amount)}
    _step(case, actor=actor, action=CaseAction.PAID, previous=previous, note=note)
    return case


@transaction.atomic
def case_contest(*, case: Case, actor: User, note: str) -> Case:
    """notice_issued → contested: the owner disputes it (what they say, in the note)."""
    officer_required(actor)
    note = _text(note, field="note", limit=NOTE_MAX, required=True)
    case = _locked(case)
    previous = _source_check(case, CaseAction.CONTESTED)
    case.status = CaseStatus.CONTESTED
    case.save(update_fields=["status", "updated_at"])
    _step(case, actor=actor, action=CaseAction.CONTESTED, previous=previous, note=note)
    return case


@transaction.atomic
def case_close(*, case: Case, actor: User, note: str = "") -> Case:
    """paid | contested | notice_issued → closed (a final state)."""
    officer_required(actor)
    note = _text(note, field="note", limit=NOTE_MAX, required=False)
    case = _locked(case)
    previous = _source_check(case, CaseAction.CLOSED)
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["status", "updated_at"])
    _step(case, actor=actor, action=CaseAction.CLOSED, previous=previous, note=note)
    return case
