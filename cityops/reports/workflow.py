"""The report lifecycle (ARCHITECTURE §2): every transition is one function here.

Each function locks the report, checks who may make the move and from which status
(``_ensure``), changes the report, writes one append-only ``ReportEvent`` and publishes a
``report.changed`` event once the transaction commits. Nothing else writes ``Report.status``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from django.conf import settings
from django.db import transaction

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.agencies.selectors import area_at
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.platform.events import Event, publish
from cityops.reports import deadlines
from cityops.reports.choices import (
    AttachmentKind,
    Channel,
    EventKind,
    Priority,
    RatingValue,
    RejectionReason,
    ReportStatus,
    Visibility,
)
from cityops.reports.models import Category, Rating, Report, ReportEvent
from cityops.reports.services import Upload, attachment_create, follow_create, photos_clean

S = ReportStatus


class InvalidTransition(Conflict):
    """The report's current status does not allow this move."""

    code = "invalid_transition"


class Party(Enum):
    """Who stands in what relation to a report; moves are granted to parties, not people."""

    IOC = "the IOC"
    AGENCY = "the assigned agency"
    REPORTER = "the reporter"
    SYSTEM = "the system"


@dataclass(frozen=True)
class Move:
    verb: str
    sources: frozenset[ReportStatus]
    parties: frozenset[Party]


def _move(verb: str, sources: set[ReportStatus], parties: set[Party]) -> Move:
    return Move(verb, frozenset(sources), frozenset(parties))


ACTIVE = set(ReportStatus.active())
MOVES: dict[str, Move] = {
    "accept": _move("accept", {S.SUBMITTED}, {Party.IOC}),
    "reclassify": _move("reclassify", {S.SUBMITTED, S.ACCEPTED, S.ASSIGNED}, {Party.IOC}),
    "reject": _move("reject", {S.SUBMITTED, S.ACCEPTED}, {Party.IOC}),
    "assign": _move("assign", {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS}, {Party.IOC}),
    "agency_accept": _move("take up", {S.ASSIGNED}, {Party.AGENCY}),
    "return": _move("return to the IOC", {S.ASSIGNED, S.IN_PROGRESS}, {Party.AGENCY}),
    "note": _move("add a note to", ACTIVE | {S.RESOLVED}, {Party.IOC, Party.AGENCY}),
    "extend": _move("extend the deadline of", {S.ASSIGNED, S.IN_PROGRESS}, {Party.AGENCY}),
    "resolve": _move("resolve", {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS}, {Party.IOC, Party.AGENCY}),
    "rate": _move("rate", {S.RESOLVED}, {Party.REPORTER}),
    "reopen": _move("reopen", {S.RESOLVED}, {Party.REPORTER, Party.IOC}),
    "merge": _move("merge", ACTIVE, {Party.IOC}),
    "close": _move("close", {S.RESOLVED}, {Party.IOC, Party.SYSTEM}),
    "escalate": _move("escalate", ACTIVE, {Party.SYSTEM}),
}


def parties_of(actor: User | None, report: Report) -> set[Party]:
    if actor is None:
        return {Party.SYSTEM}
    parties = set()
    role = Role(actor.role)
    if role.is_ioc_staff:
        parties.add(Party.IOC)
    if (
        role == Role.AGENCY_STAFF
        and report.agency_id is not None
        and actor.agency_id == report.agency_id
    ):
        parties.add(Party.AGENCY)
    if report.reporter_id is not None and actor.pk == report.reporter_id:
        parties.add(Party.REPORTER)
    return parties


def _status_label(status: str) -> str:
    return str(ReportStatus(status).label).lower()


def _ensure(report: Report, *, move: str, actor: User | None) -> None:
    """Refuse the move, saying what and why, unless this actor may make it from this status."""
    rule = MOVES[move]
    if not parties_of(actor, report) & rule.parties:
        who = " or ".join(sorted(p.value for p in rule.parties))
        if actor is not None and actor.role == Role.LEADER:
            why = "leaders have read-only access"
        elif actor is not None and actor.role == Role.AGENCY_STAFF and Party.AGENCY in rule.parties:
            why = "it is not assigned to your agency"
        else:
            why = f"only {who} may do that"
        raise NotPermitted(
            f"You cannot {rule.verb} report #{report.pk}: {why}.", code="not_permitted"
        )
    if report.status not in rule.sources:
        labels = sorted(_status_label(s) for s in rule.sources)
        allowed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
        raise InvalidTransition(
            f"Cannot {rule.verb} report #{report.pk}: it is {_status_label(report.status)}; "
            f"this is possible only when it is {allowed}."
        )


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _record(
    report: Report,
    *,
    kind: EventKind,
    actor: User | None,
    from_status: str,
    note: str = "",
    visibility: Visibility = Visibility.PUBLIC,
    data: dict[str, Any] | None = None,
) -> ReportEvent:
    event = ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        actor_role=actor.role if actor else "",
        agency=report.agency,
        from_status=from_status,
        to_status=report.status,
        note=note,
        visibility=visibility,
        data=data or {},
        created_at=clock.now(),
    )
    payload = {
        "id": report.pk,
        "status": report.status,
        "kind": str(kind),
        "agency": report.agency_id,
        "event": event.pk,
    }
    transaction.on_commit(lambda: publish(Event("report.changed", payload)))
    return event


def _required(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"{what} is required.", fields={field: [f"{what} is required."]})
    return text


def _deadlines(report: Report) -> None:
    """Deadlines run from receipt; an extension, once granted, is never recomputed away."""
    if report.extended_at is None:
        report.due_at = deadlines.due_at_for(
            category=report.category, priority=report.priority, start=report.submitted_at
        )
    report.ack_due_at = deadlines.ack_due_at_for(
        category=report.category, start=report.submitted_at
    )


# --- intake ------------------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    description: str,
    category: Category,
    channel: Channel = Channel.WEB,
    reporter: User | None = None,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    title: str = "",
    is_anonymous: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    device_id: str = "",
    photos: Sequence[Upload] = (),
    is_demo: bool = False,
) -> Report:
    """Receive a citizen's report from any channel; it waits in the IOC queue as submitted."""
    problems: dict[str, list[str]] = {}
    if not description.strip():
        problems["description"] = ["Describe the problem."]
    if not category.is_active:
        problems["category"] = ["This category no longer accepts reports."]
    if (lat is None) != (lon is None):
        problems["location"] = ["Give both latitude and longitude, or neither."]
    elif lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems["location"] = ["Latitude must be within ±90 and longitude within ±180."]
    if lat is None and not address.strip():
        problems.setdefault("location", []).append("Give a location on the map or an address.")
    if problems:
        raise InvalidInput(
            "The report could not be accepted: "
            + " ".join(message for messages in problems.values() for message in messages),
            fields=problems,
        )
    images = photos_clean(photos=photos)

    report = Report.objects.create(
        title=title.strip(),
        description=description.strip(),
        lat=lat,
        lon=lon,
        address=address.strip(),
        area=area_at(lat=lat, lon=lon) if lat is not None and lon is not None else None,
        category=category,
        priority=category.default_priority,
        channel=channel,
        reporter=reporter,
        is_anonymous=is_anonymous,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        device_id=device_id,
        status=S.SUBMITTED,
        submitted_at=clock.now(),
        is_demo=is_demo,
    )
    _deadlines(report)
    report.save(update_fields=["due_at", "ack_due_at"])
    event = _record(
        report,
        kind=EventKind.SUBMITTED,
        actor=reporter,
        from_status="",
        data={"channel": str(channel)},
    )
    for image in images:
        attachment_create(
            report=report,
            image=image,
            kind=AttachmentKind.REPORT,
            uploaded_by=reporter,
            event=event,
        )
    if reporter is not None:
        follow_create(report=report, user=reporter)
    return report


# --- IOC triage and dispatch -------------------------------------------------------------------


@transaction.atomic
def report_accept(
    *,
    report: Report,
    actor: User,
    category: Category | None = None,
    priority: Priority | None = None,
    note: str = "",
) -> Report:
    """The IOC verifies the report (acknowledgement); category and priority may be corrected."""
    report = _locked(report)
    _ensure(report, move="accept", actor=actor)
    previous = report.status
    if category is not None:
        report.category = category
    if priority is not None:
        report.priority = priority
    report.status = S.ACCEPTED
    report.acknowledged_at = clock.now()
    _deadlines(report)
    report.save()
    _record(
        report,
        kind=EventKind.ACCEPTED,
        actor=actor,
        from_status=previous,
        note=note,
        data={"category": report.category.code, "priority": report.priority},
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
    report = _locked(report)
    _ensure(report, move="reclassify", actor=actor)
    before = {"category": report.category.code, "priority": report.priority}
    report.category = category or report.category
    report.priority = priority or report.priority
    _deadlines(report)
    report.save()
    _record(
        report,
        kind=EventKind.RECLASSIFIED,
        actor=actor,
        from_status=report.status,
        note=note,
        visibility=Visibility.INTERNAL,
        data={
            "before": before,
            "after": {"category": report.category.code, "priority": report.priority},
        },
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
    report = _locked(report)
    _ensure(report, move="reject", actor=actor)
    if reason not in RejectionReason.values:
        raise InvalidInput("Unknown rejection reason.", fields={"reason": ["Choose a reason."]})
    if reason == RejectionReason.DUPLICATE:
        original = _merge_target(report, original)
    previous = report.status
    report.status = S.REJECTED
    report.rejection_reason = reason
    report.duplicate_of = original if reason == RejectionReason.DUPLICATE else None
    report.acknowledged_at = report.acknowledged_at or clock.now()
    report.save()
    _record(
        report,
        kind=EventKind.REJECTED,
        actor=actor,
        from_status=previous,
        note=note,
        data={"reason": str(reason), "original": original.pk if original else None},
    )
    return report


@transaction.atomic
def report_assign(*, report: Report, agency: Agency, actor: User, note: str = "") -> Report:
    """Dispatch to an agency, or move an assigned report to another agency."""
    report = _locked(report)
    _ensure(report, move="assign", actor=actor)
    if not agency.is_active:
        raise InvalidInput(f"{agency} is not active.", fields={"agency": ["Inactive agency."]})
    if report.agency_id == agency.pk and report.status != S.ACCEPTED:
        raise InvalidTransition(f"Report #{report.pk} is already assigned to {agency}.")
    previous, kind = report.status, EventKind.ASSIGNED
    if report.status != S.ACCEPTED:
        kind = EventKind.REASSIGNED
    report.status, report.agency = S.ASSIGNED, agency
    report.save()
    _record(
        report,
        kind=kind,
        actor=actor,
        from_status=previous,
        note=note,
        data={"agency": agency.code},
    )
    return report


# --- agency work -------------------------------------------------------------------------------


@transaction.atomic
def report_agency_accept(*, report: Report, actor: User, note: str = "") -> Report:
    report = _locked(report)
    _ensure(report, move="agency_accept", actor=actor)
    previous = report.status
    report.status = S.IN_PROGRESS
    report.save()
    _record(report, kind=EventKind.AGENCY_ACCEPTED, actor=actor, from_status=previous, note=note)
    return report


@transaction.atomic
def report_return(*, report: Report, actor: User, reason: str) -> Report:
    """Not our remit: the agency sends the report back to the IOC queue with a reason."""
    reason = _required(reason, "reason", "A reason for returning the report")
    report = _locked(report)
    _ensure(report, move="return", actor=actor)
    previous, agency = report.status, report.agency
    report.status, report.agency = S.ACCEPTED, None
    report.save()
    event = _record(
        report,
        kind=EventKind.RETURNED,
        actor=actor,
        from_status=previous,
        note=reason,
        visibility=Visibility.INTERNAL,
        data={"agency": agency.code if agency else None},
    )
    event.agency = agency
    event.save(update_fields=["agency"])
    return report


@transaction.atomic
def report_add_note(
    *, report: Report, actor: User, text: str, visibility: Visibility = Visibility.INTERNAL
) -> ReportEvent:
    """A progress note; public notes appear on the citizen's timeline."""
    text = _required(text, "text", "The note")
    report = _locked(report)
    _ensure(report, move="note", actor=actor)
    return _record(
        report,
        kind=EventKind.NOTE,
        actor=actor,
        from_status=report.status,
        note=text,
        visibility=Visibility(visibility),
    )


@transaction.atomic
def report_extend(*, report: Report, actor: User, reason: str, new_due_at: datetime) -> Report:
    """The one extension an agency may take, with a public reason and a new expected date."""
    reason = _required(reason, "reason", "A public reason for the extension")
    report = _locked(report)
    _ensure(report, move="extend", actor=actor)
    if report.extended_at is not None:
        raise InvalidTransition(
            f"Report #{report.pk} was already extended once, on "
            f"{report.extended_at:%d/%m/%Y}; a deadline can be extended only once.",
            code="already_extended",
        )
    if report.due_at is not None and new_due_at <= report.due_at:
        raise InvalidInput(
            "The new date must be after the current deadline.",
            fields={"new_due_at": ["Must be after the current deadline."]},
        )
    if new_due_at <= clock.now():
        raise InvalidInput(
            "The new date must be in the future.", fields={"new_due_at": ["Must be in the future."]}
        )
    previous_due = report.due_at
    report.original_due_at, report.due_at = previous_due, new_due_at
    report.extended_at, report.extension_reason = clock.now(), reason
    report.save()
    _record(
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
    result = _required(result, "result", "The result text")
    report = _locked(report)
    _ensure(report, move="resolve", actor=actor)
    images = photos_clean(photos=photos)
    previous = report.status
    report.status, report.result_text, report.resolved_at = S.RESOLVED, result, clock.now()
    report.save()
    event = _record(report, kind=EventKind.RESOLVED, actor=actor, from_status=previous, note=result)
    for image in images:
        attachment_create(
            report=report, image=image, kind=AttachmentKind.RESULT, uploaded_by=actor, event=event
        )
    return report


# --- the citizen's answer ----------------------------------------------------------------------


@transaction.atomic
def report_rate(*, report: Report, actor: User, value: RatingValue, comment: str = "") -> Rating:
    """Satisfied or acceptable closes the report; unsatisfied leaves it open to a reopen."""
    report = _locked(report)
    _ensure(report, move="rate", actor=actor)
    if value not in RatingValue.values:
        raise InvalidInput("Unknown rating.", fields={"value": ["Choose a rating."]})
    rating = Rating.objects.create(
        report=report, rater=actor, value=value, comment=comment.strip(), created_at=clock.now()
    )
    previous = report.status
    if value != RatingValue.UNSATISFIED:
        report.status, report.closed_at = S.CLOSED, clock.now()
        report.save()
    _record(
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
    reason = _required(reason, "reason", "Why the problem is not solved")
    report = _locked(report)
    _ensure(report, move="reopen", actor=actor)
    previous = report.status
    report.status = S.IN_PROGRESS if report.agency_id else S.ACCEPTED
    report.resolved_at = None
    report.save()
    _record(report, kind=EventKind.REOPENED, actor=actor, from_status=previous, note=reason)
    return report


# --- duplicates, closing, escalation -----------------------------------------------------------


def _merge_target(report: Report, original: Report | None) -> Report:
    if original is None:
        raise InvalidInput(
            "A duplicate must name its original report.",
            fields={"original": ["Choose the original report."]},
        )
    root = original
    while root.duplicate_of_id is not None and root.status == S.DUPLICATE:
        root = Report.objects.get(pk=root.duplicate_of_id)
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
    report = _locked(report)
    _ensure(report, move="merge", actor=actor)
    original = _merge_target(report, original)
    previous = report.status
    report.status, report.duplicate_of = S.DUPLICATE, original
    report.save()
    _record(
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


@transaction.atomic
def report_close(*, report: Report, actor: User | None = None, note: str = "") -> Report:
    report = _locked(report)
    _ensure(report, move="close", actor=actor)
    previous = report.status
    report.status, report.closed_at = S.CLOSED, clock.now()
    report.save()
    _record(report, kind=EventKind.CLOSED, actor=actor, from_status=previous, note=note)
    return report


@transaction.atomic
def report_escalate(*, report: Report) -> Report | None:
    """Record, once per deadline, that an active report has passed it (the system's move)."""
    report = _locked(report)
    now = clock.now()
    if not report.is_overdue(now) or report.escalated_due_at == report.due_at:
        return None
    _ensure(report, move="escalate", actor=None)
    report.escalated_due_at = report.due_at
    report.save(update_fields=["escalated_due_at", "updated_at"])
    _record(
        report,
        kind=EventKind.ESCALATED,
        actor=None,
        from_status=report.status,
        data={"due_at": report.due_at.isoformat() if report.due_at else None},
    )
    return report


def reports_escalate_overdue() -> int:
    """The periodic job: escalate every report that passed its deadline since the last run."""
    from cityops.reports.selectors import reports_overdue

    escalated = 0
    candidates = reports_overdue(at=clock.now()).only("pk", "due_at", "escalated_due_at")
    for report in candidates.iterator():
        if report.escalated_due_at != report.due_at and report_escalate(report=report):
            escalated += 1
    return escalated


def reports_close_quiet() -> int:
    """The periodic job: close resolved reports nobody rated within the quiet period."""
    cutoff = clock.now() - timedelta(days=settings.CITYOPS_CLOSE_AFTER_DAYS)
    quiet = Report.objects.filter(status=S.RESOLVED, resolved_at__lt=cutoff)
    closed = 0
    for report in quiet.only("pk").iterator():
        report_close(report=report, note="Closed automatically: no answer after the quiet period.")
        closed += 1
    return closed
