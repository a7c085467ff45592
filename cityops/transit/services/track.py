"""A vehicle's recent track, and the live event of each accepted position.

``vehicle_moved`` runs in the transaction that accepted the position: it keeps the point (the
console draws the last two hours of a bus) and, once committed, publishes ``vehicle.moved`` to
the live connections that asked for vehicles (the console map). The payload names the vehicle
and its trip only: buses carry no personal data.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from cityops.platform import clock
from cityops.platform.events import Event, publish
from cityops.transit.models import Vehicle, VehiclePosition

VEHICLE_MOVED = "vehicle.moved"
TRACK_KEPT = timedelta(hours=2)


def vehicle_moved_payload(vehicle: Vehicle) -> dict[str, Any]:
    return {
        "id": vehicle.vehicle_id,
        "label": vehicle.label,
        "route": vehicle.route_id,
        "trip": vehicle.trip_id,
        "lat": round(vehicle.lat, 6),
        "lon": round(vehicle.lon, 6),
        "bearing": vehicle.bearing,
        "delay": vehicle.delay,
        "next_stop": vehicle.next_stop_id,
        "observed_at": vehicle.observed_at.isoformat(),
    }


def vehicle_moved(*, vehicle: Vehicle) -> VehiclePosition:
    """Keep the vehicle's accepted position in its track and announce it after the commit."""
    point = VehiclePosition.objects.create(
        vehicle_id=vehicle.vehicle_id,
        lat=vehicle.lat,
        lon=vehicle.lon,
        observed_at=vehicle.observed_at,
        route_id=vehicle.route_id,
        delay=vehicle.delay,
    )
    payload = vehicle_moved_payload(vehicle)
    transaction.on_commit(lambda: publish(Event(VEHICLE_MOVED, payload)))
    return point


def vehicle_tracks_prune(*, now: datetime | None = None, kept: timedelta = TRACK_KEPT) -> int:
    """Forget track points older than ``kept``; returns how many went."""
    since = (now or clock.now()) - kept
    deleted, _ = VehiclePosition.objects.filter(observed_at__lt=since).delete()
    return deleted
