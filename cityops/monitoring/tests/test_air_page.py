"""The public AQI page /air/ and its GeoJSON layer."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityops.monitoring.payloads import Row
from cityops.monitoring.services import readings_store
from cityops.monitoring.tests.factories import SensorFactory

NOW = datetime(2026, 11, 20, 3, 30, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def steady(sensor, value, hours=3):
    readings_store(
        rows=[
            Row(sensor.pk, sensor.code, "pm25", NOW - timedelta(hours=h), value)
            for h in range(hours)
        ]
    )


@pytest.fixture
def stations():
    poor = SensorFactory(code="hue-aq-01", name="Đông Ba", lat=16.47, lon=107.58)
    good = SensorFactory(code="hue-aq-02", name="Kim Long")
    silent = SensorFactory(code="hue-aq-03", name="Tứ Hạ")
    SensorFactory(code="hue-wl-01", kind="water_level", name="Sông Hương")
    SensorFactory(code="hue-aq-04", name="Retired", is_active=False)
    steady(poor, 60.0)  # AQI 117
    steady(good, 10.0)  # AQI 20
    return poor, good, silent


def test_stations_geojson_colours_each_station_by_its_current_band(client, stations):
    response = client.get("/air/stations.geojson")
    assert response["Content-Type"] == "application/geo+json"
    features = {f["properties"]["code"]: f for f in response.json()["features"]}
    assert set(features) == {"hue-aq-01", "hue-aq-02", "hue-aq-03"}  # air quality, active
    assert features["hue-aq-01"]["geometry"]["coordinates"] == [107.58, 16.47]
    poor = features["hue-aq-01"]["properties"]["aqi"]
    assert (poor["aqi"], poor["level"], poor["colour"], poor["dominant"]) == (
        117,
        "Poor",
        "#ff7e00",
        "pm25",
    )
    assert features["hue-aq-02"]["properties"]["aqi"]["colour"] == "#00e400"
    assert features["hue-aq-03"]["properties"]["aqi"] is None


def test_the_page_lists_stations_worst_first_with_the_legend(client, stations):
    response = client.get("/air/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Đông Ba") < html.index("Kim Long") < html.index("Tứ Hạ")
    for colour in ("#00e400", "#ffff00", "#ff7e00", "#ff0000", "#8f3f97", "#7e0023"):
        assert colour in html
    assert "vendor/leaflet/leaflet.js" in html
    assert "unpkg" not in html
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)


def test_the_page_only_answers_get(client, db):
    assert client.post("/air/").status_code == 405
