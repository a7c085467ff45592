"""The no-data rules: checked every minute, as a silent sensor sends no readings to evaluate."""

from __future__ import annotations

from datetime import timedelta

from cityops.alerts.choices import AlarmType, RuleKind
from cityops.alerts.models import Alarm, AlarmRule
from cityops.alerts.rules.engine import rules_changed
from cityops.alerts.rules.texts import offline_text
from cityops.monitoring.models import Sensor
from cityops.platform import clock


def alarms_offline_check() -> dict[str, int]:
    """The no-data rules: raise for every sensor in scope silent for the rule's minutes, clear
    for those heard from since. Runs every minute (``tasks.check_offline_sensors``)."""
    from cityops.alerts.services.alarms import alarm_clear, alarm_raise

    now = clock.now()
    active: dict[tuple[int | None, int | None], Alarm] = {
        (alarm.rule_id, alarm.sensor_id): alarm
        for alarm in Alarm.objects.filter(type=AlarmType.OFFLINE, cleared_at=None)
    }
    covered: set[tuple[int | None, int | None]] = set()
    raised = cleared = 0
    for rule in AlarmRule.objects.filter(is_active=True, kind=RuleKind.OFFLINE):
        sensors = Sensor.objects.filter(is_active=True)
        sensors = (
            sensors.filter(pk=rule.sensor_id)
            if rule.sensor_id is not None
            else sensors.filter(kind=rule.sensor_kind)
        )
        limit = now - timedelta(minutes=rule.minutes)
        for sensor in sensors:
            key: tuple[int | None, int | None] = (rule.pk, sensor.pk)
            covered.add(key)
            heard = sensor.last_seen_at or sensor.created_at
            if heard < limit and key not in active:
                alarm_raise(
                    sensor=sensor,
                    type=AlarmType.OFFLINE,
                    severity=rule.severity,
                    message=offline_text(rule, sensor),
                    rule=rule,
                )
                raised += 1
            elif heard >= limit and key in active:
                alarm_clear(alarm=active[key])
                cleared += 1
    # A rule switched off or a sensor taken out of service: its no-data alarms end.
    for key, alarm in active.items():
        if key not in covered:
            alarm_clear(alarm=alarm)
            cleared += 1
    if raised or cleared:
        rules_changed()  # the evaluators learn the new offline alarms (to clear them on data)
    return {"raised": raised, "cleared": cleared}
