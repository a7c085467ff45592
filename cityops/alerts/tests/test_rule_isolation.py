"""One rule or one station that fails cannot stop the other alarms of the same batch."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cityops.alerts.choices import AlarmType, RuleKind, Severity
from cityops.alerts.models import Alarm
from cityops.alerts.rules import engine, evaluator
from cityops.alerts.rules.nowcast import Hours
from cityops.alerts.services import alarm_rule_create
from cityops.alerts.tests.conftest import T0
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.hooks import StoredReading
from cityops.monitoring.models import Reading


@pytest.fixture
def rules(db):
    alarm_rule_create(
        name="PM2.5 trên 50",
        kind=RuleKind.THRESHOLD,
        severity=Severity.MAJOR,
        sensor_kind=SensorKind.AIR_QUALITY,
        metric="pm25",
        comparison="gt",
        value=50.0,
    )
    alarm_rule_create(
        name="VN_AQI từ mức Xấu",
        kind=RuleKind.AQI_BAND,
        severity=Severity.MAJOR,
        sensor_kind=SensorKind.AIR_QUALITY,
        aqi_level=4,
    )
    return alarm_rule_create(
        name="Mực nước sông Hương trên báo động 3",
        kind=RuleKind.THRESHOLD,
        severity=Severity.CRITICAL,
        sensor_kind=SensorKind.WATER_LEVEL,
        metric="water_level",
        comparison="gte",
        value=3.5,
    )


def one_batch(station, gauge, *, pm25: float) -> None:
    """The air station's reading first, then the gauge's 3.5 m, stored and evaluated at once."""
    readings = [
        StoredReading(station.pk, station.code, "pm25", T0, pm25),
        StoredReading(gauge.pk, gauge.code, "water_level", T0 + timedelta(minutes=1), 3.5),
    ]
    Reading.objects.bulk_create(
        Reading(
            sensor_id=r.sensor_id,
            metric=r.metric,
            observed_at=r.observed_at,
            value=r.value,
            received_at=r.observed_at,
        )
        for r in readings
    )
    evaluator.readings_stored(readings)


def flood_alarms():
    return list(Alarm.objects.filter(cleared_at=None, sensor__code="hue-wl-01"))


def test_a_threshold_rule_that_fails_does_not_stop_the_water_level_alarm(
    rules, station, gauge, monkeypatch, caplog
):
    real = engine.threshold_text

    def broken(rule, reading):
        if rule.metric == "pm25":
            raise RuntimeError("a broken rule")
        return real(rule, reading)

    monkeypatch.setattr(engine, "threshold_text", broken)
    one_batch(station, gauge, pm25=80.0)

    [alarm] = flood_alarms()
    assert alarm.rule == rules
    assert alarm.type == AlarmType.THRESHOLD
    assert alarm.value == 3.5
    assert "failed on sensor hue-aq-01" in caplog.text


def test_a_station_whose_aqi_fails_does_not_stop_the_water_level_alarm(
    rules, station, gauge, monkeypatch, caplog
):
    def broken(self):
        raise ValueError("not a finite concentration: inf")

    monkeypatch.setattr(Hours, "aqi", broken)
    one_batch(station, gauge, pm25=20.0)

    assert len(flood_alarms()) == 1
    assert "the AQI of sensor" in caplog.text


def test_impossible_values_left_in_the_database_do_not_stop_the_water_level_alarm(
    rules, station, gauge
):
    # Two readings of 1.7e308 stored before values had a range: their hourly mean is infinite.
    for minutes in (-10, -5):
        moment = T0 + timedelta(minutes=minutes)
        Reading.objects.create(
            sensor=station, metric="pm25", observed_at=moment, value=1.7e308, received_at=moment
        )
    one_batch(station, gauge, pm25=20.0)

    assert len(flood_alarms()) == 1
