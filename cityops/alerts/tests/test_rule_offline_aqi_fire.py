"""No-data (offline), AQI band and fire-alarm rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from cityops.alerts.choices import AlarmType, RuleKind, Severity
from cityops.alerts.models import Alarm
from cityops.alerts.rules import alarms_offline_check, evaluator
from cityops.alerts.services import alarm_rule_create
from cityops.alerts.tests.conftest import T0
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.hooks import SensorSeen
from cityops.monitoring.models import Reading, Sensor
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform.errors import InvalidInput


def active(type_):
    return list(Alarm.objects.filter(cleared_at__isnull=True, type=type_))


# --- offline -----------------------------------------------------------------------------------


@pytest.fixture
def offline_rule(db):
    return alarm_rule_create(
        name="Trạm không gửi dữ liệu 30 phút",
        kind=RuleKind.OFFLINE,
        severity=Severity.MINOR,
        sensor_kind=SensorKind.AIR_QUALITY,
        minutes=30,
    )


@pytest.fixture
def heard_at_t0(db):
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        sensor = SensorFactory(code="hue-aq-05", name="Trạm Thủy Xuân")
    Sensor.objects.filter(pk=sensor.pk).update(last_seen_at=T0)
    return sensor


def check_at(minutes: float) -> dict[str, int]:
    with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
        return alarms_offline_check()


def test_a_sensor_silent_longer_than_the_rule_allows_raises_one_alarm(offline_rule, heard_at_t0):
    assert check_at(29) == {"raised": 0, "cleared": 0}
    assert check_at(31) == {"raised": 1, "cleared": 0}
    assert check_at(32) == {"raised": 0, "cleared": 0}  # still the same alarm, not a new one

    [alarm] = active(AlarmType.OFFLINE)
    assert alarm.sensor == heard_at_t0
    assert alarm.rule == offline_rule
    assert alarm.count == 1
    assert "30" in alarm.message


def test_the_offline_alarm_clears_as_soon_as_the_sensor_speaks_again(offline_rule, heard_at_t0):
    check_at(31)
    [alarm] = active(AlarmType.OFFLINE)

    evaluator.sensors_seen([SensorSeen(heard_at_t0.pk, heard_at_t0.code, T0)])

    alarm.refresh_from_db()
    assert alarm.cleared_at is not None


def test_the_periodic_check_also_clears_a_sensor_heard_from_again(offline_rule, heard_at_t0):
    check_at(31)
    Sensor.objects.filter(pk=heard_at_t0.pk).update(last_seen_at=T0 + timedelta(minutes=33))
    assert check_at(34) == {"raised": 0, "cleared": 1}
    assert active(AlarmType.OFFLINE) == []


def test_a_sensor_never_heard_from_is_offline_once_registered_long_enough(offline_rule):
    with time_machine.travel(T0, tick=False):
        SensorFactory(code="hue-aq-06")
    check_at(31)
    [alarm] = active(AlarmType.OFFLINE)
    assert "kể từ khi đăng ký" in alarm.message  # nothing since it was registered


def test_inactive_sensors_and_other_kinds_are_not_watched(offline_rule, heard_at_t0):
    Sensor.objects.filter(pk=heard_at_t0.pk).update(is_active=False)
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        SensorFactory(code="hue-wl-09", kind=SensorKind.WATER_LEVEL)
    assert check_at(120) == {"raised": 0, "cleared": 0}


def test_switching_the_rule_off_ends_its_alarms(offline_rule, heard_at_t0):
    check_at(31)
    offline_rule.is_active = False
    offline_rule.save()
    assert check_at(32) == {"raised": 0, "cleared": 1}


def test_an_offline_rule_needs_a_duration(db):
    with pytest.raises(InvalidInput) as refused:
        alarm_rule_create(name="x", kind=RuleKind.OFFLINE, sensor_kind=SensorKind.WEATHER)
    assert "minutes" in refused.value.fields


# --- AQI band ------------------------------------------------------------------------------------


@pytest.fixture
def aqi_rule(db):
    return alarm_rule_create(
        name="VN_AQI từ mức Xấu",
        kind=RuleKind.AQI_BAND,
        severity=Severity.MAJOR,
        sensor_kind=SensorKind.AIR_QUALITY,
        aqi_level=4,
    )


def history(sensor: Sensor, *, hours: int, pm25: float) -> None:
    """Readings every 20 minutes over the ``hours`` hours before T0, stored as the ingest would."""
    Reading.objects.bulk_create(
        Reading(
            sensor=sensor,
            metric="pm25",
            observed_at=T0 - timedelta(minutes=20 * step),
            value=pm25,
            received_at=T0,
        )
        for step in range(1, hours * 3 + 1)
    )


def test_a_bad_hourly_aqi_raises_and_a_better_one_clears(aqi_rule, station, feed):
    history(station, hours=3, pm25=120.0)  # NowCast 120 µg/m³ → AQI 179, level 4 (Bad)
    feed(station, "pm25", [(0, 120.0)])

    [alarm] = active(AlarmType.AQI_BAND)
    assert alarm.sensor == station
    assert alarm.value == 179
    assert "179" in alarm.message

    # The next hour is clean: NowCast ½·10 + ¼·120 + ⅛·120 + 1/16·120 = 57.5 → AQI 113.
    feed(station, "pm25", [(60, 10.0)])
    alarm.refresh_from_db()
    assert alarm.cleared_at is not None


def test_a_poor_aqi_below_the_rules_level_raises_nothing(aqi_rule, station, feed):
    history(station, hours=3, pm25=60.0)  # NowCast 60 → AQI 117, level 3 (Poor)
    feed(station, "pm25", [(0, 60.0)])
    assert active(AlarmType.AQI_BAND) == []


def test_the_aqi_needs_two_of_the_last_three_hours(aqi_rule, station, feed):
    feed(station, "pm25", [(0, 400.0), (20, 400.0)])  # one hour only: no NowCast yet
    assert active(AlarmType.AQI_BAND) == []
    feed(station, "pm25", [(60, 400.0)])
    assert len(active(AlarmType.AQI_BAND)) == 1


def test_an_aqi_rule_watches_air_quality_stations_only(db, gauge):
    with pytest.raises(InvalidInput):
        alarm_rule_create(name="x", kind=RuleKind.AQI_BAND, sensor=gauge, aqi_level=3)


# --- fire ----------------------------------------------------------------------------------------


def test_a_ringing_fire_alarm_raises_at_once_and_clears_when_it_stops(db, fire_panel, feed):
    alarm_rule_create(
        name="Báo cháy",
        kind=RuleKind.FIRE,
        severity=Severity.CRITICAL,
        sensor_kind=SensorKind.FIRE_ALARM,
    )
    feed(fire_panel, "fire_state", [(0, 0.0)])
    assert active(AlarmType.FIRE) == []

    feed(fire_panel, "fire_state", [(1, 1.0)])
    [alarm] = active(AlarmType.FIRE)
    assert alarm.severity == Severity.CRITICAL
    assert alarm.sensor == fire_panel

    feed(fire_panel, "fire_state", [(7, 0.0)])
    alarm.refresh_from_db()
    assert alarm.cleared_at is not None
