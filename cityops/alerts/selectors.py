"""Reads of the alerts domain shared by the console, the public pages and the jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.alerts.choices import AlarmState, CapMsgType, CapSeverity, Severity
from cityops.alerts.models import Alarm, AlarmEvent, Bulletin

# Severity colours of the console (the words are always shown too).
SEVERITY_COLOURS = {
    Severity.CRITICAL: "#b00020",
    Severity.MAJOR: "#d35400",
    Severity.MINOR: "#b7950b",
    Severity.WARNING: "#0b4f8a",
    Severity.INFO: "#5f6b78",
}
CAP_SEVERITY_COLOURS = {
    CapSeverity.EXTREME: "#7e0023",
    CapSeverity.SEVERE: "#b00020",
    CapSeverity.MODERATE: "#d35400",
    CapSeverity.MINOR: "#b7950b",
    CapSeverity.UNKNOWN: "#5f6b78",
}


def _severity_rank(field: str, choices: type[Severity] | type[CapSeverity]) -> Case:
    return Case(
        *[When(**{field: choice.value}, then=Value(rank)) for rank, choice in enumerate(choices)],
        default=Value(len(choices)),
        output_field=IntegerField(),
    )


# --- alarms ------------------------------------------------------------------------------------


def alarms_for_console(*, state: str = AlarmState.ACTIVE, severity: str = "") -> QuerySet[Alarm]:
    """Alarms in ``state`` (active, cleared, or "" for all), most severe then newest first, with
    everything the panel shows in one query."""
    alarms = Alarm.objects.select_related(
        "sensor", "assignee", "acknowledged_by", "cleared_by", "report", "rule"
    )
    if state == AlarmState.ACTIVE:
        alarms = alarms.filter(cleared_at__isnull=True)
    elif state == AlarmState.CLEARED:
        alarms = alarms.filter(cleared_at__isnull=False)
    if severity:
        alarms = alarms.filter(severity=severity)
    ordering = ["rank", "-last_raised_at", "-pk"]
    if state == AlarmState.CLEARED:
        ordering = ["-cleared_at", "-pk"]
    return alarms.annotate(rank=_severity_rank("severity", Severity)).order_by(*ordering)


def alarm_for_console(*, pk: int) -> Alarm | None:
    return alarms_for_console(state="").filter(pk=pk).first()


def alarm_events(*, alarm: Alarm) -> QuerySet[AlarmEvent]:
    return alarm.events.select_related("actor").order_by("created_at", "pk")


def alarm_counts() -> dict[str, int]:
    """Active alarms per severity, and how many nobody acknowledged yet."""
    active = Alarm.objects.filter(cleared_at__isnull=True)
    counts = {severity.value: 0 for severity in Severity}
    for severity in active.values_list("severity", flat=True):
        counts[severity] = counts.get(severity, 0) + 1
    counts["active"] = sum(counts[s.value] for s in Severity)
    counts["unacknowledged"] = active.filter(acknowledged_at__isnull=True).count()
    return counts


def alarm_assignees() -> QuerySet[User]:
    """Who an alarm can be given to: active IOC operators and admins."""
    return User.objects.filter(is_active=True, role__in=[Role.OPERATOR, Role.ADMIN]).order_by(
        "full_name", "username"
    )


def on_duty_operators() -> QuerySet[User]:
    """The operators on duty with an email address: critical and major alarms go to them."""
    return alarm_assignees().filter(on_duty__isnull=False).exclude(email="").order_by("pk")


def alarm_points() -> dict[str, Any]:
    """Active alarms with a place, as GeoJSON for the console map's alarm layer."""
    features = []
    for alarm in alarms_for_console().filter(sensor__isnull=False):
        assert alarm.sensor is not None
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [alarm.sensor.lon, alarm.sensor.lat]},
                "properties": {
                    "id": alarm.pk,
                    "title": f"{alarm.get_severity_display()}: {alarm.message}",
                    "label": alarm.source_name,
                    "url": reverse("console:alerts:alarm", args=[alarm.pk]),
                    "color": SEVERITY_COLOURS.get(Severity(alarm.severity), "#5f6b78"),
                    "severity": alarm.severity,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- bulletins ---------------------------------------------------------------------------------


def _shown(bulletins: QuerySet[Bulletin]) -> QuerySet[Bulletin]:
    """Real warnings: not Cancel messages, not cancelled, not superseded by an Update."""
    return bulletins.exclude(msg_type=CapMsgType.CANCEL).filter(
        cancelled_at__isnull=True, superseded_by__isnull=True
    )


def bulletins_current(*, at: datetime) -> QuerySet[Bulletin]:
    """The public's bulletins: in force at ``at`` (expired ones drop off), most severe first."""
    return (
        _shown(Bulletin.objects.all())
        .filter(expires__gt=at)
        .prefetch_related("areas")
        .annotate(rank=_severity_rank("severity", CapSeverity))
        .order_by("rank", "-sent", "-pk")
    )


def bulletin_public(*, pk: int) -> Bulletin | None:
    """A bulletin anyone may open (also expired or withdrawn ones: links outlive them)."""
    return (
        Bulletin.objects.exclude(msg_type=CapMsgType.CANCEL)
        .select_related("superseded_by")
        .prefetch_related("areas")
        .filter(pk=pk)
        .first()
    )


def bulletins_for_console(*, at: datetime, limit: int = 50) -> list[Bulletin]:
    """The newest bulletins, current or not, for the operators' list."""
    return list(
        Bulletin.objects.exclude(msg_type=CapMsgType.CANCEL)
        .select_related("created_by", "superseded_by")
        .order_by("-sent", "-pk")[:limit]
    )


def bulletin_is_current(bulletin: Bulletin, *, at: datetime) -> bool:
    return (
        bulletin.msg_type != CapMsgType.CANCEL
        and bulletin.cancelled_at is None
        and bulletin.superseded_by_id is None
        and bulletin.expires > at
    )


def bulletins_geojson(bulletins: list[Bulletin] | QuerySet[Bulletin]) -> dict[str, Any]:
    """The bulletins' areas for the public map: their own shapes (polygons; circles as points
    with ``radius_km``), else the boundaries of the city's areas they name."""
    features: list[dict[str, Any]] = []
    for bulletin in bulletins:
        properties = {
            "id": bulletin.pk,
            "title": bulletin.headline,
            "severity": bulletin.severity,
            "severity_label": str(bulletin.get_severity_display()),
            "color": CAP_SEVERITY_COLOURS.get(CapSeverity(bulletin.severity), "#5f6b78"),
            "url": reverse("warnings:detail", args=[bulletin.pk]),
        }
        shapes = list((bulletin.geometry or {}).get("features", []))
        if not shapes:
            shapes = [
                {"type": "Feature", "geometry": area.boundary, "properties": {"name": area.name}}
                for area in bulletin.areas.all()
                if area.boundary
            ]
        for feature in shapes:
            features.append(
                {
                    "type": "Feature",
                    "geometry": feature["geometry"],
                    "properties": {**feature.get("properties", {}), **properties},
                }
            )
    return {"type": "FeatureCollection", "features": features}
