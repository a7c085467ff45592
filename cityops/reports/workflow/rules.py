"""Who may make which move from which status, and the helpers every transition shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, TypedDict, Unpack

from django.db import transaction

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.platform.events import Event, publish
from cityops.reports import deadlines
from cityops.reports.choices import EventKind, ReportStatus, Visibility
from cityops.reports.models import Report, ReportEvent

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
    # The system accepts and assigns only for a source whose agency is known from the source
    # itself (a dissatisfied service-desk rating goes to the desk's own agency).
    "accept": _move("accept", {S.SUBMITTED}, {Party.IOC, Party.SYSTEM}),
    "reclassify": _move("reclassify", {S.SUBMITTED, S.ACCEPTED, S.ASSIGNED}, {Party.IOC}),
    "reject": _move("reject", {S.SUBMITTED, S.ACCEPTED}, {Party.IOC}),
    "assign": _move("assign", {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS}, {Party.IOC, Party.SYSTEM}),
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


def status_label(status: str) -> str:
    """The status as plain English words for refusal messages (the code, not a translation)."""
    return ReportStatus(status).value.replace("_", " ")


def ensure_allowed(report: Report, *, move: str, actor: User | None) -> None:
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
        labels = sorted(status_label(s) for s in rule.sources)
        allowed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
        raise InvalidTransition(
            f"Cannot {rule.verb} report #{report.pk}: it is {status_label(report.status)}; "
            f"this is possible only when it is {allowed}."
        )


def locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


class EventDetails(TypedDict, total=False):
    """What an event may say beyond its kind, actor and former status."""

    note: str
    visibility: Visibility
    data: dict[str, Any] | None
    agency: Agency | None
    at: datetime | None


def record_event(
    report: Report,
    *,
    kind: EventKind,
    actor: User | None,
    from_status: str,
    **details: Unpack[EventDetails],
) -> ReportEvent:
    """Write the event; ``agency`` defaults to the report's (a return names the one it left).

    ``at`` is the event's time when the caller already stamped the report with it (intake).
    """
    event = event_for(report, kind=kind, actor=actor, from_status=from_status, **details)
    event.save(force_insert=True)
    # The report's clock is its timeline's (not the wall clock), also for a replayed history.
    if report.updated_at != event.created_at:
        report.updated_at = event.created_at
        Report.objects.filter(pk=report.pk).update(updated_at=event.created_at)
    announce(report, event)
    return event


def event_for(
    report: Report,
    *,
    kind: EventKind,
    actor: User | None,
    from_status: str,
    note: str = "",
    visibility: Visibility = Visibility.PUBLIC,
    data: dict[str, Any] | None = None,
    agency: Agency | None = None,
    at: datetime | None = None,
) -> ReportEvent:
    """The event ``record_event`` writes, not yet saved."""
    return ReportEvent(
        report=report,
        kind=kind,
        actor=actor,
        actor_role=actor.role if actor else "",
        agency=agency or report.agency,
        from_status=from_status,
        to_status=report.status,
        note=note,
        visibility=visibility,
        data=data or {},
        created_at=at or clock.now(),
    )


def announce(report: Report, event: ReportEvent) -> None:
    """Publish ``report.changed`` for the written ``event`` once its transaction commits (at
    once in autocommit): the live views, notifications and the read cache listen."""
    payload = {
        "id": report.pk,
        "status": str(report.status),
        "kind": str(event.kind),
        "agency": event.agency_id,
        "event": event.pk,
    }
    transaction.on_commit(lambda: publish(Event("report.changed", payload)))


def required_text(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"{what} is required.", fields={field: [f"{what} is required."]})
    return text


def round_started_at(report: Report) -> datetime:
    """A handling round starts at receipt, and again at each reopening (ARCHITECTURE §2)."""
    if report.pk is None:
        return report.submitted_at
    reopened = (
        ReportEvent.objects.filter(report=report, kind=EventKind.REOPENED)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return reopened or report.submitted_at


def deadlines_refresh(report: Report) -> None:
    """Deadlines run from the start of the handling round (receipt, or the latest reopening);
    an extension, once granted in this round, is never recomputed away."""
    limits = deadlines.limits_for(report.category)
    if report.extended_at is None:
        report.due_at = deadlines.due_at_for(
            limits=limits, priority=report.priority, start=round_started_at(report)
        )
    report.ack_due_at = deadlines.ack_due_at_for(limits=limits, start=report.submitted_at)
