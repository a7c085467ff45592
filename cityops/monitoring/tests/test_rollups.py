"""Readings that last: hourly and daily rollups, retention of raw readings, and (on PostgreSQL)
monthly partitions created ahead by the maintenance job."""

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import TruncHour

from cityops.monitoring import partitions, rollups
from cityops.monitoring.models import DailyReading, HourlyReading, PendingHour, Reading
from cityops.monitoring.payloads import Row
from cityops.monitoring.services import readings_store
from cityops.monitoring.tests.factories import SensorFactory

NOW = datetime(2026, 11, 20, 3, 30, tzinfo=UTC)  # 10:30 in Huế
HUE = ZoneInfo("Asia/Ho_Chi_Minh")
API = "/api/v1/sensors"

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="partitions exist on PostgreSQL only (SQLite keeps one table, expired in batches)",
)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _partitions_now():
    """The partitions the job would have created by ``NOW`` (the migration made them for the
    day the test database was created)."""
    partitions.partitions_ensure(now=NOW)


@pytest.fixture
def station():
    return SensorFactory(code="hue-aq-01", name="Đông Ba")


def rows_every(sensor, start, count, *, step=timedelta(minutes=10), metrics=("pm25", "pm10")):
    rng = random.Random(start.timestamp())
    return [
        Row(sensor.pk, sensor.code, metric, start + i * step, round(rng.uniform(5, 150), 1))
        for i in range(count)
        for metric in metrics
    ]


def direct_hourly():
    rows = (
        Reading.objects.annotate(hour=TruncHour("observed_at", tzinfo=UTC))
        .values_list("sensor_id", "metric", "hour")
        .annotate(n=Count("id"), total=Sum("value"), low=Min("value"), high=Max("value"))
    )
    return {(s, m, h): (n, pytest.approx(t), lo, hi) for s, m, h, n, t, lo, hi in rows}


def rolled_hourly():
    return {
        (r.sensor_id, r.metric, r.hour): (r.count, r.total, r.minimum, r.maximum)
        for r in HourlyReading.objects.all()
    }


def direct_daily():
    days = defaultdict(list)
    for sensor_id, metric, observed_at, value in Reading.objects.values_list(
        "sensor_id", "metric", "observed_at", "value"
    ):
        days[sensor_id, metric, observed_at.astimezone(HUE).date()].append(value)
    return {key: (len(v), pytest.approx(sum(v)), min(v), max(v)) for key, v in days.items()}


def rolled_daily():
    return {
        (r.sensor_id, r.metric, r.day): (r.count, r.total, r.minimum, r.maximum)
        for r in DailyReading.objects.all()
    }


def test_rollups_equal_a_direct_aggregate_with_late_readings_and_redelivered_duplicates(station):
    other = SensorFactory(code="hue-aq-02")
    start = NOW - timedelta(days=2, minutes=7)
    first = rows_every(station, start, 200) + rows_every(other, start, 150, metrics=("o3",))
    readings_store(rows=first)
    assert rollups.rollups_update().hours > 0
    assert PendingHour.objects.count() == 0
    # Redelivered (nothing new), then late readings for hours already rolled up, one of them
    # in another city day.
    readings_store(rows=first[:50])
    late = [
        Row(station.pk, station.code, "pm25", start + timedelta(minutes=3 + 10 * i), 99.0 + i)
        for i in range(0, 200, 7)
    ]
    readings_store(rows=late + first[100:120])
    assert {pending.sensor_id for pending in PendingHour.objects.all()} == {station.pk}
    rollups.rollups_update()

    assert rolled_hourly() == direct_hourly()
    assert rolled_daily() == direct_daily()
    assert sum(r.count for r in HourlyReading.objects.all()) == Reading.objects.count()


def history(client, resolution, start, end, **extra):
    query = {"from": start.isoformat(), "to": end.isoformat(), "resolution": resolution, **extra}
    text = "&".join(f"{k}={v}" for k, v in query.items()).replace("+", "%2B")
    response = client.get(f"{API}/hue-aq-01/readings?{text}")
    assert response.status_code == 200, response.content
    return response.json()["series"]


def answers(client):
    """What the history and AQI endpoints say about the last three days."""
    week_start = datetime(2026, 11, 17, tzinfo=HUE)
    return {
        "hour": history(client, "hour", week_start, datetime(2026, 11, 20, 12, tzinfo=HUE)),
        # Ranges that start and end within an hour and a day.
        "hour-partial": history(
            client, "hour", week_start + timedelta(minutes=25), week_start + timedelta(hours=30)
        ),
        "day": history(client, "day", week_start, datetime(2026, 11, 21, tzinfo=HUE)),
        "day-partial": history(
            client, "day", week_start + timedelta(hours=5), datetime(2026, 11, 20, 9, tzinfo=HUE)
        ),
        "aqi": [
            client.get(f"{API}/hue-aq-01/aqi?date=2026-11-{day}").json() for day in (18, 19, 20)
        ],
    }


def test_history_and_aqi_answer_the_same_from_rollups_as_from_raw_readings(api_client, station):
    readings_store(rows=rows_every(station, NOW - timedelta(days=3), 420))
    from_raw = answers(api_client)  # every hour still pending: read from raw readings
    assert from_raw["hour"]
    assert from_raw["aqi"][1]["daily"] is not None
    rollups.rollups_update()
    assert HourlyReading.objects.exists()
    assert answers(api_client) == from_raw


def test_a_late_reading_counts_at_once_and_after_the_job(api_client, station):
    readings_store(rows=rows_every(station, NOW - timedelta(hours=5), 20, metrics=("pm25",)))
    rollups.rollups_update()
    hour = datetime(2026, 11, 20, 7, tzinfo=HUE)
    before = history(api_client, "hour", hour, hour + timedelta(hours=1))[0]["points"][0]
    readings_store(rows=[Row(station.pk, station.code, "pm25", hour + timedelta(minutes=1), 500.0)])
    late = history(api_client, "hour", hour, hour + timedelta(hours=1))[0]["points"][0]
    assert late["count"] == before["count"] + 1
    assert late["max"] == 500.0
    rollups.rollups_update()
    assert history(api_client, "hour", hour, hour + timedelta(hours=1))[0]["points"][0] == late


def test_retention_drops_old_raw_readings_but_history_still_answers(api_client, station):
    old_start = NOW - timedelta(days=800)
    readings_store(rows=rows_every(station, old_start, 300))
    readings_store(rows=rows_every(station, NOW - timedelta(days=1), 30))
    day = old_start.astimezone(HUE).date() + timedelta(days=1)
    span = (datetime.combine(day, datetime.min.time(), HUE), None)
    span = (span[0], span[0] + timedelta(days=1))
    rollups.rollups_update()
    hourly, daily = history(api_client, "hour", *span), history(api_client, "day", *span)
    aqi = api_client.get(f"{API}/hue-aq-01/aqi?date={day}").json()
    assert hourly
    assert aqi["daily"] is not None

    call_command("readings", stdout=StringIO())  # the default: 730 days

    assert not Reading.objects.filter(observed_at__lt=NOW - timedelta(days=730)).exists()
    assert Reading.objects.filter(observed_at__gte=NOW - timedelta(days=1)).count() == 60
    assert history(api_client, "hour", *span) == hourly
    assert history(api_client, "day", *span) == daily
    assert api_client.get(f"{API}/hue-aq-01/aqi?date={day}").json() == aqi
    assert history(api_client, "raw", *span) == []  # raw detail is what goes


def test_retention_can_be_switched_off(settings, station):
    settings.CITYOPS_READINGS_RETENTION_DAYS = 0
    readings_store(rows=rows_every(station, NOW - timedelta(days=4000), 10))
    result = partitions.readings_maintain(now=NOW)
    assert result.expired is None
    assert Reading.objects.count() == 20


def test_the_retention_setting_decides_what_goes(settings, station):
    settings.CITYOPS_READINGS_RETENTION_DAYS = 10
    readings_store(rows=rows_every(station, NOW - timedelta(days=12), 6, step=timedelta(days=1)))
    partitions.readings_maintain(now=NOW)
    kept = sorted(Reading.objects.values_list("observed_at", flat=True).distinct())
    assert kept[0] >= NOW - timedelta(days=10 + 31)  # a partition goes whole, once past
    assert HourlyReading.objects.count() == 12  # 6 hours × 2 metrics, all kept


def test_readings_loaded_around_the_ingest_are_rolled_up_by_a_rebuild(station):
    Reading.objects.bulk_create(
        Reading(
            sensor=station,
            metric="pm25",
            observed_at=NOW - timedelta(minutes=m),
            value=float(m),
            received_at=NOW,
        )
        for m in range(1, 200)
    )
    assert rollups.rollups_update().hours == 0  # nothing marked them
    call_command(
        "readings",
        "--rebuild",
        (NOW - timedelta(days=1)).isoformat(),
        NOW.isoformat(),
        stdout=StringIO(),
    )
    assert rolled_hourly() == direct_hourly()
    assert rolled_daily() == direct_daily()


# PostgreSQL: partitions -------------------------------------------------------------------------


def partition_of(observed_at):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM monitoring_reading WHERE observed_at = %s",
            [observed_at],
        )
        return {name for (name,) in cursor.fetchall()}


@postgresql_only
def test_the_readings_table_is_partitioned_and_the_job_creates_months_ahead(settings):
    settings.CITYOPS_READINGS_PARTITIONS_AHEAD = 4
    assert partitions.is_partitioned()
    later = datetime(2027, 9, 15, tzinfo=UTC)
    created = partitions.partitions_ensure(now=later)
    names = set(partitions.partitions())
    expected = {
        f"monitoring_reading_p{m}" for m in ("2027_09", "2027_10", "2027_11", "2027_12", "2028_01")
    }
    assert expected <= names
    assert set(created) == expected
    assert partitions.partitions_ensure(now=later) == []  # idempotent
    assert "monitoring_reading_default" in names


@postgresql_only
def test_the_ingest_stores_once_into_the_partitions(station):
    rows = rows_every(station, NOW - timedelta(minutes=30), 3)
    assert len(readings_store(rows=rows).stored) == 6
    assert readings_store(rows=rows).stored == []  # ON CONFLICT on the partitioned table
    assert partition_of(rows[0].observed_at) == {"monitoring_reading_p2026_11"}


@postgresql_only
def test_a_backfill_from_years_ago_is_kept_and_moves_into_its_month_when_created(station):
    # The payload validation takes anything from 2000 on: no partition covers 2003.
    moment = datetime(2003, 5, 6, 7, 0, tzinfo=UTC)
    readings_store(rows=[Row(station.pk, station.code, "pm25", moment, 12.0)])
    assert partition_of(moment) == {"monitoring_reading_default"}
    assert partitions.partition_create(partitions.month_start(moment))
    assert partition_of(moment) == {"monitoring_reading_p2003_05"}
    assert Reading.objects.get(observed_at=moment).value == 12.0


@postgresql_only
def test_retention_drops_whole_old_partitions(settings, station):
    settings.CITYOPS_READINGS_RETENTION_DAYS = 730
    old = datetime(2024, 3, 10, tzinfo=UTC)
    partitions.partition_create(partitions.month_start(old))
    readings_store(rows=rows_every(station, old, 5))
    with connection.cursor() as cursor:  # the ingest commits; here the test's transaction
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # goes on, with the FK checks due
    result = partitions.readings_maintain(now=NOW)
    assert "monitoring_reading_p2024_03" in result.expired.partitions
    assert "monitoring_reading_p2024_03" not in partitions.partitions()
    assert not Reading.objects.filter(observed_at__lt=datetime(2024, 4, 1, tzinfo=UTC)).exists()
    assert HourlyReading.objects.filter(hour__lt=datetime(2024, 4, 1, tzinfo=UTC)).count() == 2
