"""The dashboard's monitoring panel: current VN_AQI per station and active alarms by severity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from cityops.alerts.choices import AlarmType, Severity
from cityops.alerts.services import alarm_raise
from cityops.monitoring.payloads import Row
from cityops.monitoring.services import readings_store
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock

pytestmark = pytest.mark.django_db


def test_the_panel_shows_each_station_s_aqi_and_the_alarms_by_severity(leader):
    station = SensorFactory(code="hue-aq-01", name="Trạm Phú Xuân")
    SensorFactory(code="hue-aq-02", name="Trạm Vỹ Dạ")  # no readings
    hour = clock.now().replace(minute=0, second=0, microsecond=0)
    readings_store(
        rows=[
            Row(station.pk, station.code, "pm25", hour - timedelta(hours=h), 80.0) for h in range(3)
        ]
    )
    alarm_raise(
        sensor=station,
        type=AlarmType.THRESHOLD,
        severity=Severity.CRITICAL,
        message="PM2.5 vượt ngưỡng",
    )
    client = Client()
    client.force_login(leader)
    html = client.get("/dashboard/").content.decode()
    assert 'href="/air/#hue-aq-01"' in html
    assert 'class="aqi-chip level-' in html
    assert "Trạm Vỹ Dạ" in html
    assert "/console/alarms/?severity=critical" in html
