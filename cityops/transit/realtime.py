"""The GTFS-realtime feeds we publish (VehiclePositions, TripUpdates, Alerts), built from the
selectors as protobuf ``FeedMessage``s (full datasets, version 2.0)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from django.utils import translation
from google.transit import gtfs_realtime_pb2 as rt

from cityops.alerts.choices import AlarmType
from cityops.alerts.models import Alarm
from cityops.platform import clock
from cityops.transit.choices import TransitAlarmKind
from cityops.transit.selectors import (
    alarms_on_routes,
    bulletins_on_routes,
    feed_current,
    incidents_on_routes,
    trip_schedule,
    vehicles_live,
)
from cityops.transit.services.live import predictions_after

GTFS_RT_VERSION = "2.0"


def _message(now: datetime) -> rt.FeedMessage:
    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = GTFS_RT_VERSION
    message.header.incrementality = rt.FeedHeader.FULL_DATASET
    message.header.timestamp = int(now.timestamp())
    return message


def vehicle_positions_feed(*, now: datetime | None = None) -> rt.FeedMessage:
    now = now or clock.now()
    message = _message(now)
    for vehicle in vehicles_live(now=now):
        entity = message.entity.add()
        entity.id = f"vehicle-{vehicle.vehicle_id}"
        found = entity.vehicle
        found.vehicle.id = vehicle.vehicle_id
        if vehicle.label:
            found.vehicle.label = vehicle.label
        if vehicle.trip_id:
            found.trip.trip_id = vehicle.trip_id
            if vehicle.route_id:
                found.trip.route_id = vehicle.route_id
            if vehicle.start_date:
                found.trip.start_date = vehicle.start_date.strftime("%Y%m%d")
        found.position.latitude, found.position.longitude = vehicle.lat, vehicle.lon
        if vehicle.bearing is not None:
            found.position.bearing = vehicle.bearing
        if vehicle.speed is not None:
            found.position.speed = vehicle.speed
        if vehicle.next_stop_sequence is not None:
            found.current_stop_sequence = vehicle.next_stop_sequence
            found.stop_id = vehicle.next_stop_id
            found.current_status = rt.VehiclePosition.IN_TRANSIT_TO
        found.timestamp = int(vehicle.observed_at.timestamp())
    return message


def trip_updates_feed(*, now: datetime | None = None) -> rt.FeedMessage:
    """One update per vehicle on a known trip: its delay and the predicted arrivals ahead."""
    now = now or clock.now()
    message = _message(now)
    feed = feed_current()
    for vehicle in vehicles_live(now=now):
        if feed is None or vehicle.delay is None or vehicle.start_date is None:
            continue
        schedule = trip_schedule(trip_id=vehicle.trip_id, feed_id=feed.pk)
        sequences = [stop.sequence for stop in schedule.stops] if schedule else []
        if schedule is None or vehicle.last_stop_sequence not in sequences:
            continue
        # What the vehicle's last position established: no second matching here.
        predictions = predictions_after(
            schedule,
            vehicle.start_date,
            last_index=sequences.index(vehicle.last_stop_sequence),
            delay=vehicle.delay,
        )
        entity = message.entity.add()
        entity.id = f"trip-{vehicle.trip_id}-{vehicle.vehicle_id}"
        update = entity.trip_update
        update.trip.trip_id = vehicle.trip_id
        update.trip.route_id = schedule.route_id
        update.trip.start_date = vehicle.start_date.strftime("%Y%m%d")
        update.vehicle.id = vehicle.vehicle_id
        update.timestamp = int(vehicle.observed_at.timestamp())
        update.delay = vehicle.delay
        for prediction in predictions:
            stop = update.stop_time_update.add()
            stop.stop_sequence = prediction.sequence
            stop.stop_id = prediction.stop_id
            stop.arrival.time = int(prediction.predicted.timestamp())
            stop.arrival.delay = vehicle.delay
    return message


def alerts_feed(*, now: datetime | None = None) -> rt.FeedMessage:
    """What affects a route, as service alerts (Vietnamese and English headers): transit's own
    alarms and those an operator linked, road incidents near a route's stops, and warning
    bulletins over the areas its stops are in."""
    now = now or clock.now()
    message = _message(now)
    linked_ids = set()
    for linked in alarms_on_routes():
        alarm = linked.alarm
        linked_ids.add(alarm.pk)
        # Bunching leaves gaps behind it: for riders both are delays.
        effect = rt.Alert.SIGNIFICANT_DELAYS if linked.kind else rt.Alert.UNKNOWN_EFFECT
        alert = _alert(message, f"alarm-{alarm.pk}", linked.route_ids, start=alarm.first_raised_at)
        alert.cause, alert.effect = rt.Alert.OTHER_CAUSE, effect
        _texts(alert.header_text, partial(_title, alarm, linked.kind))
        alert.description_text.translation.add().text = alarm.message
    for alarm, routes in incidents_on_routes():
        if alarm.pk in linked_ids:
            continue
        alert = _alert(message, f"alarm-{alarm.pk}", routes, start=alarm.first_raised_at)
        alert.cause = (
            rt.Alert.ACCIDENT if alarm.type == AlarmType.ACCIDENT else rt.Alert.OTHER_CAUSE
        )
        alert.effect = rt.Alert.SIGNIFICANT_DELAYS
        _texts(alert.header_text, partial(_title, alarm, ""))
        alert.description_text.translation.add().text = alarm.message
    for bulletin, routes in bulletins_on_routes(now=now):
        start = bulletin.onset or bulletin.sent
        alert = _alert(message, f"bulletin-{bulletin.pk}", routes, start=start)
        alert.active_period[0].end = int(bulletin.expires.timestamp())
        alert.cause, alert.effect = rt.Alert.WEATHER, rt.Alert.UNKNOWN_EFFECT
        header = alert.header_text.translation.add()
        header.text, header.language = bulletin.headline, bulletin.language[:2] or "vi"
        if bulletin.description:
            description = alert.description_text.translation.add()
            description.text, description.language = bulletin.description, header.language
        if bulletin.web:
            alert.url.translation.add().text = bulletin.web
    return message


def _alert(
    message: rt.FeedMessage, entity_id: str, route_ids: tuple[str, ...], *, start: datetime
) -> rt.Alert:
    entity = message.entity.add()
    entity.id = entity_id
    alert = entity.alert
    alert.active_period.add().start = int(start.timestamp())
    for route_id in route_ids:
        alert.informed_entity.add().route_id = route_id
    return alert


def _title(alarm: Alarm, kind: str) -> str:
    return str(TransitAlarmKind(kind).label) if kind else str(alarm.get_type_display())


def _texts(translated: rt.TranslatedString, text: Callable[[], object]) -> None:
    """``text`` in Vietnamese and in English."""
    for language in ("vi", "en"):
        with translation.override(language):
            entry = translated.translation.add()
            entry.text, entry.language = str(text()), language
