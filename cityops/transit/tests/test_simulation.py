"""The demo's simulated Huế buses: they run their routes through the ingest, some late; a run
without demo data has none."""

from __future__ import annotations

import gc
import uuid
from datetime import timedelta

import pytest

from cityops.alerts.choices import AlarmType
from cityops.alerts.models import Alarm
from cityops.monitoring.embedded import monitoring_start
from cityops.monitoring.hooks import vehicle_position_handlers
from cityops.monitoring.ingest.cameras import VEHICLE_POSITIONS_TOPIC, CameraEventWorker
from cityops.monitoring.tests.conftest import mqtt_broker  # noqa: F401  (the shared broker)
from cityops.monitoring.tests.mqtt_helpers import wait_until
from cityops.platform import clock
from cityops.transit.geo import distance_m
from cityops.transit.models import Vehicle
from cityops.transit.services import vehicle_position_receive
from cityops.transit.services.demo import transit_seed_demo
from cityops.transit.simulation import SimulatedBuses, bus_positions_at, demo_trips, lateness
from cityops.transit.tests.conftest import at


def drive(moment):
    """Every bus on the road at ``moment`` sends its position, as over MQTT."""
    with clock.frozen_at(moment + timedelta(seconds=1)):
        for bus in bus_positions_at(moment):
            vehicle_position_receive(bus.vehicle_id, bus.payload())


def test_a_simulated_bus_moves_along_its_route_and_shows_its_delay(db):
    assert transit_seed_demo()["routes.txt"] == 4
    morning = at(9, 0)
    late = next(bus for bus in bus_positions_at(morning) if bus.expected_delay >= 120)
    trip = next(t for t in demo_trips() if t.trip_id == late.trip_id)

    drive(morning)
    before = Vehicle.objects.get(vehicle_id=late.vehicle_id)
    drive(morning + timedelta(minutes=2))
    after = Vehicle.objects.get(vehicle_id=late.vehicle_id)

    assert (after.trip_id, after.route_id) == (trip.trip_id, trip.route.route_id)
    assert after.progress > before.progress
    assert distance_m(before.lat, before.lon, after.lat, after.lon) > 200
    assert after.next_stop_sequence >= before.next_stop_sequence
    assert after.next_stop_id in {stop.stop_id for stop in trip.stops}
    assert after.delay >= 120  # what the console and the feeds show, a few minutes late
    assert Vehicle.objects.filter(delay__lt=60).exists()  # and most buses on time


def test_a_bus_that_keeps_losing_time_raises_a_late_bus_alarm(db):
    transit_seed_demo()
    trip = next(t for t in demo_trips() if lateness(t.trip_id) == (300, 540))
    # Near the end of its trip: five minutes late at the start, nine more lost on the way.
    moment = at(0, 0) + timedelta(seconds=trip.times[-1] + 12 * 60)
    drive(moment)
    vehicle = Vehicle.objects.get(vehicle_id=trip.vehicle_id)
    assert vehicle.delay > 10 * 60
    alarms = Alarm.objects.filter(type=AlarmType.BUS_LATE, cleared_at=None)
    assert any(trip.vehicle_id in alarm.message for alarm in alarms)


@pytest.mark.django_db(transaction=True)
def test_simulated_buses_publish_on_the_vehicle_topic_through_the_ingest(
    mqtt_broker,  # noqa: F811
    monkeypatch,
):
    transit_seed_demo()
    monkeypatch.setattr(clock, "now", lambda: at(9, 0, 5))  # the simulator runs in a thread
    worker = CameraEventWorker(
        broker=mqtt_broker,
        client_id=f"test-buses-{uuid.uuid4().hex[:8]}",
        topic=VEHICLE_POSITIONS_TOPIC,
        group=f"test-{uuid.uuid4().hex[:8]}",
        session_expiry=60,
        handlers=vehicle_position_handlers,
    )
    worker.start()
    assert worker.subscribed.wait(10), "the vehicle worker did not subscribe"
    buses = SimulatedBuses(broker=mqtt_broker, interval=60, mqtt5=True)
    buses.start()
    expected = len(bus_positions_at(at(9, 0, 5)))
    try:
        wait_until(lambda: Vehicle.objects.count() == expected, what="every bus on the map")
    finally:
        buses.stop()
        worker.stop()
        gc.collect()  # closes the ended worker thread's connection: the test database drops
    assert Vehicle.objects.filter(vehicle_id__startswith="sim-", route_id__startswith="HUE").count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("demo", "simulated"), [(True, True), (False, False)])
def test_only_a_run_with_demo_data_simulates_buses(
    mqtt_broker,  # noqa: F811
    settings,
    demo,
    simulated,
):
    settings.MQTT_URL = mqtt_broker.url  # no embedded broker for the test
    runtime = monitoring_start(mqtt_port=0, demo=demo)
    try:
        assert isinstance(runtime.buses, SimulatedBuses) is simulated
    finally:
        runtime.stop()
