"""Writes for monitoring: the sensor registry and storing readings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from cityops.agencies.models import Area
from cityops.monitoring import hooks, store
from cityops.monitoring.choices import SensorKind, metric_info, metrics_of_kind
from cityops.monitoring.hooks import SensorSeen, StoredReading
from cityops.monitoring.models import Sensor
from cityops.monitoring.payloads import METRIC_CODE, PayloadError, Row, SensorRef, parse, rows_of
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotFound
from cityops.platform.events import Event, publish

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def _metrics_value(metrics: Sequence[Any] | None, kind: str) -> list[dict[str, str]]:
    """``[{"code", "unit", "label"}]`` from codes or dicts; the kind's defaults when None."""
    if metrics is None:
        return metrics_of_kind(kind)
    result: list[dict[str, str]] = []
    problems: list[str] = []
    for item in metrics:
        given = {"code": item} if isinstance(item, str) else dict(item)
        code = str(given.get("code", ""))
        if not METRIC_CODE.match(code):
            problems.append(f"{code!r} is not a metric code (lower case letters, digits, _).")
            continue
        info = metric_info(code)
        result.append(
            {
                "code": code,
                "unit": str(given.get("unit") or info.unit),
                "label": str(given.get("label") or code),
            }
        )
    if problems:
        raise InvalidInput(" ".join(problems), fields={"metrics": problems})
    return result


def _validated(*, code: str, name: str, kind: str, lat: float, lon: float) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not _CODE.match(code):
        problems["code"] = ["Use lower case letters, digits and hyphens, e.g. hue-aq-01."]
    if not name.strip():
        problems["name"] = ["This field is required."]
    if kind not in SensorKind.values:
        problems["kind"] = [f"One of: {', '.join(SensorKind.values)}."]
    if not -90 <= lat <= 90:
        problems["lat"] = ["Between -90 and 90."]
    if not -180 <= lon <= 180:
        problems["lon"] = ["Between -180 and 180."]
    return problems


@transaction.atomic
def sensor_create(
    *,
    code: str,
    name: str,
    kind: str,
    lat: float,
    lon: float,
    area: Area | None = None,
    metrics: Sequence[Any] | None = None,
    is_active: bool = True,
    is_simulated: bool = False,
) -> Sensor:
    """Register a sensor; ``metrics`` defaults to its kind's (cameras report none)."""
    problems = _validated(code=code, name=name, kind=kind, lat=lat, lon=lon)
    if not problems and Sensor.objects.filter(code=code).exists():
        raise Conflict(f"A sensor with code {code} exists already.", code="sensor_exists")
    if problems:
        raise InvalidInput("The sensor is not valid.", fields=problems)
    return Sensor.objects.create(
        code=code,
        name=name.strip(),
        kind=kind,
        lat=lat,
        lon=lon,
        area=area,
        metrics=_metrics_value(metrics, kind),
        is_active=is_active,
        is_simulated=is_simulated,
    )


@transaction.atomic
def sensor_update(
    *,
    sensor: Sensor,
    name: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    area: Area | None = None,
    metrics: Sequence[Any] | None = None,
    is_active: bool | None = None,
) -> Sensor:
    """Change a sensor's description; its code and kind stay (topics and history use them)."""
    sensor = Sensor.objects.select_for_update().get(pk=sensor.pk)
    if name is not None:
        sensor.name = name.strip()
    if lat is not None:
        sensor.lat = lat
    if lon is not None:
        sensor.lon = lon
    if area is not None:
        sensor.area = area
    if metrics is not None:
        sensor.metrics = _metrics_value(metrics, sensor.kind)
    if is_active is not None:
        sensor.is_active = is_active
    problems = _validated(
        code=sensor.code, name=sensor.name, kind=sensor.kind, lat=sensor.lat, lon=sensor.lon
    )
    if problems:
        raise InvalidInput("The sensor is not valid.", fields=problems)
    sensor.save()
    return sensor


def sensor_ref(sensor: Sensor) -> SensorRef:
    return SensorRef(
        id=sensor.pk,
        code=sensor.code,
        metrics=frozenset(sensor.metric_codes),
        is_active=sensor.is_active,
    )


@dataclass(frozen=True)
class StoreResult:
    received: int  # values in the payload(s)
    stored: list[StoredReading]

    @property
    def duplicates(self) -> int:
        return self.received - len(self.stored)


def readings_store(*, rows: Sequence[Row], received_at: datetime | None = None) -> StoreResult:
    """Store a batch of validated rows in one transaction.

    Duplicates (same sensor, metric, observed_at) are dropped by the database. After the commit,
    the rule hooks get the new readings and the sensors that were heard from, and a
    ``monitoring.readings`` event tells live views which sensors changed.
    """
    received_at = received_at or clock.now()
    with transaction.atomic():
        stored = store.insert_new(rows, received_at=received_at)
        store.latest_update(stored)
        sensors = {row.sensor_id: row.sensor_code for row in rows}
        store.seen_update(list(sensors), seen_at=received_at)
        seen = [SensorSeen(pk, code, received_at) for pk, code in sensors.items()]
        transaction.on_commit(lambda: _after_commit(stored, seen))
    return StoreResult(received=len(rows), stored=stored)


def _after_commit(stored: list[StoredReading], seen: list[SensorSeen]) -> None:
    hooks.sensor_seen_notify(seen)
    hooks.readings_stored_notify(stored)
    if stored:
        codes = sorted({reading.sensor_code for reading in stored})
        publish(Event("monitoring.readings", {"sensors": codes, "count": len(stored)}))


def readings_ingest(*, code: str, payload: bytes | str) -> StoreResult:
    """The HTTP ingest: one reading or a list for sensor ``code``, all stored or none.

    Raises NotFound for an unknown sensor, Conflict for an inactive one and InvalidInput (with
    per-field problems) for a payload that is not valid.
    """
    sensor = Sensor.objects.filter(code=code).first()
    if sensor is None:
        raise NotFound(f"There is no sensor {code}.", code="unknown_sensor")
    if not sensor.is_active:
        raise Conflict(f"Sensor {code} is inactive; its readings are refused.", code="inactive")
    try:
        rows = rows_of(sensor_ref(sensor), parse(payload), now=clock.now())
    except PayloadError as error:
        raise InvalidInput(error.message, code=error.reason, fields=error.fields) from error
    return readings_store(rows=rows)


# The demo ---------------------------------------------------------------------------------------

BACKFILL_STEP = timedelta(minutes=10)


def sensors_seed_demo(*, backfill_hours: int = 24) -> dict[str, int]:
    """Register the simulated Huế stations and cameras (idempotent) and fill their last
    ``backfill_hours`` of readings, so that the AQI map has a NowCast from the first minute.
    """
    from cityops.agencies.selectors import area_at
    from cityops.monitoring.simulation import SIMULATED_SUFFIX, STATIONS

    created = 0
    for station in STATIONS:
        defaults = {
            "name": station.name + SIMULATED_SUFFIX,
            "kind": station.kind,
            "lat": station.lat,
            "lon": station.lon,
            "area": area_at(lat=station.lat, lon=station.lon),
            "is_simulated": True,
        }
        _sensor, was_created = Sensor.objects.get_or_create(
            code=station.code, defaults={**defaults, "metrics": metrics_of_kind(station.kind)}
        )
        created += was_created
    stored = sensors_simulated_backfill(hours=backfill_hours)
    return {"simulated_sensors": len(STATIONS), "sensors_created": created, "readings": stored}


def sensors_simulated_backfill(*, hours: int = 24) -> int:
    """Fill each simulated sensor's gap up to now (at most ``hours`` back) every 10 minutes."""
    from cityops.monitoring.simulation import STATIONS_BY_CODE, value_at

    now = clock.now()
    earliest = now - timedelta(hours=hours)
    rows: list[Row] = []
    sensors = Sensor.objects.filter(is_simulated=True, is_active=True).exclude(
        kind=SensorKind.CAMERA
    )
    for sensor in sensors:
        station = STATIONS_BY_CODE.get(sensor.code)
        if station is None:
            continue
        start = max(earliest, sensor.last_seen_at or earliest)
        moment = datetime.fromtimestamp(
            (start.timestamp() // BACKFILL_STEP.total_seconds() + 1)
            * BACKFILL_STEP.total_seconds(),
            tz=UTC,
        )
        while moment <= now:
            for metric in sensor.metric_codes:
                rows.append(
                    Row(sensor.pk, sensor.code, metric, moment, value_at(station, metric, moment))
                )
            moment += BACKFILL_STEP
    return len(readings_store(rows=rows).stored) if rows else 0
