"""Threshold rules: raised once the condition held for every reading during the duration,
cleared at the first reading where it does not."""

from __future__ import annotations

import pytest

from cityops.alerts.choices import AlarmType, RuleKind, Severity
from cityops.alerts.models import Alarm
from cityops.alerts.services import alarm_clear, alarm_rule_create, alarm_rule_save
from cityops.alerts.tests.conftest import T0
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform.errors import InvalidInput


def pm25_rule(**kwargs):
    values = {
        "name": "PM2.5 trên 50 trong 15 phút",
        "kind": RuleKind.THRESHOLD,
        "severity": Severity.MAJOR,
        "sensor_kind": SensorKind.AIR_QUALITY,
        "metric": "pm25",
        "comparison": "gt",
        "value": 50.0,
        "minutes": 15,
    }
    values.update(kwargs)
    return alarm_rule_create(**values)


def active_alarms():
    return list(Alarm.objects.filter(cleared_at__isnull=True))


def test_an_alarm_is_raised_only_once_the_condition_held_for_the_whole_duration(station, feed):
    rule = pm25_rule()
    feed(station, "pm25", [(0, 62.0), (5, 70.0), (10, 55.0)])
    assert active_alarms() == []  # 10 minutes above 50: not yet

    feed(station, "pm25", [(15, 58.5)])

    [alarm] = active_alarms()
    assert alarm.rule == rule
    assert alarm.sensor == station
    assert alarm.type == AlarmType.THRESHOLD
    assert alarm.severity == Severity.MAJOR
    assert alarm.value == 58.5
    assert "58.5" in alarm.message
    assert "50" in alarm.message
    assert alarm.observed_at == T0.replace(minute=15)


def test_a_dip_below_the_threshold_restarts_the_duration(station, feed):
    pm25_rule()
    feed(station, "pm25", [(0, 62.0), (5, 70.0), (10, 40.0), (15, 80.0), (25, 80.0)])
    assert active_alarms() == []  # above again only since minute 15

    feed(station, "pm25", [(30, 81.0)])
    assert len(active_alarms()) == 1


def test_the_alarm_clears_itself_when_the_condition_ends(station, feed, published):
    pm25_rule(minutes=0)
    feed(station, "pm25", [(0, 90.0), (1, 95.0)])
    [alarm] = active_alarms()

    feed(station, "pm25", [(2, 30.0)])

    alarm.refresh_from_db()
    assert alarm.cleared_at is not None
    assert alarm.cleared_by is None  # the system, not an operator
    assert alarm.count == 1  # held through minute 1 without being raised twice
    assert [e.kind for e in alarm.events.order_by("pk")] == ["raised", "cleared"]


def test_a_new_excursion_after_clearing_is_a_new_alarm(station, feed):
    pm25_rule(minutes=0)
    feed(station, "pm25", [(0, 90.0), (1, 20.0), (2, 90.0)])
    assert Alarm.objects.count() == 2
    assert len(active_alarms()) == 1


def test_late_readings_do_not_rewrite_the_present(station, feed):
    pm25_rule(minutes=0)
    feed(station, "pm25", [(10, 90.0)])
    feed(station, "pm25", [(5, 10.0)])  # arrived late: history, not the present
    assert len(active_alarms()) == 1


@pytest.mark.parametrize(
    ("comparison", "value", "raised"),
    [("gt", 50.0, False), ("gte", 50.0, True), ("lt", 50.1, True), ("lte", 49.9, False)],
)
def test_each_comparison_is_applied_as_written(station, feed, comparison, value, raised):
    pm25_rule(comparison=comparison, value=value, minutes=0)
    feed(station, "pm25", [(0, 50.0)])
    assert bool(active_alarms()) is raised


def test_a_rule_on_one_sensor_ignores_the_others(station, feed):
    other = SensorFactory(code="hue-aq-02", kind=SensorKind.AIR_QUALITY)
    pm25_rule(sensor=station, sensor_kind="", minutes=0)
    feed(other, "pm25", [(0, 300.0)])
    assert active_alarms() == []
    feed(station, "pm25", [(0, 300.0)])
    assert [a.sensor for a in active_alarms()] == [station]


def test_a_rule_on_a_kind_watches_sensors_registered_after_it(db, feed):
    pm25_rule(minutes=0)
    feed(SensorFactory(code="hue-aq-07", kind=SensorKind.AIR_QUALITY), "pm25", [(0, 10.0)])
    newcomer = SensorFactory(code="hue-aq-09", kind=SensorKind.AIR_QUALITY)
    feed(newcomer, "pm25", [(0, 120.0)])
    assert [a.sensor for a in active_alarms()] == [newcomer]


def test_a_water_level_rule_watches_gauges_and_not_stations(station, gauge, feed):
    alarm_rule_create(
        name="Mực nước sông Hương trên báo động 2",
        kind=RuleKind.THRESHOLD,
        severity=Severity.CRITICAL,
        sensor_kind=SensorKind.WATER_LEVEL,
        metric="water_level",
        comparison="gte",
        value=3.5,
    )
    feed(gauge, "water_level", [(0, 3.2)])
    assert active_alarms() == []
    feed(gauge, "water_level", [(10, 3.6)])
    [alarm] = active_alarms()
    assert alarm.sensor == gauge
    assert alarm.severity == Severity.CRITICAL


def test_a_rule_created_or_switched_off_is_picked_up_at_once(
    station, feed, django_capture_on_commit_callbacks
):
    feed(station, "pm25", [(0, 90.0)])  # the engine has loaded: no rules
    with django_capture_on_commit_callbacks(execute=True):
        rule = pm25_rule(minutes=0)
    feed(station, "pm25", [(1, 90.0)])
    assert len(active_alarms()) == 1

    rule.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        alarm_rule_save(rule=rule)
    feed(station, "pm25", [(2, 10.0)])  # the rule no longer speaks for the condition
    assert len(active_alarms()) == 1


def test_an_alarm_an_operator_cleared_is_raised_again_while_the_condition_holds(
    station, feed, operator
):
    pm25_rule(minutes=0)
    feed(station, "pm25", [(0, 90.0)])
    [alarm] = active_alarms()
    alarm_clear(alarm=alarm, actor=operator)

    from cityops.alerts.rules import rules_changed

    rules_changed()  # what the evaluators see within seconds in any process
    feed(station, "pm25", [(1, 95.0)])

    [again] = active_alarms()
    assert again.pk != alarm.pk


def test_the_engine_does_not_touch_the_database_for_readings_no_rule_watches(
    station, gauge, feed, django_assert_num_queries
):
    pm25_rule(sensor=station, sensor_kind="", minutes=0)
    feed(station, "pm25", [(0, 10.0)])  # loaded
    with django_assert_num_queries(0):
        feed(gauge, "water_level", [(1, 1.0)], store=False)
        feed(station, "pm10", [(1, 500.0)], store=False)
        feed(station, "pm25", [(2, 20.0)], store=False)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"metric": ""}, "metric"),
        ({"value": None}, "value"),
        ({"comparison": ""}, "comparison"),
        ({"sensor_kind": ""}, "sensor"),
        ({"value": -5.0}, "value"),
    ],
)
def test_an_incomplete_threshold_rule_is_refused(db, fields, problem):
    with pytest.raises(InvalidInput) as refused:
        pm25_rule(**fields)
    assert problem in refused.value.fields
