"""The console map's monitoring layer: stations coloured by their current VN_AQI band."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from cityops.monitoring.choices import SensorKind
from cityops.monitoring.payloads import Row
from cityops.monitoring.services import readings_store
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock

pytestmark = pytest.mark.django_db


def test_the_stations_layer_colours_air_stations_by_their_band_and_lists_the_values(operator):
    air = SensorFactory(code="hue-aq-01", name="Trạm Phú Xuân")
    SensorFactory(code="hue-wl-01", name="Trạm Kim Long", kind=SensorKind.WATER_LEVEL)
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    readings_store(
        rows=[
            Row(air.pk, air.code, metric, now - timedelta(hours=h), value)
            for h in range(3)
            for metric, value in (("pm25", 80.0), ("pm10", 60.0))
        ]
    )
    client = Client()
    client.force_login(operator)
    layer = client.get("/console/map/stations.geojson").json()
    by_title = {f["properties"]["title"]: f["properties"] for f in layer["features"]}
    assert by_title["Trạm Phú Xuân"]["label"].startswith("VN_AQI ")
    assert "PM2.5 80" in by_title["Trạm Phú Xuân"]["label"]
    assert by_title["Trạm Phú Xuân"]["color"] != by_title["Trạm Kim Long"]["color"]
    assert by_title["Trạm Phú Xuân"]["url"] == "/air/#hue-aq-01"


def test_the_map_offers_the_stations_layer(operator):
    client = Client()
    client.force_login(operator)
    assert "/console/map/stations.geojson" in client.get("/console/map/").content.decode()
