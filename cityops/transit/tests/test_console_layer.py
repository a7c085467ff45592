"""The console map's buses: the GeoJSON layer, a bus's track, and the live event that moves it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from cityops.console.layers import map_layers
from cityops.console.live import agency_accept, ioc_accept
from cityops.platform import clock
from cityops.platform.events import subscribe
from cityops.platform.realtime import Message
from cityops.transit.models import Vehicle, VehiclePosition
from cityops.transit.services import (
    PositionIn,
    vehicle_moved,
    vehicle_position_record,
    vehicle_tracks_prune,
)
from cityops.transit.tests.conftest import at
from cityops.transit.tests.factories import STOPS


def record(vehicle="bus-01", *, stop=1, when=None, trip="T1"):
    _, lat, lon = STOPS[stop]
    when = when or at(8, 8)
    with clock.frozen_at(when + timedelta(seconds=2)):
        return vehicle_position_record(
            position=PositionIn(vehicle_id=vehicle, lat=lat, lon=lon, timestamp=when, trip_id=trip)
        )


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def points(client, query=""):
    url = reverse("console:transit:vehicle_points") + query
    with clock.frozen_at(at(8, 8, 10)):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def test_the_bus_layer_shows_each_bus_with_its_route_delay_next_stop_and_age(
    hue_feed, english, operator
):
    record(stop=1, when=at(8, 8))  # at S2, due 08:05: three minutes late
    english.force_login(operator)
    data = points(english)
    (bus,) = data["features"]
    assert bus["geometry"]["coordinates"] == [STOPS[1][2], STOPS[1][1]]
    props = bus["properties"]
    fields = ("route", "route_name", "delay", "next_stop", "age")
    assert tuple(props[name] for name in fields) == ("R1", "01", 180, "S3", 10)
    assert props["title"] == "Route 01 · bus-01"
    assert props["label"] == "3 minutes late · next stop: Trạm S3 · seen 10 s ago"
    assert props["track_url"] == reverse("console:transit:vehicle_track", args=["bus-01"])
    assert data["routes"] == [{"id": "R1", "name": "01"}]


def test_the_route_filter_keeps_the_buses_of_that_route_only(hue_feed, english, leader):
    record("bus-01", stop=1)
    record("bus-02", stop=2, trip="")  # no trip: no route
    english.force_login(leader)
    assert {f["id"] for f in points(english)["features"]} == {"bus-01", "bus-02"}
    assert [f["id"] for f in points(english, "?route=R1")["features"]] == ["bus-01"]
    assert points(english, "?route=R9")["features"] == []


def test_a_bus_not_heard_from_for_five_minutes_leaves_the_map(hue_feed, client, operator):
    record(stop=1, when=at(8, 2))
    client.force_login(operator)
    assert points(client)["features"] == []


def test_agency_staff_and_citizens_see_no_buses(hue_feed, client, agency_staff, citizen):
    record(stop=1)
    for user in (agency_staff, citizen):
        client.force_login(user)
        assert client.get(reverse("console:transit:vehicle_points")).status_code == 403


def test_a_bus_track_is_its_kept_positions_of_the_last_two_hours_in_order(
    hue_feed, client, operator
):
    vehicle = record(stop=0, when=at(8, 0)).vehicle
    for stop, minute in ((1, 5), (2, 10)):
        vehicle.lat, vehicle.lon = STOPS[stop][1], STOPS[stop][2]
        vehicle.observed_at = at(8, minute)
        vehicle_moved(vehicle=vehicle)
    VehiclePosition.objects.create(vehicle_id="bus-01", lat=1, lon=1, observed_at=at(5, 0))
    client.force_login(operator)
    with clock.frozen_at(at(8, 10, 5)):
        data = client.get(reverse("console:transit:vehicle_track", args=["bus-01"])).json()
    (line,) = data["features"]
    assert line["geometry"]["type"] == "LineString"
    # The first point is the position taken through vehicle_position_record once the ingest
    # calls vehicle_moved; without it the track starts at S2.
    assert line["geometry"]["coordinates"][-2:] == [
        [STOPS[1][2], STOPS[1][1]],
        [STOPS[2][2], STOPS[2][1]],
    ]
    with clock.frozen_at(at(8, 10, 5)):
        empty = client.get(reverse("console:transit:vehicle_track", args=["bus-99"])).json()
    assert empty["features"] == []


def test_track_points_older_than_two_hours_are_pruned(db):
    for hour in (5, 8, 9):
        VehiclePosition.objects.create(vehicle_id="bus-01", lat=1, lon=1, observed_at=at(hour, 0))
    assert vehicle_tracks_prune(now=at(9, 30)) == 1
    assert VehiclePosition.objects.count() == 2  # 08:00 and 09:00 stay


def test_a_moved_bus_is_announced_after_the_commit_without_personal_data(
    hue_feed, django_capture_on_commit_callbacks
):
    vehicle = Vehicle.objects.create(
        vehicle_id="bus-07", lat=16.46, lon=107.585, observed_at=at(8, 8), route_id="R1",
        trip_id="T1", delay=180, next_stop_id="S3",
    )  # fmt: skip
    seen = []
    unsubscribe = subscribe(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            vehicle_moved(vehicle=vehicle)
        assert seen == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        unsubscribe()
    (event,) = [e for e in seen if e.topic == "vehicle.moved"]
    assert event.payload == {
        "id": "bus-07", "label": "", "route": "R1", "trip": "T1", "lat": 16.46, "lon": 107.585,
        "bearing": None, "delay": 180, "next_stop": "S3", "observed_at": at(8, 8).isoformat(),
    }  # fmt: skip
    assert VehiclePosition.objects.filter(vehicle_id="bus-07").count() == 1


def test_an_accepted_position_publishes_vehicle_moved_and_keeps_a_track_point(
    hue_feed, django_capture_on_commit_callbacks
):
    seen = []
    unsubscribe = subscribe(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            record(stop=1)
    finally:
        unsubscribe()
    assert [e.payload["id"] for e in seen if e.topic == "vehicle.moved"] == ["bus-01"]
    assert VehiclePosition.objects.filter(vehicle_id="bus-01").count() == 1


def test_only_the_console_connections_that_ask_for_buses_receive_them():
    moved = Message(id="1-0", topic="vehicle.moved", payload={"id": "bus-01"})
    assert ioc_accept(vehicles=True)(moved) == {"id": "bus-01"}
    assert ioc_accept()(moved) is None  # the queue and alarm pages do not need buses
    changed = Message(id="1-1", topic="report.changed", payload={"id": 7})
    assert ioc_accept(vehicles=True)(changed) == {"id": 7}


def test_agency_connections_never_receive_buses(agency_staff):
    moved = Message(id="1-0", topic="vehicle.moved", payload={"id": "bus-01"})
    assert agency_accept(agency_staff)(moved) is None


def test_the_console_map_offers_the_bus_layer_and_asks_its_live_connection_for_buses(
    client, operator
):
    layer = next(layer for layer in map_layers() if layer["key"] == "vehicles")
    assert layer["url"] == reverse("console:transit:vehicle_points")
    assert layer["kind"] == "vehicles"
    assert layer["script"].endswith("console/vehicles.js")
    client.force_login(operator)
    page = client.get(reverse("console:map")).content.decode()
    assert f'data-events="{reverse("console:events")}?vehicles=1"' in page
    assert "console:transit" not in page
    assert '"key": "vehicles"' in page
