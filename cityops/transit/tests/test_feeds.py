from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from google.transit import gtfs_realtime_pb2 as rt

from cityops.accounts.services import apikey_create
from cityops.agencies.tests.factories import AreaFactory
from cityops.alerts.choices import AlarmType, BulletinKind, CapSeverity
from cityops.alerts.services import alarm_raise, bulletin_create
from cityops.monitoring.services import sensor_create
from cityops.platform import clock
from cityops.transit.services import vehicle_position_record
from cityops.transit.tests.conftest import at
from cityops.transit.tests.test_positions import position

NOW = at(8, 8, 5)


@pytest.fixture
def moving(hue_feed, settings):
    settings.CITYOPS_TRANSIT_DELAY_ALARM_MINUTES = 2
    with clock.frozen_at(NOW):
        vehicle_position_record(position=position("bus-01", stop=1, when=at(8, 8)))  # 3 min late
    return hue_feed


def fetch(client: Client, name: str) -> rt.FeedMessage:
    with clock.frozen_at(NOW + timedelta(seconds=5)):
        response = client.get(f"/transit/gtfs-rt/{name}.pb")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-protobuf"
    message = rt.FeedMessage()
    message.ParseFromString(response.content)
    assert message.header.gtfs_realtime_version == "2.0"
    assert message.header.timestamp == int((NOW + timedelta(seconds=5)).timestamp())
    assert all(entity.id for entity in message.entity)
    return message


def test_vehicle_positions_feed_has_the_bus_its_trip_and_position(moving):
    message = fetch(Client(), "vehicle-positions")
    (entity,) = message.entity
    vehicle = entity.vehicle
    assert vehicle.vehicle.id == "bus-01"
    assert (vehicle.trip.trip_id, vehicle.trip.route_id, vehicle.trip.start_date) == (
        "T1",
        "R1",
        "20261207",
    )
    assert vehicle.position.latitude == pytest.approx(16.46)
    assert vehicle.stop_id == "S3"
    assert vehicle.current_stop_sequence == 3
    assert vehicle.timestamp == int(at(8, 8).timestamp())


def test_trip_updates_feed_predicts_the_stops_ahead(moving):
    (entity,) = fetch(Client(), "trip-updates").entity
    update = entity.trip_update
    assert update.trip.trip_id == "T1"
    assert update.vehicle.id == "bus-01"
    assert update.delay == 180
    assert [(s.stop_id, s.arrival.time) for s in update.stop_time_update] == [
        ("S3", int(at(8, 13).timestamp())),
        ("S4", int(at(8, 18).timestamp())),
    ]


def test_alerts_feed_carries_the_transit_alarm_on_its_route(moving):
    (entity,) = fetch(Client(), "alerts").entity
    alert = entity.alert
    assert [e.route_id for e in alert.informed_entity] == ["R1"]
    assert alert.active_period[0].start > 0
    assert {t.language for t in alert.header_text.translation} == {"vi", "en"}
    assert "3" in alert.description_text.translation[0].text


def test_the_feeds_are_also_json(moving):
    with clock.frozen_at(NOW):
        response = Client().get("/transit/gtfs-rt/vehicle-positions.pb?format=json")
    data = json.loads(response.content)
    assert data["header"]["gtfsRealtimeVersion"] == "2.0"
    assert data["entity"][0]["vehicle"]["trip"]["tripId"] == "T1"


def test_the_feeds_are_rate_limited(moving, settings):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "gtfs_rt_per_ip": "2/m"}
    client = Client()
    statuses = [client.get("/transit/gtfs-rt/alerts.pb").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_tracker_posts_its_position_with_an_api_key(hue_feed):
    key = apikey_create(name="Hộp đen xe buýt").secret
    body = {"lat": 16.46, "lon": 107.585, "timestamp": at(8, 8).isoformat(), "trip_id": "T1"}
    client = Client()
    with clock.frozen_at(NOW):
        refused = client.post("/api/v1/vehicles/bus-09/positions", body, "application/json")
        taken = client.post(
            "/api/v1/vehicles/bus-09/positions", body, "application/json", HTTP_X_API_KEY=key
        )
        again = client.post(
            "/api/v1/vehicles/bus-09/positions",
            {**body, "timestamp": at(8, 7).isoformat()},
            "application/json",
            HTTP_X_API_KEY=key,
        )
    assert refused.status_code == 401
    assert taken.status_code == 202
    assert taken.json() == {
        "outcome": "accepted",
        "accepted": True,
        "route_id": "R1",
        "next_stop_id": "S3",
        "delay": 180,
    }
    assert again.json()["outcome"] == "out_of_order"
    assert again.json()["accepted"] is False


# --- what else affects a route: road incidents and warning bulletins ------------------------


def camera_alarm(type_: str, *, lat: float, lon: float, code: str):
    camera = sensor_create(code=code, name=f"Camera {code}", kind="camera", lat=lat, lon=lon)
    return alarm_raise(
        sensor=camera, type=type_, severity="major", message="Va chạm giữa hai xe máy"
    ).alarm


def test_a_road_accident_near_a_route_s_stop_is_an_alert_on_that_route(hue_feed):
    with clock.frozen_at(NOW):
        near = camera_alarm(AlarmType.ACCIDENT, lat=16.4605, lon=107.5850, code="cam-le-loi")
        camera_alarm(AlarmType.CONGESTION, lat=16.49, lon=107.62, code="cam-far-away")  # 5 km off

    (entity,) = fetch(Client(), "alerts").entity

    assert entity.id == f"alarm-{near.pk}"
    assert [e.route_id for e in entity.alert.informed_entity] == ["R1"]
    assert entity.alert.cause == rt.Alert.ACCIDENT
    assert entity.alert.effect == rt.Alert.SIGNIFICANT_DELAYS
    assert "Va chạm" in entity.alert.description_text.translation[0].text


def test_a_flood_warning_over_a_ward_the_route_crosses_is_an_alert_until_it_expires(
    hue_feed, operator
):
    ward = AreaFactory(name="Phường Thuận Hóa", centroid_lat=16.46, centroid_lon=107.59)
    elsewhere = AreaFactory(name="Phường Hương An", centroid_lat=16.52, centroid_lon=107.52)
    with clock.frozen_at(NOW):
        flood = bulletin_create(
            actor=operator, kind=BulletinKind.FLOOD, headline="Ngập sâu đường Lê Lợi",
            severity=CapSeverity.SEVERE, expires=NOW + timedelta(hours=6), areas=[ward],
        )  # fmt: skip
        bulletin_create(
            actor=operator, kind=BulletinKind.FLOOD, headline="Ngập ở Hương An",
            severity=CapSeverity.SEVERE, expires=NOW + timedelta(hours=6), areas=[elsewhere],
        )  # fmt: skip

    (entity,) = fetch(Client(), "alerts").entity
    assert entity.id == f"bulletin-{flood.pk}"
    assert [e.route_id for e in entity.alert.informed_entity] == ["R1"]
    assert entity.alert.header_text.translation[0].text == "Ngập sâu đường Lê Lợi"
    assert entity.alert.active_period[0].end == int((NOW + timedelta(hours=6)).timestamp())

    with clock.frozen_at(NOW + timedelta(hours=7)):
        response = Client().get("/transit/gtfs-rt/alerts.pb")
    expired = rt.FeedMessage()
    expired.ParseFromString(response.content)
    assert list(expired.entity) == []
