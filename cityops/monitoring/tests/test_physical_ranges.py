"""Every metric has a physical range: readings outside it are refused at ingest, and values
outside it already in the database (older data) are ignored by every page, API and mean."""

import json
import math
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from cityops.accounts.services import apikey_create
from cityops.monitoring.models import LatestReading, Reading
from cityops.monitoring.payloads import Row
from cityops.monitoring.services import readings_store
from cityops.monitoring.tests.factories import SensorFactory

NOW = datetime(2026, 11, 20, 3, 30, tzinfo=UTC)  # 10:30 in Huế

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def key():
    return apikey_create(name="station gateway").secret


def post(client, code, values, key):
    body = json.dumps({"observed_at": NOW.isoformat(), "values": values})
    return client.post(
        f"/api/v1/sensors/{code}/readings",
        body,
        content_type="application/json",
        HTTP_X_API_KEY=key,
    )


@pytest.mark.parametrize(
    ("kind", "metric", "value", "shown"),
    [
        ("air_quality", "pm25", 1.7e308, "0 to 1000 µg/m³"),
        ("air_quality", "pm25", -3.0, "0 to 1000 µg/m³"),
        ("weather", "humidity", 140.0, "0 to 100 %"),
        ("water_level", "water_level", 1e6, "-20 to 100 m"),
    ],
)
def test_a_reading_outside_its_metrics_physical_range_is_refused_over_http(
    api_client, key, kind, metric, value, shown
):
    SensorFactory(code="hue-x-01", kind=kind)
    response = post(api_client, "hue-x-01", {metric: value}, key)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "out_of_range"
    assert shown in body["fields"][f"values.{metric}"][0]
    assert Reading.objects.count() == 0
    assert LatestReading.objects.count() == 0


def test_the_edges_of_the_range_are_accepted(api_client, key):
    SensorFactory(code="hue-x-01", kind="weather")
    response = post(api_client, "hue-x-01", {"humidity": 100.0, "wind_speed": 0.0}, key)
    assert response.status_code == 202


def test_a_metric_outside_the_catalogue_is_bounded_too(api_client, key):
    SensorFactory(code="hue-x-01", metrics=[{"code": "noise_db", "unit": "dB", "label": "Noise"}])
    assert post(api_client, "hue-x-01", {"noise_db": 65.0}, key).status_code == 202
    refused = post(api_client, "hue-x-01", {"noise_db": 1.7e308}, key)
    assert refused.status_code == 400
    assert refused.json()["code"] == "out_of_range"


def legacy(sensor, metric, value, *, minutes_ago):
    """A value written before the ranges existed, straight into the tables."""
    moment = NOW - timedelta(minutes=minutes_ago)
    Reading.objects.create(
        sensor=sensor, metric=metric, observed_at=moment, value=value, received_at=moment
    )
    LatestReading.objects.update_or_create(
        sensor=sensor, metric=metric, defaults={"observed_at": moment, "value": value}
    )


def no_infinity(text):
    return "Infinity" not in text and "NaN" not in text


@pytest.mark.parametrize("huge", [1.7e308, math.inf])
def test_huge_values_stored_before_the_ranges_break_no_page_and_no_mean(leader, huge):
    station = SensorFactory(code="hue-aq-01", name="Đông Ba")
    readings_store(
        rows=[
            Row(station.pk, station.code, "pm25", NOW - timedelta(hours=h, minutes=20), 60.0)
            for h in range(3)
        ]
    )
    legacy(station, "pm25", huge, minutes_ago=2)
    legacy(station, "pm25", huge, minutes_ago=1)
    legacy(station, "pm10", huge, minutes_ago=1)
    client = Client()
    client.force_login(leader)
    api = "/api/v1/sensors"
    pages = [
        "/air/",
        "/air/stations.geojson",
        f"{api}/latest",
        f"{api}/hue-aq-01/aqi",
        f"{api}/hue-aq-01/aqi?date=2026-11-19",
        f"{api}/hue-aq-01/readings",
        f"{api}/hue-aq-01/readings?resolution=hour",
        f"{api}/hue-aq-01/readings?resolution=day",
        "/dashboard/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_infinity(response.content.decode()), url

    # The values that can be measured still count, as if the others were not there.
    [latest] = client.get(f"{api}/latest").json()
    assert latest["aqi"]["aqi"] == 117
    assert latest["values"] == {}  # no impossible value is shown as the latest
    hourly = client.get(f"{api}/hue-aq-01/readings?resolution=hour").json()["series"]
    assert {point["max"] for series in hourly for point in series["points"]} == {60.0}
