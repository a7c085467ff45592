"""Transit conditions that operators must see: a bus running long late, buses bunching.

They are raised and cleared through the alerts services (one door into alarms), so they share
the alarm lifecycle, the duty notifications and the console panel, and each is linked to its
route (``AlarmRoute``) so the public GTFS-realtime Alerts feed carries it.

The alerts services take a monitoring ``Sensor`` as an alarm's source: each route is one, an
inactive sensor ``transit-<route>`` of kind ``transit_route`` (no readings, not on the air map,
not checked for silence). A long delay is a ``bus_late`` alarm (its value the delay in minutes),
bunching a ``bus_bunching`` one (its value the distance in metres).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cityops.alerts.choices import AlarmType, Severity
from cityops.alerts.models import Alarm
from cityops.alerts.services import alarm_clear_by_key, alarm_raise
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.monitoring.services import sensor_create
from cityops.transit.choices import TransitAlarmKind
from cityops.transit.geo import distance_m
from cityops.transit.models import AlarmRoute, Route, Vehicle

ALARM_TYPES = {
    TransitAlarmKind.LONG_DELAY: AlarmType.BUS_LATE,
    TransitAlarmKind.BUNCHING: AlarmType.BUS_BUNCHING,
}
SEVERITIES = {
    TransitAlarmKind.LONG_DELAY: Severity.MINOR,
    TransitAlarmKind.BUNCHING: Severity.WARNING,
}


def route_source_code(route_id: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", route_id.lower()).strip("-") or "route"
    return f"transit-{slug}"[:60]


def _route_source(vehicle: Vehicle) -> Sensor:
    code = route_source_code(vehicle.route_id)
    sensor = Sensor.objects.filter(code=code).first()
    if sensor is not None:
        return sensor
    route = Route.objects.filter(feed__is_current=True, route_id=vehicle.route_id).first()
    name = _("Bus route %(route)s") % {"route": route.short_name if route else vehicle.route_id}
    return sensor_create(
        code=code,
        name=name,
        kind=SensorKind.TRANSIT_ROUTE,
        lat=vehicle.lat,
        lon=vehicle.lon,
        metrics=[],
        is_active=False,
    )


def _raise(vehicle: Vehicle, kind: TransitAlarmKind, message: str, value: float) -> Alarm:
    raised = alarm_raise(
        sensor=_route_source(vehicle),
        type=ALARM_TYPES[kind],
        severity=SEVERITIES[kind],
        message=message,
        value=value,
        observed_at=vehicle.observed_at,
    )
    AlarmRoute.objects.get_or_create(
        alarm=raised.alarm, route_id=vehicle.route_id, defaults={"kind": kind}
    )
    return raised.alarm


def _clear(vehicle: Vehicle, kind: TransitAlarmKind) -> None:
    sensor = Sensor.objects.filter(code=route_source_code(vehicle.route_id)).first()
    if sensor is not None:
        alarm_clear_by_key(key=Alarm.key_for(sensor_id=sensor.pk, type=ALARM_TYPES[kind]))


def _close(first: Vehicle, second: Vehicle) -> bool:
    if (
        distance_m(first.lat, first.lon, second.lat, second.lon)
        < settings.CITYOPS_TRANSIT_BUNCHING_METRES
    ):
        return True
    if first.progress is None or second.progress is None:
        return False
    # On the same pattern, the scheduled time between their points is how long after the
    # first the second will pass the same place.
    headway = abs(first.progress - second.progress)
    return headway < settings.CITYOPS_TRANSIT_BUNCHING_MINUTES * 60


def _bunched_pairs(vehicle: Vehicle) -> list[tuple[Vehicle, Vehicle]]:
    """Pairs of fresh vehicles of the route, same direction, too close to each other."""
    fresh_since = vehicle.observed_at - timedelta(seconds=settings.CITYOPS_TRANSIT_STALE_SECONDS)
    fleet = list(
        Vehicle.objects.filter(route_id=vehicle.route_id, observed_at__gte=fresh_since).order_by(
            "vehicle_id"
        )
    )
    return [
        (first, second)
        for index, first in enumerate(fleet)
        for second in fleet[index + 1 :]
        if first.direction_id == second.direction_id and _close(first, second)
    ]


def transit_alarms_check(*, vehicle: Vehicle) -> None:
    """After a vehicle moved: raise or clear its route's long-delay and bunching alarms."""
    if not vehicle.route_id:
        return
    with transaction.atomic():
        late_after = settings.CITYOPS_TRANSIT_DELAY_ALARM_MINUTES * 60
        if vehicle.delay is not None and vehicle.delay > late_after:
            minutes = vehicle.delay // 60
            message = _("Route %(route)s: bus %(vehicle)s is %(minutes)d minutes late.") % {
                "route": vehicle.route_id,
                "vehicle": vehicle.label or vehicle.vehicle_id,
                "minutes": minutes,
            }
            _raise(vehicle, TransitAlarmKind.LONG_DELAY, message, float(minutes))
        elif not Vehicle.objects.filter(
            route_id=vehicle.route_id,
            delay__gt=late_after,
            observed_at__gte=vehicle.observed_at
            - timedelta(seconds=settings.CITYOPS_TRANSIT_STALE_SECONDS),
        ).exists():
            _clear(vehicle, TransitAlarmKind.LONG_DELAY)
        pairs = _bunched_pairs(vehicle)
        mine = [pair for pair in pairs if vehicle.pk in (pair[0].pk, pair[1].pk)]
        if mine:
            first, second = mine[0]
            metres = round(distance_m(first.lat, first.lon, second.lat, second.lon))
            message = _(
                "Route %(route)s: buses %(first)s and %(second)s are bunching (%(metres)d m apart)."
            ) % {
                "route": vehicle.route_id,
                "first": first.label or first.vehicle_id,
                "second": second.label or second.vehicle_id,
                "metres": metres,
            }
            _raise(vehicle, TransitAlarmKind.BUNCHING, message, float(metres))
        elif not pairs:
            _clear(vehicle, TransitAlarmKind.BUNCHING)
