"""The reading payload, one parser for MQTT and HTTP.

``{"observed_at": "2026-11-20T08:00:00+07:00", "values": {"pm25": 35.2, "pm10": 60.1}}`` or a
list of such objects. Times must carry their offset (a naive time is ambiguous between the
sensor's clock and UTC); values must be finite numbers within their metric's physical range
(``choices.METRIC_RANGES``: 1.7e308 is finite, and two of them overflow any mean); every metric
must be one the sensor declares. ``PayloadError.reason`` is a short machine-readable word,
counted by the ingest worker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, NamedTuple

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from cityops.monitoring.choices import metric_info, metric_range
from cityops.platform.isotime import IsoDateTime

MAX_READINGS_PER_PAYLOAD = 1000
MAX_VALUES_PER_READING = 64
# A sensor clock may run a little fast; further ahead than this is a broken clock.
FUTURE_TOLERANCE = timedelta(minutes=5)
# Earlier than this is a clock that was reset (sensors boot at 1970-01-01), not a backfill.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
METRIC_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")

Value = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class ReadingPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    observed_at: IsoDateTime
    values: dict[str, Value] = Field(min_length=1, max_length=MAX_VALUES_PER_READING)


_ONE = pydantic.TypeAdapter(ReadingPayload)
_MANY = pydantic.TypeAdapter(
    Annotated[list[ReadingPayload], Field(min_length=1, max_length=MAX_READINGS_PER_PAYLOAD)]
)


class PayloadError(ValueError):
    """Why a payload cannot be stored: ``reason`` (a word), ``message`` and per-field problems."""

    def __init__(self, reason: str, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.fields = fields or {}


@dataclass(frozen=True, slots=True)
class SensorRef:
    """What validation needs to know of a sensor (the ingest worker caches these)."""

    id: int
    code: str
    metrics: frozenset[str]  # empty: any well-formed metric code
    is_active: bool = True


class Row(NamedTuple):
    """One value to store (a named tuple: the ingest makes 40,000 a second, and a frozen
    dataclass costs three times as much to build)."""

    sensor_id: int
    sensor_code: str
    metric: str
    observed_at: datetime
    value: float


def parse(raw: bytes | str) -> list[ReadingPayload]:
    """The readings of a JSON payload; ``PayloadError("malformed", ...)`` when it is not one."""
    text = raw.lstrip()
    many = text[:1] in (b"[", "[")
    try:
        return _MANY.validate_json(raw) if many else [_ONE.validate_json(raw)]
    except pydantic.ValidationError as error:
        fields = _problems(error)
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        raise PayloadError("malformed", f"Invalid reading payload: {summary}", fields) from None


_tuple_new = tuple.__new__


def rows_of(sensor: SensorRef, readings: Sequence[ReadingPayload], *, now: datetime) -> list[Row]:
    """The rows to store for ``sensor``; the whole payload is refused if any part is wrong."""
    problems: dict[str, list[str]] = {}
    reasons: set[str] = set()
    rows: list[Row] = []
    many = len(readings) > 1
    latest = now + FUTURE_TOLERANCE
    sensor_id, code, declared_metrics = sensor.id, sensor.code, sensor.metrics
    for position, reading in enumerate(readings):
        prefix = f"{position}." if many else ""
        try:
            observed_at = reading.observed_at.astimezone(UTC)
        except OverflowError:
            observed_at = EARLIEST - timedelta(days=1)
        if observed_at > latest:
            problems.setdefault(f"{prefix}observed_at", []).append(
                f"{reading.observed_at.isoformat()} is in the future; check the sensor's clock."
            )
        elif observed_at < EARLIEST:
            problems.setdefault(f"{prefix}observed_at", []).append(
                f"{reading.observed_at.isoformat()} is before 2000; check the sensor's clock."
            )
        for metric, value in reading.values.items():
            # Declared metrics were validated at registration: membership is the fast check.
            if (
                metric not in declared_metrics
                if declared_metrics
                else not METRIC_CODE.match(metric)
            ):
                declared = ", ".join(sorted(sensor.metrics)) or "none"
                problems.setdefault(f"{prefix}values.{metric}", []).append(
                    f"Sensor {sensor.code} does not report {metric!r} (it reports: {declared})."
                )
                reasons.add("unknown_metric")
                continue
            low, high = metric_range(metric)
            if not low <= value <= high:
                problems.setdefault(f"{prefix}values.{metric}", []).append(_outside(metric, value))
                reasons.add("out_of_range")
                continue
            # tuple.__new__: a Row without the call of its generated __new__ (the hot loop).
            rows.append(_tuple_new(Row, (sensor_id, code, metric, observed_at, float(value))))
    if problems:
        reason = next(
            (word for word in ("unknown_metric", "out_of_range") if word in reasons), "bad_time"
        )
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in problems.items())
        raise PayloadError(reason, summary, problems)
    return rows


def _outside(metric: str, value: float) -> str:
    info = metric_info(metric)
    unit = f" {info.unit}" if info.unit else ""
    return (
        f"{value:g}{unit} is outside what {metric} can measure "
        f"({info.low:g} to {info.high:g}{unit}); check the sensor."
    )


def _problems(error: pydantic.ValidationError) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for item in error.errors(include_url=False):
        location = [str(part) for part in item.get("loc", ())]
        problems.setdefault(".".join(location) or "body", []).append(str(item.get("msg", "")))
    return problems
