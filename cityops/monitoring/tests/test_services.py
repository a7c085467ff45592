"""Storing readings: once per (sensor, metric, time), the latest values, the hooks, the registry."""

from datetime import UTC, datetime, timedelta

import pytest

from cityops.monitoring import hooks
from cityops.monitoring.models import LatestReading, Reading, Sensor
from cityops.monitoring.payloads import Row
from cityops.monitoring.services import (
    readings_ingest,
    readings_store,
    sensor_create,
    sensor_update,
    sensors_seed_demo,
)
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotFound

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def rows(sensor, *values, metric="pm25", start=T0):
    return [
        Row(sensor.pk, sensor.code, metric, start + timedelta(minutes=i), v)
        for i, v in enumerate(values)
    ]


def test_a_batch_is_stored_and_the_same_batch_again_stores_nothing():
    sensor = SensorFactory()
    first = readings_store(rows=rows(sensor, 10, 11, 12))
    again = readings_store(rows=rows(sensor, 10, 11, 12))
    assert (len(first.stored), first.duplicates) == (3, 0)
    assert (len(again.stored), again.duplicates) == (0, 3)
    assert Reading.objects.count() == 3


def test_duplicates_inside_one_batch_are_stored_once():
    sensor = SensorFactory()
    batch = rows(sensor, 10) + rows(sensor, 99)  # same time, same metric
    result = readings_store(rows=batch)
    assert len(result.stored) == 1
    assert list(Reading.objects.values_list("value", flat=True)) == [10]


def test_the_same_time_for_another_metric_or_sensor_is_a_new_reading():
    a, b = SensorFactory(), SensorFactory()
    readings_store(rows=rows(a, 10) + rows(a, 20, metric="pm10") + rows(b, 30))
    assert Reading.objects.count() == 3


def test_an_instant_in_another_offset_is_the_same_instant():
    sensor = SensorFactory()
    readings_store(rows=rows(sensor, 10))
    local = T0.astimezone(datetime.now().astimezone().tzinfo)
    result = readings_store(rows=[Row(sensor.pk, sensor.code, "pm25", local, 10)])
    assert result.stored == []


def test_latest_moves_forward_and_never_back():
    sensor = SensorFactory()
    readings_store(rows=rows(sensor, 10, 11, 12))
    readings_store(rows=rows(sensor, 5, start=T0 - timedelta(hours=1)))  # late history
    latest = LatestReading.objects.get(sensor=sensor, metric="pm25")
    assert (latest.value, latest.observed_at) == (12, T0 + timedelta(minutes=2))


def test_storing_marks_the_sensor_seen():
    sensor = SensorFactory()
    moment = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    readings_store(rows=rows(sensor, 10), received_at=moment)
    sensor.refresh_from_db()
    assert sensor.last_seen_at == moment


def test_hooks_get_only_new_readings_after_the_commit(django_capture_on_commit_callbacks):
    sensor = SensorFactory()
    got, seen = [], []
    unregister = hooks.readings_stored_register(got.append)
    unregister_seen = hooks.sensor_seen_register(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            readings_store(rows=rows(sensor, 10, 11))
        with django_capture_on_commit_callbacks(execute=True):
            readings_store(rows=rows(sensor, 10, 11, 12))
    finally:
        unregister()
        unregister_seen()
    assert [len(batch) for batch in got] == [2, 1]
    third = got[1][0]
    assert (third.sensor_code, third.metric, third.value) == (sensor.code, "pm25", 12)
    assert third.observed_at == T0 + timedelta(minutes=2)
    assert [[s.sensor_code for s in batch] for batch in seen] == [[sensor.code], [sensor.code]]


def test_a_failing_hook_does_not_stop_the_others(django_capture_on_commit_callbacks):
    sensor = SensorFactory()
    got = []

    def broken(readings):
        raise RuntimeError("rule bug")

    unregister_broken = hooks.readings_stored_register(broken)
    unregister = hooks.readings_stored_register(got.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            readings_store(rows=rows(sensor, 10))
    finally:
        unregister_broken()
        unregister()
    assert len(got) == 1


def test_http_ingest_refuses_an_unknown_sensor():
    with pytest.raises(NotFound):
        readings_ingest(code="nope", payload=b'{"observed_at": "2026-11-20T08:00:00+07:00"}')


def test_http_ingest_refuses_an_inactive_sensor():
    sensor = SensorFactory(is_active=False)
    payload = b'{"observed_at": "2026-11-20T08:00:00+07:00", "values": {"pm25": 1}}'
    with pytest.raises(Conflict):
        readings_ingest(code=sensor.code, payload=payload)


def test_http_ingest_stores_nothing_when_one_value_is_undeclared():
    sensor = SensorFactory()
    payload = b'{"observed_at": "2026-11-20T08:00:00+07:00", "values": {"pm25": 1, "dust": 2}}'
    with pytest.raises(InvalidInput) as refused:
        readings_ingest(code=sensor.code, payload=payload)
    assert "values.dust" in refused.value.fields
    assert Reading.objects.count() == 0


@pytest.mark.parametrize(
    ("observed_at", "field"),
    [
        ("2026-11-20T08:00:00", "observed_at"),  # no offset
        ("1970-01-01T00:00:00+00:00", "observed_at"),  # a reset clock
        ("2999-01-01T00:00:00+00:00", "observed_at"),  # the future
    ],
)
def test_http_ingest_refuses_impossible_times(observed_at, field):
    sensor = SensorFactory()
    payload = f'{{"observed_at": "{observed_at}", "values": {{"pm25": 1}}}}'
    with pytest.raises(InvalidInput) as refused:
        readings_ingest(code=sensor.code, payload=payload)
    assert field in refused.value.fields


def test_a_new_sensor_gets_its_kinds_metrics():
    sensor = sensor_create(
        code="hue-wl-99", name="Mực nước", kind="water_level", lat=16.4, lon=107.6
    )
    assert sensor.metrics == [{"code": "water_level", "unit": "m", "label": "Water level"}]


def test_a_sensor_code_is_unique_and_well_formed():
    sensor_create(code="hue-aq-99", name="A", kind="air_quality", lat=16.4, lon=107.6)
    with pytest.raises(Conflict):
        sensor_create(code="hue-aq-99", name="B", kind="air_quality", lat=16.4, lon=107.6)
    with pytest.raises(InvalidInput) as refused:
        sensor_create(code="Bad Code", name="", kind="toaster", lat=91, lon=0)
    assert set(refused.value.fields) == {"code", "name", "kind", "lat"}


def test_updating_metrics_changes_what_is_accepted():
    sensor = SensorFactory()
    sensor_update(
        sensor=sensor, metrics=["pm25", {"code": "noise", "unit": "dB", "label": "Noise"}]
    )
    payload = b'{"observed_at": "2026-11-20T08:00:00+07:00", "values": {"noise": 61}}'
    with clock.frozen_at(T0 + timedelta(days=1)):
        result = readings_ingest(code=sensor.code, payload=payload)
    assert len(result.stored) == 1


def test_the_demo_seed_registers_labelled_simulated_stations_with_history():
    with clock.frozen_at(datetime(2026, 11, 20, 5, 0, tzinfo=UTC)):
        counts = sensors_seed_demo(backfill_hours=3)
        again = sensors_seed_demo(backfill_hours=3)
    simulated = Sensor.objects.filter(is_simulated=True)
    assert simulated.count() == counts["simulated_sensors"] >= 20
    assert simulated.filter(kind="camera").count() == 3
    assert all(s.name.endswith("(mô phỏng)") for s in simulated)
    assert counts["readings"] > 0
    assert (again["sensors_created"], again["readings"]) == (0, 0)
    assert not Reading.objects.filter(sensor__kind="camera").exists()
