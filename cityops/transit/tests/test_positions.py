from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cityops.alerts.models import Alarm
from cityops.monitoring.hooks import vehicle_position_handlers
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.transit.choices import PositionOutcome
from cityops.transit.models import AlarmRoute, Vehicle
from cityops.transit.selectors import positions_status, trip_schedule
from cityops.transit.services import PositionIn, vehicle_position_receive, vehicle_position_record
from cityops.transit.services.live import live_state
from cityops.transit.tests.conftest import at
from cityops.transit.tests.factories import STOPS


def position(vehicle="bus-01", *, stop=1, when=None, trip="T1", lat=None, lon=None):
    _, stop_lat, stop_lon = STOPS[stop]
    return PositionIn(
        vehicle_id=vehicle,
        lat=stop_lat if lat is None else lat,
        lon=stop_lon if lon is None else lon,
        timestamp=when or at(8, 8),
        trip_id=trip,
    )


def record(pos: PositionIn):
    with clock.frozen_at(pos.timestamp + timedelta(seconds=5)):
        return vehicle_position_record(position=pos)


def test_a_bus_three_minutes_late_gets_its_delay_next_stop_and_predictions(hue_feed):
    recorded = record(position(stop=1, when=at(8, 8)))  # at S2, due 08:05
    assert recorded.outcome == PositionOutcome.ACCEPTED
    vehicle = Vehicle.objects.get(vehicle_id="bus-01")
    assert (vehicle.route_id, vehicle.delay, vehicle.next_stop_id) == ("R1", 180, "S3")
    predicted = [(p.stop_id, p.predicted) for p in recorded.state.predictions]
    assert predicted == [("S3", at(8, 13)), ("S4", at(8, 18))]


def test_between_stops_the_delay_is_against_the_time_due_at_that_point(hue_feed):
    # Halfway from S2 (08:05) to S3 (08:10): due at 08:07:30; there at 08:09:30.
    record(position(stop=1, lon=107.5875, when=at(8, 9, 30)))
    vehicle = Vehicle.objects.get()
    assert vehicle.delay == 120
    assert vehicle.next_stop_id == "S3"


def test_the_cairns_replay_gives_the_known_delay(db, cairns):
    from zoneinfo import ZoneInfo

    from cityops.transit.services import feed_import

    feed_import(path=cairns)
    schedule = trip_schedule(trip_id="CNS2014-CNS_MUL-Weekday-00-4165878")
    third = schedule.stops[2]
    brisbane = ZoneInfo("Australia/Brisbane")
    from datetime import datetime

    # Tuesday 3 June 2014, four minutes after the third stop's time.
    day_start = datetime(2014, 6, 3, tzinfo=brisbane)
    seen = day_start + timedelta(seconds=third.departure + 240)
    state = live_state(schedule, lat=third.lat, lon=third.lon, observed_at=seen)
    assert state.delay == 240
    assert state.service_day.isoformat() == "2014-06-03"
    ahead = schedule.stops[3:]
    assert [p.stop_id for p in state.predictions][: len(ahead)] == [s.stop_id for s in ahead]
    assert all(p.predicted - p.scheduled == timedelta(seconds=240) for p in state.predictions)
    assert state.predictions[0].scheduled == day_start + timedelta(seconds=ahead[0].arrival)


@pytest.mark.parametrize(
    ("pos", "outcome"),
    [
        (position(when=at(8, 0)), PositionOutcome.STALE),
        (position(lat=0.0, lon=0.0), PositionOutcome.NULL_ISLAND),
    ],
    ids=["older than 90 s", "at (0, 0)"],
)
def test_stale_and_null_island_positions_are_dropped_and_counted(hue_feed, pos, outcome):
    with clock.frozen_at(at(8, 8)):
        recorded = vehicle_position_record(position=pos)
    assert recorded.outcome == outcome
    assert not Vehicle.objects.exists()
    status = positions_status()
    assert status[outcome] == 1
    assert status["dropped"] == 1
    assert status["accepted"] == 0


def test_a_position_older_than_the_vehicles_last_is_dropped_and_counted(hue_feed):
    record(position(stop=2, when=at(8, 12)))
    recorded = record(position(stop=1, when=at(8, 11)))
    assert recorded.outcome == PositionOutcome.OUT_OF_ORDER
    assert Vehicle.objects.get().next_stop_id == "S4"  # still where the newer one put it
    status = positions_status()
    assert status["out_of_order"] == 1
    assert status["accepted"] == 1
    assert status["dropped"] == 1


def test_a_long_delay_raises_an_alarm_linked_to_the_route_and_clears_when_on_time(
    hue_feed, settings
):
    settings.CITYOPS_TRANSIT_DELAY_ALARM_MINUTES = 10
    record(position(stop=1, when=at(8, 17)))  # 12 minutes late at S2
    alarm = Alarm.objects.get(cleared_at=None)
    assert "12" in alarm.message
    assert alarm.value == 12
    assert AlarmRoute.objects.get(alarm=alarm).route_id == "R1"
    # The same bus makes up time: two and a half minutes late at S4 (due 08:15).
    record(position(stop=3, when=at(8, 17, 30)))
    alarm.refresh_from_db()
    assert alarm.cleared_at is not None


def test_two_buses_of_a_route_close_together_raise_a_bunching_alarm(hue_feed, settings):
    settings.CITYOPS_TRANSIT_BUNCHING_METRES = 150
    settings.CITYOPS_TRANSIT_BUNCHING_MINUTES = 2
    record(position("bus-01", stop=2, when=at(8, 18), trip="T1"))  # T1 8 min late at S3
    record(position("bus-02", stop=2, lon=107.5905, when=at(8, 18, 10), trip="T2"))
    bunching = Alarm.objects.filter(cleared_at=None, type="bus_bunching").get()
    assert "bus-01" in bunching.message
    assert "bus-02" in bunching.message
    assert AlarmRoute.objects.get(alarm=bunching).kind == "bunching"


def test_mqtt_messages_reach_transit_through_the_ingest_hook(hue_feed):
    assert vehicle_position_receive in vehicle_position_handlers()
    payload = json.dumps(
        {"lat": STOPS[1][1], "lon": STOPS[1][2], "timestamp": at(8, 8).isoformat(), "trip_id": "T1"}
    ).encode()
    with clock.frozen_at(at(8, 8, 5)):
        for handler in vehicle_position_handlers():
            handler("bus-07", payload)
    assert Vehicle.objects.get(vehicle_id="bus-07").delay == 180
    with pytest.raises(InvalidInput):
        vehicle_position_receive("bus-07", b"{not json")
    with pytest.raises(InvalidInput):
        vehicle_position_receive("bus-07", b'{"lat": 16.4, "lon": 107.5}')


def test_a_polled_gtfs_realtime_feed_moves_its_vehicles(hue_feed):
    from google.transit import gtfs_realtime_pb2 as rt

    from cityops.transit.services import vehicle_positions_import

    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(at(8, 8).timestamp())
    for vehicle_id, (lat, lon) in (("bus-01", STOPS[1][1:]), ("bus-02", (0.0, 0.0))):
        entity = message.entity.add()
        entity.id = vehicle_id
        entity.vehicle.vehicle.id = vehicle_id
        entity.vehicle.trip.trip_id = "T1"
        entity.vehicle.position.latitude, entity.vehicle.position.longitude = lat, lon
        entity.vehicle.timestamp = int(at(8, 8).timestamp())
    with clock.frozen_at(at(8, 8, 10)):
        outcomes = vehicle_positions_import(data=message.SerializeToString())
    assert outcomes == {"accepted": 1, "null_island": 1}
    assert Vehicle.objects.get().delay == 180
    with pytest.raises(InvalidInput):
        vehicle_positions_import(data=b"\xff not protobuf")
