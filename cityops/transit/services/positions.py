"""Vehicle positions in (MQTT, HTTP, a polled GTFS-realtime feed), one door for all three.

A position older than ``CITYOPS_TRANSIT_STALE_SECONDS``, older than the vehicle's last one, or
at (0, 0) (a GPS without a fix) is dropped and counted; the counters are ``positions_status()``.
An accepted position moves the vehicle, places it on its trip's schedule (delay, next stop) and
checks the transit alarms.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from google.transit import gtfs_realtime_pb2

from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.transit.choices import PositionOutcome
from cityops.transit.models import PositionTally, Vehicle
from cityops.transit.selectors import trip_schedule
from cityops.transit.services.alarms import transit_alarms_check
from cityops.transit.services.live import LiveState, live_state
from cityops.transit.services.track import vehicle_moved


@dataclass(frozen=True)
class PositionIn:
    vehicle_id: str
    lat: float
    lon: float
    timestamp: datetime
    trip_id: str = ""
    bearing: float | None = None
    speed: float | None = None
    label: str = ""


@dataclass(frozen=True)
class Recorded:
    outcome: PositionOutcome
    vehicle: Vehicle | None = None
    state: LiveState | None = None


def _tally(outcome: PositionOutcome) -> None:
    updated = PositionTally.objects.filter(outcome=outcome).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                PositionTally.objects.create(outcome=outcome, count=1)
        except IntegrityError:  # another worker created it first
            PositionTally.objects.filter(outcome=outcome).update(count=F("count") + 1)


def _outcome_of(position: PositionIn, now: datetime) -> PositionOutcome | None:
    if not (math.isfinite(position.lat) and math.isfinite(position.lon)):
        return PositionOutcome.INVALID
    if position.lat == 0 and position.lon == 0:
        return PositionOutcome.NULL_ISLAND
    if not (-90 <= position.lat <= 90 and -180 <= position.lon <= 180):
        return PositionOutcome.INVALID
    if now - position.timestamp > timedelta(seconds=settings.CITYOPS_TRANSIT_STALE_SECONDS):
        return PositionOutcome.STALE
    return None


def vehicle_position_record(*, position: PositionIn, now: datetime | None = None) -> Recorded:
    """Take one position of a vehicle; returns what became of it (dropped ones are counted)."""
    now = now or clock.now()
    refused = _outcome_of(position, now)
    if refused is not None:
        _tally(refused)
        return Recorded(refused)
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update().filter(vehicle_id=position.vehicle_id).first()
        if vehicle is not None and position.timestamp <= vehicle.observed_at:
            _tally(PositionOutcome.OUT_OF_ORDER)
            return Recorded(PositionOutcome.OUT_OF_ORDER, vehicle)
        if vehicle is None:
            vehicle = Vehicle(vehicle_id=position.vehicle_id)
        previous_trip, previous_sequence = vehicle.trip_id, vehicle.last_stop_sequence
        vehicle.lat, vehicle.lon = position.lat, position.lon
        vehicle.bearing, vehicle.speed = position.bearing, position.speed
        vehicle.observed_at = position.timestamp
        vehicle.label = position.label or vehicle.label
        vehicle.trip_id = position.trip_id or vehicle.trip_id
        state = _place(vehicle, previous_trip, previous_sequence)
        vehicle.save()
        vehicle_moved(vehicle=vehicle)  # its track, and the console map's live event
        _tally(PositionOutcome.ACCEPTED)
    transit_alarms_check(vehicle=vehicle)
    return Recorded(PositionOutcome.ACCEPTED, vehicle, state)


def _place(vehicle: Vehicle, previous_trip: str, previous_sequence: int | None) -> LiveState | None:
    schedule = trip_schedule(trip_id=vehicle.trip_id)
    if schedule is None:
        vehicle.route_id, vehicle.direction_id, vehicle.start_date = "", None, None
        vehicle.last_stop_sequence = vehicle.next_stop_sequence = None
        vehicle.next_stop_id, vehicle.delay, vehicle.progress = "", None, None
        return None
    after_index = None
    if previous_trip == vehicle.trip_id and previous_sequence is not None:
        sequences = [stop.sequence for stop in schedule.stops]
        if previous_sequence in sequences:
            after_index = min(sequences.index(previous_sequence), len(sequences) - 2)
    state = live_state(
        schedule,
        lat=vehicle.lat,
        lon=vehicle.lon,
        observed_at=vehicle.observed_at,
        service_day=vehicle.start_date if previous_trip == vehicle.trip_id else None,
        after_index=after_index,
    )
    vehicle.route_id, vehicle.direction_id = schedule.route_id, schedule.direction_id
    if state is None:
        return None
    vehicle.start_date = state.service_day
    vehicle.last_stop_sequence = state.last_stop.sequence
    vehicle.next_stop_sequence = state.next_stop.sequence if state.next_stop else None
    vehicle.next_stop_id = state.next_stop.stop_id if state.next_stop else ""
    vehicle.delay, vehicle.progress = state.delay, state.progress
    return state


# The three ways in ---------------------------------------------------------------------------


def _number(data: dict[str, Any], name: str, *, required: bool) -> float | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(
            _("%(name)s must be a number.") % {"name": name}, fields={name: [_("A number.")]}
        )
    return float(value)


def _timestamp(stamp: Any) -> datetime:
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, tz=UTC)
    if not isinstance(stamp, str):
        raise InvalidInput(
            _("timestamp is required."), fields={"timestamp": [_("This field is required.")]}
        )
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput(
            _("timestamp must be ISO 8601 with its offset, or seconds since 1970."),
            fields={"timestamp": [_("ISO 8601 with its offset.")]},
        )
    return moment


def position_from_json(*, vehicle_id: str, data: Any) -> PositionIn:
    """``{"lat", "lon", "timestamp", "trip_id"?, "bearing"?, "speed"?}``; the timestamp is ISO
    8601 with its offset, or seconds since 1970 (what GPS trackers send)."""
    if not isinstance(data, dict):
        raise InvalidInput(_("A position is a JSON object."), code="invalid_position")
    timestamp = _timestamp(data.get("timestamp"))
    trip_id = data.get("trip_id") or ""
    return PositionIn(
        vehicle_id=vehicle_id[:100],
        lat=_number(data, "lat", required=True) or 0.0,
        lon=_number(data, "lon", required=True) or 0.0,
        timestamp=timestamp,
        trip_id=str(trip_id)[:100],
        bearing=_number(data, "bearing", required=False),
        speed=_number(data, "speed", required=False),
    )


def vehicle_position_receive(vehicle_id: str, payload: bytes) -> Recorded:
    """The MQTT handler (``cityops/vehicles/{id}/position``); refusals are ``InvalidInput``."""
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(_("The position is not JSON."), code="malformed_json") from None
    if not vehicle_id:
        raise InvalidInput(_("The topic names no vehicle."), code="invalid_position")
    return vehicle_position_record(position=position_from_json(vehicle_id=vehicle_id, data=data))


def vehicle_positions_import(*, data: bytes, now: datetime | None = None) -> dict[str, int]:
    """A GTFS-realtime VehiclePositions message: each vehicle's position, counted by outcome."""
    message = gtfs_realtime_pb2.FeedMessage()
    try:
        message.ParseFromString(data)
    except Exception as error:  # protobuf's DecodeError and friends
        raise InvalidInput(
            _("Not a GTFS-realtime message: %(error)s") % {"error": error}, code="invalid_feed"
        ) from error
    outcomes: dict[str, int] = {}
    for entity in message.entity:
        if not entity.HasField("vehicle") or not entity.vehicle.HasField("position"):
            continue
        found = entity.vehicle
        vehicle_id = found.vehicle.id or found.vehicle.label or entity.id
        stamp = found.timestamp or message.header.timestamp
        position = PositionIn(
            vehicle_id=vehicle_id[:100],
            label=found.vehicle.label[:100],
            lat=found.position.latitude,
            lon=found.position.longitude,
            timestamp=datetime.fromtimestamp(stamp, tz=UTC),
            trip_id=found.trip.trip_id[:100],
            bearing=found.position.bearing if found.position.HasField("bearing") else None,
            speed=found.position.speed if found.position.HasField("speed") else None,
        )
        outcome = vehicle_position_record(position=position, now=now).outcome
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def vehicle_positions_poll(*, url: str, now: datetime | None = None) -> dict[str, int]:
    """Fetch a GTFS-realtime VehiclePositions feed over HTTP and take its positions."""
    response = requests.get(url, timeout=20, headers={"Accept": "application/x-protobuf"})
    response.raise_for_status()
    return vehicle_positions_import(data=response.content, now=now)
