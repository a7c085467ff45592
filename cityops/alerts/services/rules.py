"""Writes of alarm rules: validated, and announced to the ingest workers that cache them."""

from __future__ import annotations

from django.db import transaction

from cityops.alerts.choices import Comparison, RuleKind, Severity
from cityops.alerts.models import AlarmRule
from cityops.alerts.rules import rules_changed
from cityops.monitoring.choices import POLLUTANTS, Metric, SensorKind
from cityops.monitoring.models import Sensor
from cityops.platform.errors import InvalidInput
from cityops.reports.choices import Priority
from cityops.reports.models import Category


def alarm_rule_problems(rule: AlarmRule) -> dict[str, list[str]]:
    """What is wrong with a rule, per field (empty when it can be evaluated)."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not rule.name.strip():
        add("name", "Give the rule a name.")
    if rule.kind not in RuleKind.values:
        add("kind", f"One of: {', '.join(RuleKind.values)}.")
    if rule.severity not in Severity.values:
        add("severity", f"One of: {', '.join(Severity.values)}.")
    if rule.priority and rule.priority not in Priority.values:
        add("priority", f"One of: {', '.join(Priority.values)}, or empty.")
    if rule.sensor_id is None and not rule.sensor_kind:
        add("sensor", "Choose a sensor, or a kind of sensor to watch all of that kind.")
    if rule.sensor_id is not None and rule.sensor_kind:
        add("sensor_kind", "Choose either one sensor or a kind of sensor, not both.")
    if rule.sensor_kind and rule.sensor_kind not in SensorKind.values:
        add("sensor_kind", f"One of: {', '.join(SensorKind.values)}.")
    sensor = rule.sensor if rule.sensor_id is not None else None
    kind_of_scope = sensor.kind if sensor is not None else rule.sensor_kind
    if rule.kind == RuleKind.THRESHOLD:
        if not rule.metric:
            add("metric", "A threshold rule watches one metric, e.g. pm25.")
        if rule.comparison not in Comparison.values:
            add("comparison", "Choose how the value is compared.")
        if rule.value is None:
            add("value", "A threshold rule needs a value.")
        if sensor is not None and rule.metric:
            codes = sensor.metric_codes
            if codes and rule.metric not in codes:
                add("metric", f"This sensor does not report {rule.metric}.")
    elif rule.kind == RuleKind.OFFLINE:
        if rule.minutes < 1:
            add("minutes", "A no-data rule needs at least 1 minute without data.")
    elif rule.kind == RuleKind.AQI_BAND:
        if rule.aqi_level is None or not 1 <= rule.aqi_level <= 6:
            add("aqi_level", "Choose a level from 1 (Good) to 6 (Hazardous).")
        if kind_of_scope and kind_of_scope != SensorKind.AIR_QUALITY:
            add("sensor_kind", "AQI rules watch air quality stations.")
    elif rule.kind == RuleKind.FIRE and kind_of_scope and kind_of_scope != SensorKind.FIRE_ALARM:
        add("sensor_kind", "Fire alarm rules watch fire alarm sensors.")
    negative = rule.value is not None and rule.value < 0
    if rule.kind == RuleKind.THRESHOLD and rule.metric in POLLUTANTS and negative:
        add("value", "Concentrations are never negative.")
    return problems


@transaction.atomic
def alarm_rule_save(*, rule: AlarmRule) -> AlarmRule:
    """Create or change a rule (the admin and the demo seed call this); workers reload it."""
    if rule.kind == RuleKind.FIRE:
        rule.metric = Metric.FIRE_STATE  # what a fire alarm reports: 1 while it rings
    problems = alarm_rule_problems(rule)
    if problems:
        raise InvalidInput(
            "The alarm rule is not valid: "
            + " ".join(message for messages in problems.values() for message in messages),
            fields=problems,
        )
    rule.save()
    transaction.on_commit(rules_changed)
    return rule


def alarm_rule_create(
    *,
    name: str,
    kind: RuleKind | str,
    severity: Severity | str = Severity.WARNING,
    sensor: Sensor | None = None,
    sensor_kind: SensorKind | str = "",
    metric: str = "",
    comparison: Comparison | str = "",
    value: float | None = None,
    minutes: int = 0,
    aqi_level: int | None = None,
    category: Category | None = None,
    priority: Priority | str = "",
    is_active: bool = True,
) -> AlarmRule:
    """A new rule, validated and announced like any saved one."""
    rule = AlarmRule(
        name=name,
        kind=kind,
        severity=severity,
        sensor=sensor,
        sensor_kind=sensor_kind,
        metric=metric,
        comparison=comparison,
        value=value,
        minutes=minutes,
        aqi_level=aqi_level,
        category=category,
        priority=priority,
        is_active=is_active,
    )
    return alarm_rule_save(rule=rule)


@transaction.atomic
def alarm_rule_delete(*, rule: AlarmRule) -> None:
    """Delete a rule; its alarms stay (without the rule) and workers forget it."""
    rule.delete()
    transaction.on_commit(rules_changed)
