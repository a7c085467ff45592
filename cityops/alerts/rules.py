"""Alarm rules evaluated inside the ingest, on every committed batch of readings.

The ingest calls ``evaluator.readings_stored`` and ``evaluator.sensors_seen`` (registered in
``AlertsConfig.ready`` on ``cityops.monitoring.hooks``) in the worker that stored the batch, at
tens of thousands of readings a second, so the evaluator:

- keeps the active rules compiled in memory, indexed by (sensor, metric), reloaded every
  ``REFRESH_SECONDS`` or within ``VERSION_CHECK_SECONDS`` of a change (``rules_changed`` puts a
  new version in the shared cache; this process also forgets its copy at once);
- keeps per (rule, sensor) the run of readings for which the condition holds (``Streak``), and
  per air-quality station the hourly sums of the last 12 hours for the NowCast;
- touches the database only to load rules, to learn a sensor it has not seen, to load a
  station's recent hours once, and when an alarm is raised or cleared.

Threshold and AQI rules raise once the condition has held for every reading during
``minutes`` (0: at the first one) and clear at the first reading where it does not. Readings
older than the newest one evaluated for that rule and sensor are history and ignored. An alarm
an operator clears while the condition still holds is raised again after the duration. The
offline rule is the periodic job ``alarms_offline_check``; a sensor heard from again clears its
offline alarm at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityops.alerts.choices import AlarmType, Comparison, RuleKind
from cityops.alerts.models import Alarm, AlarmRule
from cityops.monitoring.aqi import AqiResult, hourly_aqi
from cityops.monitoring.choices import POLLUTANTS, metric_info
from cityops.monitoring.hooks import SensorSeen, StoredReading
from cityops.monitoring.models import Reading, Sensor
from cityops.platform import clock

logger = logging.getLogger(__name__)

RULES_VERSION_KEY = "cityops:alerts:rules-version"
REFRESH_SECONDS = 30.0
VERSION_CHECK_SECONDS = 2.0
NOWCAST_HOURS = 12
# The AQI of a station is recomputed at most once a minute of its own observations.
AQI_EVERY = timedelta(minutes=1)
_POLLUTANTS = frozenset(str(metric) for metric in POLLUTANTS)  # plain strings: fast lookups
_PM = ("pm25", "pm10")
_GASES = ("o3", "co", "no2", "so2")


def rules_changed() -> None:
    """Make every evaluator reload: this process's at once, other processes' within seconds."""
    try:
        cache.set(RULES_VERSION_KEY, uuid4().hex, None)
    except Exception:  # a cache outage must not undo a saved rule; the TTL reloads anyway
        logger.exception("could not announce changed alarm rules")
    evaluator.invalidate()


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


@dataclass(slots=True)
class Streak:
    """Where a rule stands on one sensor."""

    since: datetime | None = None  # first observation of the current run where it holds
    last: datetime | None = None  # newest observation evaluated
    raised: bool = False


@dataclass(slots=True)
class Hours:
    """A station's hourly sums and counts per pollutant, keyed by hour (``hour_of``): the
    decision labels each hour by its end, so key ``h`` is the mean labelled ``h + 1`` o'clock."""

    sums: dict[str, dict[int, list[float]]] = field(default_factory=dict)
    latest: datetime | None = None
    evaluated_at: datetime | None = None

    def add(self, metric: str, at: datetime, value: float) -> None:
        by_hour = self.sums.get(metric)
        if by_hour is None:
            by_hour = self.sums[metric] = {}
        hour = int(at.timestamp()) // 3600
        bucket = by_hour.get(hour)
        if bucket is None:
            by_hour[hour] = [value, 1]
        else:
            bucket[0] += value
            bucket[1] += 1
        if self.latest is None or at > self.latest:
            self.latest = at

    def merge(self, sums: dict[tuple[str, int], list[float]], *, latest: datetime) -> None:
        """Add a batch's sums of this station, keyed by (metric, hour)."""
        for (metric, hour), (total, count) in sums.items():
            bucket = self.sums.setdefault(metric, {}).get(hour)
            if bucket is None:
                self.sums[metric][hour] = [total, count]
            else:
                bucket[0] += total
                bucket[1] += count
        if self.latest is None or latest > self.latest:
            self.latest = latest

    def mean(self, metric: str, hour: int) -> float | None:
        bucket = self.sums.get(metric, {}).get(hour)
        return bucket[0] / bucket[1] if bucket and bucket[1] else None

    def aqi(self) -> AqiResult | None:
        """The hourly VN_AQI at the newest observation (its hour is c1 of the NowCast)."""
        if self.latest is None:
            return None
        current = hour_of(self.latest)
        hours = [current - i for i in range(NOWCAST_HOURS)]
        for by_hour in self.sums.values():  # forget what the NowCast no longer reads
            for hour in [hour for hour in by_hour if hour < hours[-1]]:
                del by_hour[hour]
        pm = {metric: [self.mean(metric, hour) for hour in hours] for metric in _PM}
        gases = {metric: self.mean(metric, current) for metric in _GASES}
        return hourly_aqi(pm25=pm["pm25"], pm10=pm["pm10"], **gases)


def hour_of(at: datetime) -> int:
    """The hour ``at`` falls in, as hours since the epoch (whole hours in Huế's time too)."""
    return int(at.timestamp()) // 3600


@dataclass(frozen=True, slots=True)
class Raise:
    rule: Compiled
    sensor: SensorInfo
    message: str
    value: float | None
    observed_at: datetime


@dataclass(frozen=True, slots=True)
class Clear:
    key: str


class Evaluator:
    """The in-memory rule engine of one process (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Forget rules and state (tests; a fresh process starts like this)."""
        with getattr(self, "_lock", threading.RLock()):
            self._loaded = False
            self._loaded_at = 0.0
            self._checked_at = 0.0
            self._version: object = None
            self._rules: dict[int, Compiled] = {}
            self._sensors: dict[int, SensorInfo | None] = {}
            self._reading_rules: dict[tuple[int, str], list[Compiled]] = {}
            self._aqi_rules: dict[int, list[Compiled]] = {}
            self._streaks: dict[tuple[int, int], Streak] = {}
            self._hours: dict[int, Hours] = {}
            self._offline: dict[int, set[str]] = {}  # sensor id → keys of active offline alarms

    def invalidate(self) -> None:
        with self._lock:
            self._loaded = False

    # --- the hooks ------------------------------------------------------------------------

    def readings_stored(self, readings: Sequence[StoredReading]) -> None:
        with self._lock:
            self._fresh()
            if not self._rules:
                return
            actions = self._evaluate(readings)
        _apply(actions)

    def sensors_seen(self, seen: Sequence[SensorSeen]) -> None:
        with self._lock:
            self._fresh()
            if not self._offline:
                return
            keys: list[str] = []
            for item in seen:
                keys.extend(self._offline.pop(item.sensor_id, ()))
        _apply([Clear(key) for key in keys])

    # --- evaluation -----------------------------------------------------------------------

    def _evaluate(self, readings: Sequence[StoredReading]) -> list[Raise | Clear]:
        index, aqi_rules, sensors = self._reading_rules, self._aqi_rules, self._sensors
        matched: list[tuple[StoredReading, list[Compiled]]] = []
        # Pollutant sums of this batch per (station, metric, hour), and each station's newest.
        sums: dict[int, dict[tuple[str, int], list[float]]] = {}
        newest: dict[int, datetime] = {}
        last_at, hour = None, 0
        for reading in readings:  # the hot loop: dictionary lookups only
            sensor_id, metric = reading.sensor_id, reading.metric
            if sensor_id not in sensors:
                self._learn(sensor_id)
            rules = index.get((sensor_id, metric))
            if rules is not None:
                matched.append((reading, rules))
            if sensor_id in aqi_rules and metric in _POLLUTANTS:
                at = reading.observed_at
                if at is not last_at:  # a message's values share their time
                    last_at, hour = at, int(at.timestamp()) // 3600
                station = sums.get(sensor_id)
                if station is None:
                    station = sums[sensor_id] = {}
                bucket = station.get((metric, hour))
                if bucket is None:
                    station[metric, hour] = [reading.value, 1]
                else:
                    bucket[0] += reading.value
                    bucket[1] += 1
                seen = newest.get(sensor_id)
                if seen is None or at > seen:
                    newest[sensor_id] = at
        stations: dict[int, Hours] = {}
        for sensor_id, at in newest.items():
            hours = self._hours.get(sensor_id)
            if hours is None:
                # The database has this batch already (it committed before the hook).
                hours = self._hours[sensor_id] = _hours_from_db(sensor_id, at)
            else:
                hours.merge(sums[sensor_id], latest=at)
            stations[sensor_id] = hours
        actions: list[Raise | Clear] = []
        matched.sort(key=lambda pair: pair[0].observed_at)
        for reading, rules in matched:
            for rule in rules:
                assert rule.test is not None
                assert rule.value is not None
                self._step(
                    rule,
                    sensor_id=reading.sensor_id,
                    holds=rule.test(reading.value, rule.value),
                    at=reading.observed_at,
                    actions=actions,
                    describe=partial(_threshold_text, rule, reading),
                    value=reading.value,
                )
        for sensor_id, hours in stations.items():
            latest = hours.latest
            if latest is None:
                continue
            evaluated = hours.evaluated_at
            if (
                evaluated is not None
                and hour_of(evaluated) == hour_of(latest)
                and latest - evaluated < AQI_EVERY
            ):
                continue  # the same hour, less than a minute later: the AQI has not moved
            hours.evaluated_at = latest
            result = hours.aqi()
            if result is None:
                continue
            for rule in aqi_rules[sensor_id]:
                assert rule.aqi_level is not None
                self._step(
                    rule,
                    sensor_id=sensor_id,
                    holds=result.level >= rule.aqi_level,
                    at=latest,
                    actions=actions,
                    describe=partial(_aqi_text, result),
                    value=float(result.aqi),
                )
        return actions

    def _step(
        self,
        rule: Compiled,
        *,
        sensor_id: int,
        holds: bool,
        at: datetime,
        actions: list[Raise | Clear],
        describe: Callable[[], str],
        value: float | None,
    ) -> None:
        streak = self._streaks.get((rule.id, sensor_id))
        if streak is None:
            streak = self._streaks[rule.id, sensor_id] = Streak()
        if streak.last is not None and at < streak.last:
            return  # late data is history, not the present
        streak.last = at
        if not holds:
            streak.since = None
            if streak.raised:
                streak.raised = False
                actions.append(Clear(_rule_key(rule, sensor_id)))
            return
        if streak.since is None:
            streak.since = at
        if not streak.raised and at - streak.since >= rule.duration:
            streak.raised = True
            sensor = self._sensors.get(sensor_id)
            if sensor is not None:
                actions.append(Raise(rule, sensor, describe(), value, at))

    # --- loading --------------------------------------------------------------------------

    def _fresh(self) -> None:
        now = time.monotonic()
        if self._loaded and now - self._loaded_at < REFRESH_SECONDS:
            if now - self._checked_at < VERSION_CHECK_SECONDS:
                return
            self._checked_at = now
            if cache.get(RULES_VERSION_KEY) == self._version:
                return
        self._load(now)

    def _load(self, now: float) -> None:
        self._version = cache.get(RULES_VERSION_KEY)
        self._loaded, self._loaded_at, self._checked_at = True, now, now
        rules = {
            rule.pk: Compiled.of(rule)
            for rule in AlarmRule.objects.filter(is_active=True).exclude(kind=RuleKind.OFFLINE)
        }
        self._rules = rules
        self._sensors = {}
        self._reading_rules, self._aqi_rules = {}, {}
        active = list(
            Alarm.objects.filter(cleared_at=None)
            .filter(Q(rule__isnull=False) | Q(type=AlarmType.OFFLINE))
            .values_list("rule_id", "sensor_id", "type", "dedup_key")
        )
        self._offline = {}
        raised: set[tuple[int, int]] = set()
        for rule_id, sensor_id, type, dedup in active:
            if sensor_id is None:
                continue
            if type == AlarmType.OFFLINE:
                self._offline.setdefault(sensor_id, set()).add(dedup)
            elif rule_id in rules:
                raised.add((rule_id, sensor_id))
        # Align with the alarms as they are: an operator may have cleared one, another worker
        # may have raised one.
        for key in [key for key in self._streaks if key[0] not in rules]:
            del self._streaks[key]
        for key, streak in self._streaks.items():
            if streak.raised and key not in raised:
                streak.raised, streak.since = False, None
        for key in raised:
            self._streaks.setdefault(key, Streak()).raised = True
        if not rules:
            self._hours = {}
            return
        for row in Sensor.objects.values_list("id", "code", "name", "kind"):
            self._index(SensorInfo(*row))
        for sensor_id in [sid for sid in self._hours if sid not in self._aqi_rules]:
            del self._hours[sensor_id]

    def _learn(self, sensor_id: int) -> None:
        """A sensor registered after the rules were loaded."""
        row = Sensor.objects.filter(pk=sensor_id).values_list("id", "code", "name", "kind").first()
        if row is None:
            self._sensors[sensor_id] = None
        else:
            self._index(SensorInfo(*row))

    def _index(self, sensor: SensorInfo) -> None:
        self._sensors[sensor.id] = sensor
        for rule in self._rules.values():
            if not rule.covers(sensor):
                continue
            if rule.kind == RuleKind.AQI_BAND:
                self._aqi_rules.setdefault(sensor.id, []).append(rule)
            elif rule.test is not None and rule.value is not None and rule.metric:
                self._reading_rules.setdefault((sensor.id, rule.metric), []).append(rule)


def _hours_from_db(sensor_id: int, newest: datetime) -> Hours:
    """A station's hourly sums of the NowCast's 12 hours up to ``newest``, from the database."""
    readings = Reading.objects.filter(
        sensor_id=sensor_id,
        metric__in=POLLUTANTS,
        observed_at__gte=datetime.fromtimestamp((hour_of(newest) - NOWCAST_HOURS + 1) * 3600, UTC),
    )
    rows = (
        readings.annotate(hour=TruncHour("observed_at", tzinfo=UTC))
        .values("metric", "hour")
        .annotate(total=Sum("value"), n=Count("id"))
    )
    hours = Hours()
    for row in rows:
        hour = hour_of(row["hour"])
        hours.sums.setdefault(row["metric"], {})[hour] = [float(row["total"]), int(row["n"])]
    hours.latest = readings.aggregate(latest=Max("observed_at"))["latest"] or newest
    return hours


def _rule_key(rule: Compiled, sensor_id: int) -> str:
    return Alarm.key_for(sensor_id=sensor_id, type=rule.kind, rule_id=rule.id)


def _number(value: float) -> str:
    return f"{value:g}"


def _threshold_text(rule: Compiled, reading: StoredReading) -> str:
    info = metric_info(reading.metric)
    unit = f" {info.unit}" if info.unit else ""
    with translation.override(settings.LANGUAGE_CODE):
        if rule.kind == RuleKind.FIRE:
            return _("Fire alarm ringing (rule “%(rule)s”)") % {"rule": rule.name}
        assert rule.value is not None
        held = _(" for %(minutes)s min") % {"minutes": rule.minutes} if rule.minutes else ""
        return _("%(metric)s %(value)s%(unit)s, %(comparison)s %(limit)s%(unit)s%(held)s") % {
            "metric": info.label,
            "value": _number(reading.value),
            "unit": unit,
            "comparison": rule.comparison,
            "limit": _number(rule.value),
            "held": held,
        }


def _aqi_text(result: AqiResult) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Hourly VN_AQI %(aqi)s (%(level)s), dominant pollutant %(dominant)s") % {
            "aqi": result.aqi,
            "level": result.band.label,
            "dominant": metric_info(result.dominant).label,
        }


def _apply(actions: Sequence[Raise | Clear]) -> None:
    """Raise and clear, each in its own transaction; one failure does not stop the others."""
    from cityops.alerts.services.alarms import alarm_clear_by_key, alarm_raise

    for action in actions:
        try:
            if isinstance(action, Raise):
                alarm_raise(
                    sensor=action.sensor.stub(),
                    type=AlarmType(action.rule.kind),
                    severity=action.rule.severity,
                    message=action.message,
                    rule=action.rule.stub(),
                    value=action.value,
                    observed_at=action.observed_at,
                )
            else:
                alarm_clear_by_key(key=action.key)
        except Exception:
            logger.exception("alarm action %r failed", action)


evaluator = Evaluator()


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
                    message=_offline_text(rule, sensor),
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


def _offline_text(rule: AlarmRule, sensor: Sensor) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if sensor.last_seen_at is None:
            return _("No data for %(minutes)s min: nothing received since it was registered") % {
                "minutes": rule.minutes
            }
        return _("No data for %(minutes)s min: last heard from %(seen)s") % {
            "minutes": rule.minutes,
            "seen": timezone.localtime(sensor.last_seen_at).strftime("%d/%m/%Y %H:%M"),
        }
