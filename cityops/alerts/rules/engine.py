"""The in-memory rule engine each process runs on the ingest's hooks (see the package's doc)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from uuid import uuid4

from django.core.cache import cache
from django.db.models import Q

from cityops.alerts.choices import AlarmType, RuleKind
from cityops.alerts.models import Alarm, AlarmRule
from cityops.alerts.rules.compiled import Compiled, SensorInfo
from cityops.alerts.rules.nowcast import Hours, hour_of, hours_from_db
from cityops.alerts.rules.texts import aqi_text, threshold_text
from cityops.monitoring.choices import POLLUTANTS
from cityops.monitoring.hooks import SensorSeen, StoredReading
from cityops.monitoring.models import Sensor

logger = logging.getLogger(__name__)

RULES_VERSION_KEY = "cityops:alerts:rules-version"
REFRESH_SECONDS = 30.0
VERSION_CHECK_SECONDS = 2.0
# The AQI of a station is recomputed at most once a minute of its own observations.
AQI_EVERY = timedelta(minutes=1)
_POLLUTANTS = frozenset(str(metric) for metric in POLLUTANTS)  # plain strings: fast lookups


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


@dataclass(slots=True)
class Streak:
    """Where a rule stands on one sensor."""

    since: datetime | None = None  # first observation of the current run where it holds
    last: datetime | None = None  # newest observation evaluated
    raised: bool = False


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
        # From here on each rule on each sensor, and each station's AQI, is evaluated on its
        # own: one that fails (a bug, a broken station's data) is logged and skipped, and every
        # other alarm of the batch is still raised or cleared.
        stations: dict[int, Hours] = {}
        for sensor_id, at in newest.items():
            try:
                hours = self._hours.get(sensor_id)
                if hours is None:
                    # The database has this batch already (it committed before the hook).
                    hours = self._hours[sensor_id] = hours_from_db(sensor_id, at)
                else:
                    hours.merge(sums[sensor_id], latest=at)
            except Exception:
                logger.exception("alarm rules: the hours of sensor %s failed", sensor_id)
                self._hours.pop(sensor_id, None)  # reloaded from the database next time
                continue
            stations[sensor_id] = hours
        actions: list[Raise | Clear] = []
        matched.sort(key=lambda pair: pair[0].observed_at)
        for reading, rules in matched:
            for rule in rules:
                try:
                    assert rule.test is not None
                    assert rule.value is not None
                    self._step(
                        rule,
                        sensor_id=reading.sensor_id,
                        holds=rule.test(reading.value, rule.value),
                        at=reading.observed_at,
                        actions=actions,
                        describe=partial(threshold_text, rule, reading),
                        value=reading.value,
                    )
                except Exception:
                    logger.exception(
                        "alarm rule %s failed on sensor %s", rule.id, reading.sensor_code
                    )
        for sensor_id, hours in stations.items():
            try:
                self._aqi_step(sensor_id, hours, aqi_rules[sensor_id], actions)
            except Exception:
                logger.exception("alarm rules: the AQI of sensor %s failed", sensor_id)
        return actions

    def _aqi_step(
        self, sensor_id: int, hours: Hours, rules: list[Compiled], actions: list[Raise | Clear]
    ) -> None:
        latest = hours.latest
        if latest is None:
            return
        evaluated = hours.evaluated_at
        if (
            evaluated is not None
            and hour_of(evaluated) == hour_of(latest)
            and latest - evaluated < AQI_EVERY
        ):
            return  # the same hour, less than a minute later: the AQI has not moved
        hours.evaluated_at = latest
        result = hours.aqi()
        if result is None:
            return
        for rule in rules:
            try:
                assert rule.aqi_level is not None
                self._step(
                    rule,
                    sensor_id=sensor_id,
                    holds=result.level >= rule.aqi_level,
                    at=latest,
                    actions=actions,
                    describe=partial(aqi_text, result),
                    value=float(result.aqi),
                )
            except Exception:
                logger.exception("alarm rule %s failed on sensor %s", rule.id, sensor_id)

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


def _rule_key(rule: Compiled, sensor_id: int) -> str:
    return Alarm.key_for(sensor_id=sensor_id, type=rule.kind, rule_id=rule.id)


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


def rules_changed() -> None:
    """Make every evaluator reload: this process's at once, other processes' within seconds."""
    try:
        cache.set(RULES_VERSION_KEY, uuid4().hex, None)
    except Exception:  # a cache outage must not undo a saved rule; the TTL reloads anyway
        logger.exception("could not announce changed alarm rules")
    evaluator.invalidate()
