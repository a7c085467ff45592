"""Fixtures for the alerts tests: sensors, a clean rule engine, the events published."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from cityops.alerts.rules import evaluator
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.hooks import SensorSeen, StoredReading
from cityops.monitoring.models import Reading, Sensor
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform.events import Event, subscribe

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 08:00 in Huế


@pytest.fixture(autouse=True)
def _fresh_engine():
    """The rule engine and the cache outlive a test; every test starts from nothing."""
    cache.clear()
    evaluator.reset()
    yield
    evaluator.reset()
    cache.clear()


@pytest.fixture
def station(db) -> Sensor:
    return SensorFactory(code="hue-aq-01", name="Trạm Lê Lợi", kind=SensorKind.AIR_QUALITY)


@pytest.fixture
def gauge(db) -> Sensor:
    return SensorFactory(
        code="hue-wl-01", name="Trạm đo mực nước Phú Ốc", kind=SensorKind.WATER_LEVEL
    )


@pytest.fixture
def fire_panel(db) -> Sensor:
    return SensorFactory(
        code="hue-fire-01", name="Tủ báo cháy Chợ Đông Ba", kind=SensorKind.FIRE_ALARM
    )


@pytest.fixture
def camera(db) -> Sensor:
    return SensorFactory(
        code="hue-cam-01",
        name="Camera cầu Trường Tiền",
        kind=SensorKind.CAMERA,
        lat=16.4683,
        lon=107.5885,
    )


Feed = Callable[..., list[StoredReading]]


@pytest.fixture
def feed() -> Feed:
    """``feed(sensor, metric, [(minutes after T0, value), ...])``: store readings and run the
    ingest's hook on them, as the worker does after its batch commits."""

    def run(
        sensor: Sensor, metric: str, points: list[tuple[float, float]], *, store: bool = True
    ) -> list[StoredReading]:
        readings = [
            StoredReading(sensor.pk, sensor.code, metric, T0 + timedelta(minutes=m), value)
            for m, value in points
        ]
        if store:
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
        evaluator.sensors_seen([SensorSeen(sensor.pk, sensor.code, readings[-1].observed_at)])
        evaluator.readings_stored(readings)
        return readings

    return run


@pytest.fixture
def published() -> Iterator[list[Event]]:
    """Every event published during the test (after commit, as subscribers see them)."""
    seen: list[Event] = []
    unsubscribe = subscribe(seen.append)
    yield seen
    unsubscribe()
