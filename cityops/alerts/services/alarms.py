"""The alarm lifecycle: raise (or bump), clear, acknowledge, assign, turn into a report.

Every function locks the alarm, changes it, writes one ``AlarmEvent`` and publishes
``alarm.changed`` (``{"id", "state", "severity", "kind", "type", "acknowledged"}``, ``kind``
being the event's kind) once the transaction commits. Nothing else writes an alarm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.alerts.choices import (
    FALLBACK_CATEGORY,
    REPORT_BY_ALARM_TYPE,
    REPORT_BY_SENSOR_KIND,
    AlarmEventKind,
    AlarmType,
    ReportDefault,
    Severity,
)
from cityops.alerts.models import Alarm, AlarmEvent, AlarmRule
from cityops.monitoring.models import Sensor
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.platform.events import Event, publish
from cityops.platform.images import CleanImage
from cityops.reports.choices import Channel, Priority
from cityops.reports.models import Category, Report
from cityops.reports.workflow import report_submit


def _ensure_ioc_staff(actor: User) -> None:
    if not actor.is_active or Role(actor.role) not in (Role.OPERATOR, Role.ADMIN):
        raise NotPermitted(_("Only IOC operators handle alarms."))


def _changed(alarm: Alarm, kind: AlarmEventKind) -> Event:
    return Event(
        "alarm.changed",
        {
            "id": alarm.pk,
            "state": str(alarm.state),
            "severity": alarm.severity,
            "kind": str(kind),
            "type": alarm.type,
            "acknowledged": alarm.is_acknowledged,
        },
    )


def _record(
    alarm: Alarm,
    kind: AlarmEventKind,
    *,
    actor: User | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> AlarmEvent:
    event = AlarmEvent.objects.create(
        alarm=alarm, kind=kind, actor=actor, note=note, data=data or {}, created_at=clock.now()
    )
    published = _changed(alarm, kind)
    transaction.on_commit(lambda: publish(published))
    return event


def _snapshot_save(alarm: Alarm, image: CleanImage) -> None:
    name = uuid4().hex
    alarm.snapshot.save(f"{name}.{image.extension}", ContentFile(image.content), save=False)
    alarm.snapshot_thumbnail.save(f"{name}.thumb.jpg", ContentFile(image.thumbnail), save=False)


@dataclass(frozen=True)
class Raised:
    alarm: Alarm
    created: bool  # False: an active alarm of the same source and type was bumped


def alarm_raise(
    *,
    sensor: Sensor,
    type: AlarmType | str,
    severity: Severity | str,
    message: str,
    rule: AlarmRule | None = None,
    value: float | None = None,
    observed_at: datetime | None = None,
    confidence: float | None = None,
    snapshot: CleanImage | None = None,
) -> Raised:
    """Raise an alarm, or bump the active one of the same source and type (``count`` + 1).

    A bump takes the newest message, value, severity and snapshot; the first one raised stays
    in the history.
    """
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _raise(
                    sensor=sensor,
                    type=AlarmType(type),
                    severity=Severity(severity),
                    message=message,
                    rule=rule,
                    value=value,
                    observed_at=observed_at,
                    confidence=confidence,
                    snapshot=snapshot,
                )
        except IntegrityError:
            # Another worker raised the same alarm between our look and our insert: bump it.
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _raise(
    *,
    sensor: Sensor,
    type: AlarmType,
    severity: Severity,
    message: str,
    rule: AlarmRule | None,
    value: float | None,
    observed_at: datetime | None,
    confidence: float | None,
    snapshot: CleanImage | None,
) -> Raised:
    key = Alarm.key_for(sensor_id=sensor.pk, type=type, rule_id=rule.pk if rule else None)
    now = clock.now()
    message = message[:500]
    data: dict[str, Any] = {"message": message}
    if value is not None:
        data["value"] = value
    if confidence is not None:
        data["confidence"] = confidence
    alarm = Alarm.objects.select_for_update().filter(dedup_key=key, cleared_at=None).first()
    if alarm is not None:
        alarm.count += 1
        alarm.last_raised_at = now
        alarm.message, alarm.severity = message, severity
        alarm.value, alarm.confidence = value, confidence
        alarm.observed_at = observed_at or alarm.observed_at
        if snapshot is not None:
            _snapshot_save(alarm, snapshot)
        alarm.save()
        _record(alarm, AlarmEventKind.REPEATED, data={**data, "count": alarm.count})
        return Raised(alarm, created=False)
    alarm = Alarm(
        type=type,
        severity=severity,
        message=message,
        sensor=sensor,
        source_name=f"{sensor.name} ({sensor.code})"[:260],
        rule=rule,
        dedup_key=key,
        value=value,
        confidence=confidence,
        observed_at=observed_at,
        first_raised_at=now,
        last_raised_at=now,
    )
    if snapshot is not None:
        _snapshot_save(alarm, snapshot)
    alarm.save()
    _record(alarm, AlarmEventKind.RAISED, data=data)
    return Raised(alarm, created=True)


@transaction.atomic
def alarm_clear(*, alarm: Alarm, actor: User | None = None, note: str = "") -> Alarm:
    """End an alarm: ``actor`` None is the system (the condition ended). Clearing an alarm
    that is cleared already is a conflict for an operator and nothing for the system."""
    if actor is not None:
        _ensure_ioc_staff(actor)
    alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
    if alarm.cleared_at is not None:
        if actor is None:
            return alarm
        raise Conflict(_("This alarm is cleared already."), code="alarm_cleared")
    alarm.cleared_at, alarm.cleared_by = clock.now(), actor
    alarm.save(update_fields=["cleared_at", "cleared_by"])
    _record(
        alarm,
        AlarmEventKind.CLEARED,
        actor=actor,
        note=note.strip(),
        data={"automatic": actor is None},
    )
    return alarm


def alarm_clear_by_key(*, key: str) -> Alarm | None:
    """The system clears the active alarm of a source and type (its condition ended)."""
    alarm = Alarm.objects.filter(dedup_key=key, cleared_at=None).first()
    return alarm_clear(alarm=alarm) if alarm is not None else None


@transaction.atomic
def alarm_acknowledge(*, alarm: Alarm, actor: User, note: str = "") -> Alarm:
    """An operator has seen the alarm and takes care of it (it stays active)."""
    _ensure_ioc_staff(actor)
    alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
    if alarm.acknowledged_at is not None:
        raise Conflict(_("This alarm is acknowledged already."), code="alarm_acknowledged")
    _acknowledge(alarm, actor)
    _record(alarm, AlarmEventKind.ACKNOWLEDGED, actor=actor, note=note.strip())
    return alarm


def _acknowledge(alarm: Alarm, actor: User) -> None:
    alarm.acknowledged_at, alarm.acknowledged_by = clock.now(), actor
    alarm.save(update_fields=["acknowledged_at", "acknowledged_by"])


@transaction.atomic
def alarm_assign(*, alarm: Alarm, assignee: User, actor: User) -> Alarm:
    """Give an active alarm to an operator (or admin) to follow up."""
    _ensure_ioc_staff(actor)
    if not assignee.is_active or Role(assignee.role) not in (Role.OPERATOR, Role.ADMIN):
        message = _("Alarms are assigned to IOC operators.")
        raise InvalidInput(message, fields={"assignee": [message]})
    alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
    if alarm.cleared_at is not None:
        raise Conflict(_("A cleared alarm cannot be assigned."), code="alarm_cleared")
    if alarm.assignee_id == assignee.pk:
        raise Conflict(_("The alarm is assigned to this operator already."), code="alarm_assigned")
    previous = alarm.assignee_id
    alarm.assignee = assignee
    alarm.save(update_fields=["assignee"])
    _record(
        alarm,
        AlarmEventKind.ASSIGNED,
        actor=actor,
        data={"assignee": assignee.pk, "previous": previous},
    )
    return alarm


@dataclass(frozen=True)
class AlarmReportDefaults:
    """What a report made from an alarm is, unless the operator decides otherwise."""

    category: Category | None
    priority: Priority | None  # None: the category's default priority


def report_defaults_for(alarm: Alarm) -> AlarmReportDefaults:
    """The category and priority an alarm's report takes: the rule's own, else by the alarm's
    type (camera events, fire, AQI), else by the sensor's kind; never from the text."""
    by_type = REPORT_BY_ALARM_TYPE.get(alarm.type, ReportDefault(None, None))
    by_kind = ReportDefault(None, None)
    if alarm.sensor is not None:
        by_kind = REPORT_BY_SENSOR_KIND.get(alarm.sensor.kind, by_kind)
    rule = alarm.rule
    category = rule.category if rule is not None and rule.category is not None else None
    if category is None or not category.is_active:
        code = by_type.category or by_kind.category or FALLBACK_CATEGORY
        active = Category.objects.filter(is_active=True)
        category = active.filter(code=code).first() or active.filter(code=FALLBACK_CATEGORY).first()
    priority = (rule.priority if rule is not None else "") or by_type.priority or by_kind.priority
    return AlarmReportDefaults(category, Priority(priority) if priority else None)


def report_text_of(alarm: Alarm, *, note: str = "") -> str:
    """The report's description, in the city's language: what was seen, where, since when."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Monitoring alarm #%(id)s (%(type)s, %(severity)s): %(message)s")
            % {
                "id": alarm.pk,
                "type": AlarmType(alarm.type).label,
                "severity": Severity(alarm.severity).label,
                "message": alarm.message,
            },
            _("Source: %(source)s.") % {"source": alarm.source_name},
            _("First raised %(first)s; raised %(count)s time(s).")
            % {
                "first": timezone.localtime(alarm.first_raised_at).strftime("%d/%m/%Y %H:%M"),
                "count": alarm.count,
            },
        ]
    if note.strip():
        lines.append(note.strip())
    return "\n".join(lines)


@transaction.atomic
def alarm_to_report(
    *,
    alarm: Alarm,
    actor: User,
    category: Category | None = None,
    priority: Priority | None = None,
    note: str = "",
) -> Report:
    """Turn an alarm into a field report (channel ``monitoring``) at the sensor's place, with the
    camera's snapshot as its photo; it then waits in the IOC queue like any report. The alarm
    is acknowledged by the same move if it was not yet.

    Category and priority are the operator's when given, else the alarm's rule decides
    (``report_defaults_for``): a rising river is urgent flooding whatever the alarm's words."""
    _ensure_ioc_staff(actor)
    alarm = (
        Alarm.objects.select_for_update(of=("self",))
        .select_related("sensor", "rule")
        .get(pk=alarm.pk)
    )
    if alarm.report_id is not None:
        raise Conflict(
            _("This alarm is report #%(id)s already.") % {"id": alarm.report_id},
            code="alarm_reported",
        )
    defaults = report_defaults_for(alarm)
    category = category or defaults.category
    priority = priority or defaults.priority
    if category is None:
        message = _("Choose a category for the report.")
        raise InvalidInput(message, fields={"category": [message]})
    sensor = alarm.sensor
    photos: list[bytes] = []
    if alarm.snapshot:
        with alarm.snapshot.open("rb") as file:
            photos.append(file.read())
    report = report_submit(
        description=report_text_of(alarm, note=note),
        title=alarm.message[:200],
        category=category,
        priority=priority,
        channel=Channel.MONITORING,
        lat=sensor.lat if sensor is not None else None,
        lon=sensor.lon if sensor is not None else None,
        address=(alarm.source_name if sensor is None else sensor.name)[:300],
        contact_name=(actor.get_full_name() or actor.username)[:100],
        photos=photos,
        recorded_by=actor,
    )
    alarm.report = report
    alarm.save(update_fields=["report"])
    acknowledged = alarm.acknowledged_at is None
    if acknowledged:
        _acknowledge(alarm, actor)
    _record(
        alarm,
        AlarmEventKind.REPORTED,
        actor=actor,
        note=note.strip(),
        data={"report": report.pk, "acknowledged": acknowledged},
    )
    return report
