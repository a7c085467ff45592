"""The GTFS-realtime feeds we publish (VehiclePositions, TripUpdates, Alerts), built from the
selectors as protobuf ``FeedMessage``s (full datasets, version 2.0)."""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from google.transit import gtfs_realtime_pb2 as rt

from cityops.platform import clock
from cityops.transit.choices import TransitAlarmKind
from cityops.transit.selectors import alarms_on_routes, feed_current, trip_schedule, vehicles_live
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
    """Active alarms that affect a route, as service alerts (Vietnamese and English text)."""
    now = now or clock.now()
    message = _message(now)
    for linked in alarms_on_routes():
        alarm = linked.alarm
        entity = message.entity.add()
        entity.id = f"alarm-{alarm.pk}"
        alert = entity.alert
        period = alert.active_period.add()
        period.start = int(alarm.first_raised_at.timestamp())
        for route_id in linked.route_ids:
            alert.informed_entity.add().route_id = route_id
        alert.cause = rt.Alert.OTHER_CAUSE
        # Bunching leaves gaps behind it: for riders both are delays.
        alert.effect = rt.Alert.SIGNIFICANT_DELAYS if linked.kind else rt.Alert.UNKNOWN_EFFECT
        for language in ("vi", "en"):
            with translation.override(language):
                header = alert.header_text.translation.add()
                title = (
                    TransitAlarmKind(linked.kind).label if linked.kind else alarm.get_type_display()
                )
                header.text, header.language = str(title), language
        description = alert.description_text.translation.add()
        description.text = alarm.message
    return message
