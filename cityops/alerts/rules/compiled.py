"""Rules and sensors as the evaluator holds them in memory: plain values, no database rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from cityops.alerts.choices import Comparison, RuleKind
from cityops.alerts.models import AlarmRule
from cityops.monitoring.models import Sensor


@dataclass(frozen=True, slots=True)
class Compiled:
    """A rule as the evaluator uses it."""

    id: int
    name: str
    kind: str
    severity: str
    sensor_id: int | None
    sensor_kind: str
    metric: str
    comparison: str  # its sign, for messages
    test: Callable[[float, float], bool] | None
    value: float | None
    minutes: int
    aqi_level: int | None

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    def covers(self, sensor: SensorInfo) -> bool:
        if self.sensor_id is not None:
            return self.sensor_id == sensor.id
        return self.sensor_kind == sensor.kind

    @classmethod
    def of(cls, rule: AlarmRule) -> Compiled:
        test, value, sign = None, rule.value, ""
        if rule.kind == RuleKind.THRESHOLD and rule.comparison in Comparison.values:
            comparison = Comparison(rule.comparison)
            test, sign = comparison.test, str(comparison.label)
        elif rule.kind == RuleKind.FIRE:
            test, value, sign = Comparison.GTE.test, 1.0, str(Comparison.GTE.label)
        return cls(
            id=rule.pk,
            name=rule.name,
            kind=rule.kind,
            severity=rule.severity,
            sensor_id=rule.sensor_id,
            sensor_kind=rule.sensor_kind,
            metric=rule.metric,
            comparison=sign,
            test=test,
            value=value,
            minutes=rule.minutes,
            aqi_level=rule.aqi_level,
        )

    def stub(self) -> AlarmRule:
        return AlarmRule(pk=self.id, name=self.name, kind=self.kind, severity=self.severity)


@dataclass(frozen=True, slots=True)
class SensorInfo:
    id: int
    code: str
    name: str
    kind: str

    def stub(self) -> Sensor:
        return Sensor(pk=self.id, code=self.code, name=self.name, kind=self.kind)
