"""Hourly and daily rollups of the readings: how history stays fast and outlives raw readings.

Each (sensor, metric, hour) and (sensor, metric, day) has its count, total, minimum and maximum
(``HourlyReading``, ``DailyReading``), enough for every chart and VN_AQI: hourly means, a
day's mean of hourly means, the largest hourly mean, the NowCast.

Kept up to date incrementally: the ingest adds the (sensor, hour) of each batch's new readings
to ``PendingHour`` (one cheap insert), and the rollup job recomputes exactly those hours from the
raw readings, then their days from the hours. Late readings and redelivered duplicates need
nothing special: a duplicate is never new, a late reading marks its old hour again.

Reads (``hourly_summaries``, ``daily_summaries``) take the rollups, except for hours still
pending and for the partial hours at either end of a range, which come from the raw readings:
the answer is the same as a query of the raw readings alone, as long as they are kept.

Hours are whole hours of UTC, which are whole hours of the city too (Asia/Ho_Chi_Minh is UTC+7);
days are the city's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncHour

from cityops.monitoring.choices import METRIC_RANGES, OTHER_RANGE, metric_range
from cityops.monitoring.hooks import StoredReading
from cityops.monitoring.models import DailyReading, HourlyReading, PendingHour, Reading

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
_PENDING = PendingHour._meta.db_table
_RANGES_PER_QUERY = 200  # OR-ed (sensor, time range) conditions in one raw query
UPSERT_BATCH = 2000
MEAN_DECIMALS = 9


def in_physical_range(metrics: Iterable[str] | None = None) -> Q:
    """Readings (or latest values) whose value lies in their metric's physical range, for
    ``metrics`` or for any metric. NaN and infinities fall outside on both databases."""
    codes = sorted(set(METRIC_RANGES if metrics is None else metrics))
    condition = Q(pk__in=[])  # nothing, for no metric
    for code in codes:
        low, high = metric_range(code)
        condition |= Q(metric=code, value__gte=low, value__lte=high)
    if metrics is None:
        low, high = OTHER_RANGE
        condition |= Q(~Q(metric__in=codes), value__gte=low, value__lte=high)
    return condition


def city_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def floor_hour(moment: datetime) -> datetime:
    return datetime.fromtimestamp(int(moment.timestamp()) // 3600 * 3600, UTC)


def ceil_hour(moment: datetime) -> datetime:
    start = floor_hour(moment)
    return start if start == moment else start + HOUR


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=city_tz())


def city_day(moment: datetime) -> date:
    return moment.astimezone(city_tz()).date()


@dataclass(frozen=True)
class Summary:
    """Count, total, minimum and maximum of some readings of one metric."""

    count: int
    total: float
    minimum: float
    maximum: float

    @property
    def mean(self) -> float:
        # Rounded: a float sum depends on the order the database adds the values in (its
        # plan), and the same hour should not read 57.85 from one query and
        # 57.849999999999994 from another. Nine decimals keep every sensor's precision.
        return round(self.total / self.count, MEAN_DECIMALS)

    def __add__(self, other: Summary) -> Summary:
        return Summary(
            self.count + other.count,
            self.total + other.total,
            min(self.minimum, other.minimum),
            max(self.maximum, other.maximum),
        )


K = TypeVar("K")
HourKey = tuple[int, str, datetime]  # sensor id, metric, hour start (UTC)
DayKey = tuple[int, str, date]  # sensor id, metric, city day


# Writes -----------------------------------------------------------------------------------------


def pending_mark(readings: Sequence[StoredReading]) -> None:
    """Note the (sensor, hour) of new readings for the rollup job (inside the ingest's
    transaction, so the note commits with the readings)."""
    if not readings:
        return
    pairs = {(r.sensor_id, int(r.observed_at.timestamp()) // 3600) for r in readings}
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = []
    for sensor_id, hour in pairs:
        params += [sensor_id, adapt(datetime.fromtimestamp(hour * 3600, UTC))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_PENDING} (sensor_id, hour) VALUES "  # noqa: S608
            + ",".join(["(%s,%s)"] * len(pairs)),
            params,
        )


@dataclass(frozen=True)
class RollupResult:
    hours: int  # (sensor, hour) pairs recomputed
    days: int  # (sensor, day) pairs recomputed


def rollups_update() -> RollupResult:
    """Recompute the pending hours and their days (the rollup job).

    The pending rows are deleted first, in the same transaction: a row can only be seen once
    the ingest's transaction that wrote it (and its readings) committed, so every reading the
    recomputation needs is visible, and a row committed meanwhile stays for the next run.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_PENDING} RETURNING sensor_id, hour")  # noqa: S608
        pairs = {(sensor_id, _aware(hour)) for sensor_id, hour in cursor.fetchall()}
        if not pairs:
            return RollupResult(0, 0)
        by_sensor: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        for sensor_id, hour in sorted(pairs):
            _extend(by_sensor[sensor_id], hour, hour + HOUR)
        _hours_recompute(by_sensor)
        days = {(sensor_id, city_day(hour)) for sensor_id, hour in pairs}
        _days_recompute(days)
    return RollupResult(hours=len(pairs), days=len(days))


def rollups_rebuild(*, start: datetime, end: datetime, sensor_ids: Sequence[int] = ()) -> int:
    """Recompute every rollup of [start, end) (whole hours; days touched are redone whole):
    for raw readings loaded without the ingest, e.g. a bulk import. Month by month, inside
    PostgreSQL there (``INSERT … SELECT``); returns the hourly rows written."""
    written = 0
    low = floor_hour(start)
    while low < end:
        high = min(ceil_hour(end), low + 31 * DAY)
        with transaction.atomic():
            readings = Reading.objects.filter(observed_at__gte=low, observed_at__lt=high)
            if sensor_ids:
                readings = readings.filter(sensor_id__in=list(sensor_ids))
            if connection.vendor == "postgresql":
                written += _hours_write_in_database(readings)
                _days_write_in_database(low, high, sensor_ids)
            else:
                written += _hours_write(readings)
                rolled = HourlyReading.objects.filter(hour__gte=low, hour__lt=high)
                if sensor_ids:
                    rolled = rolled.filter(sensor_id__in=list(sensor_ids))
                days = set(rolled.values_list("sensor_id", "hour").distinct())
                _days_recompute({(sensor_id, city_day(hour)) for sensor_id, hour in days})
        low = high
    return written


_UPSERT = (
    "ON CONFLICT (sensor_id, {period}, metric) DO UPDATE SET count = excluded.count, "
    "total = excluded.total, minimum = excluded.minimum, maximum = excluded.maximum"
)


def _hours_write_in_database(readings: QuerySet[Reading]) -> int:
    sql, params = _hourly_query(readings).query.sql_with_params()
    with connection.cursor() as cursor:
        statement = (
            f"INSERT INTO {HourlyReading._meta.db_table} "  # noqa: S608
            "(sensor_id, metric, hour, count, total, minimum, maximum) "
            f"SELECT * FROM ({sql}) hours "
        )
        cursor.execute(statement + _UPSERT.format(period="hour"), params)
        return cursor.rowcount


def _days_write_in_database(low: datetime, high: datetime, sensor_ids: Sequence[int]) -> None:
    """The daily rollups of every city day that [low, high) touches, from the hourly ones."""
    first, last = city_day(low), city_day(high - timedelta(microseconds=1)) + DAY
    only = "AND sensor_id = ANY(%s)" if sensor_ids else ""
    params: list[Any] = [settings.TIME_ZONE, day_start(first), day_start(last)]
    if sensor_ids:
        params.append(list(sensor_ids))
    with connection.cursor() as cursor:
        statement = (
            f"INSERT INTO {DailyReading._meta.db_table} "  # noqa: S608
            "(sensor_id, metric, day, count, total, minimum, maximum) "
            "SELECT sensor_id, metric, (hour AT TIME ZONE %s)::date, sum(count), sum(total), "
            f"min(minimum), max(maximum) FROM {HourlyReading._meta.db_table} "
            f"WHERE hour >= %s AND hour < %s {only} GROUP BY 1, 2, 3 "
        )
        cursor.execute(statement + _UPSERT.format(period="day"), params)


def _extend(ranges: list[tuple[datetime, datetime]], low: datetime, high: datetime) -> None:
    """Append [low, high) to sorted ``ranges``, merging it with the last one if they touch."""
    if ranges and ranges[-1][1] >= low:
        ranges[-1] = (ranges[-1][0], max(ranges[-1][1], high))
    else:
        ranges.append((low, high))


def _range_conditions(by_sensor: dict[int, list[tuple[datetime, datetime]]], field: str) -> list[Q]:
    conditions = [
        Q(sensor_id=sensor_id, **{f"{field}__gte": low, f"{field}__lt": high})
        for sensor_id, ranges in sorted(by_sensor.items())
        for low, high in ranges
    ]
    chunks = []
    for start in range(0, len(conditions), _RANGES_PER_QUERY):
        chunk = Q(pk__in=[])
        for condition in conditions[start : start + _RANGES_PER_QUERY]:
            chunk |= condition
        chunks.append(chunk)
    return chunks


def _hours_recompute(by_sensor: dict[int, list[tuple[datetime, datetime]]]) -> None:
    for condition in _range_conditions(by_sensor, "observed_at"):
        _hours_write(Reading.objects.filter(condition))


def _hours_write(readings: QuerySet[Reading]) -> int:
    """Upsert the hourly rollups of ``readings`` (a Reading queryset); an hour whose raw
    readings are gone keeps its rollup."""
    rows = [
        HourlyReading(sensor_id=s, metric=m, hour=h, **vars(summary))
        for (s, m, h), summary in _aggregate_hourly(readings).items()
    ]
    HourlyReading.objects.bulk_create(
        rows,
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["sensor", "metric", "hour"],
        update_fields=["count", "total", "minimum", "maximum"],
    )
    return len(rows)


def _hourly_query(
    readings: QuerySet[Reading], metrics: Sequence[str] | None = None
) -> QuerySet[Reading, tuple[int, str, datetime, int, float, float, float]]:
    return (
        readings.filter(in_physical_range(metrics))
        .annotate(bucket=TruncHour("observed_at", tzinfo=UTC))
        .values_list("sensor_id", "metric", "bucket")
        .annotate(n=Count("id"), total=Sum("value"), low=Min("value"), high=Max("value"))
        .order_by()
    )


def _aggregate_hourly(
    readings: QuerySet[Reading], metrics: Sequence[str] | None = None
) -> dict[HourKey, Summary]:
    return {
        (sensor_id, metric, _aware(bucket)): Summary(n, total, low, high)
        for sensor_id, metric, bucket, n, total, low, high in _hourly_query(readings, metrics)
    }


def _days_recompute(days: set[tuple[int, date]]) -> None:
    """Sum each (sensor, day)'s hourly rollups into its daily ones."""
    if not days:
        return
    by_sensor: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for sensor_id, day in sorted(days):
        _extend(by_sensor[sensor_id], day_start(day), day_start(day + DAY))
    summed: dict[DayKey, Summary] = {}
    for condition in _range_conditions(by_sensor, "hour"):
        hourly = HourlyReading.objects.filter(condition).order_by("hour")
        for row in hourly.values_list(
            "sensor_id", "metric", "hour", "count", "total", "minimum", "maximum"
        ):
            sensor_id, metric, hour, n, total, low, high = row
            _add(summed, (sensor_id, metric, city_day(hour)), Summary(n, total, low, high))
    DailyReading.objects.bulk_create(
        [DailyReading(sensor_id=s, metric=m, day=d, **vars(v)) for (s, m, d), v in summed.items()],
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["sensor", "metric", "day"],
        update_fields=["count", "total", "minimum", "maximum"],
    )


def _add(into: dict[K, Summary], key: K, summary: Summary) -> None:
    into[key] = into[key] + summary if key in into else summary


def _aware(value: datetime | str) -> datetime:
    """A timestamp from the database as an aware UTC datetime (SQLite hands back naive UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Reads ------------------------------------------------------------------------------------------


def hourly_summaries(
    *,
    sensor_ids: Sequence[int],
    metrics: Sequence[str] | None,
    start: datetime,
    end: datetime,
    limit: int | None = None,
) -> dict[HourKey, Summary]:
    """Per (sensor, metric, hour start) the readings in [start, end), as a query of the raw
    readings would sum them up: rollups for whole hours that are not pending, raw readings for
    the rest. ``metrics`` None: every metric. ``limit`` caps the rollup rows read."""
    sensor_ids = list(sensor_ids)
    low, high = ceil_hour(start), floor_hour(end)
    raw_ranges = [(start, end)] if low >= high else [(start, low), (high, end)]
    raw_ranges = [(a, b) for a, b in raw_ranges if a < b]
    result: dict[HourKey, Summary] = {}
    pending: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    if low < high:
        rolled = HourlyReading.objects.filter(
            sensor_id__in=sensor_ids, hour__gte=low, hour__lt=high
        )
        if metrics is not None:
            rolled = rolled.filter(metric__in=list(metrics))
        rows = rolled.order_by().values_list(
            "sensor_id", "metric", "hour", "count", "total", "minimum", "maximum"
        )
        for sensor_id, metric, hour, n, total, smallest, largest in rows[:limit] if limit else rows:
            result[sensor_id, metric, _aware(hour)] = Summary(n, total, smallest, largest)
        marks = PendingHour.objects.filter(
            sensor_id__in=sensor_ids, hour__gte=low, hour__lt=high
        ).values_list("sensor_id", "hour")
        for sensor_id, hour in sorted({(s, _aware(h)) for s, h in marks}):
            _extend(pending[sensor_id], hour, hour + HOUR)
    if pending:
        for key in [key for key in result if _in_ranges(pending.get(key[0], ()), key[2])]:
            del result[key]
    for sensor_id in sensor_ids:
        for a, b in raw_ranges:
            pending[sensor_id].append((a, b))
    readings = Reading.objects.all()
    if metrics is not None:
        readings = readings.filter(metric__in=list(metrics))
    for condition in _range_conditions(pending, "observed_at"):
        result.update(_aggregate_hourly(readings.filter(condition), metrics))
    return result


def _in_ranges(ranges: Iterable[tuple[datetime, datetime]], moment: datetime) -> bool:
    return any(low <= moment < high for low, high in ranges)


def daily_summaries(
    *, sensor_ids: Sequence[int], metrics: Sequence[str] | None, start: datetime, end: datetime
) -> dict[DayKey, Summary]:
    """Per (sensor, metric, city day) the readings in [start, end): daily rollups for whole
    days without pending hours, hourly summaries for the rest."""
    sensor_ids = list(sensor_ids)
    first, last = city_day(start), city_day(end)
    low_day = first if day_start(first) == start else first + DAY
    result: dict[DayKey, Summary] = {}
    partial = [(start, end)]
    if low_day < last:
        low, high = day_start(low_day), day_start(last)
        partial = [(start, low), (high, end)]
        rolled = DailyReading.objects.filter(
            sensor_id__in=sensor_ids, day__gte=low_day, day__lt=last
        )
        if metrics is not None:
            rolled = rolled.filter(metric__in=list(metrics))
        rows = rolled.order_by().values_list(
            "sensor_id", "metric", "day", "count", "total", "minimum", "maximum"
        )
        for sensor_id, metric, day, n, total, smallest, largest in rows:
            result[sensor_id, metric, day] = Summary(n, total, smallest, largest)
        marks = PendingHour.objects.filter(sensor_id__in=sensor_ids, hour__gte=low, hour__lt=high)
        stale = {(s, city_day(_aware(h))) for s, h in marks.values_list("sensor_id", "hour")}
        for key in [key for key in result if (key[0], key[2]) in stale]:
            del result[key]
        for sensor_id, day in sorted(stale):
            hours = hourly_summaries(
                sensor_ids=[sensor_id],
                metrics=metrics,
                start=day_start(day),
                end=day_start(day + DAY),
            )
            _fold_days(result, hours)
    for a, b in partial:
        if a < b:
            _fold_days(
                result, hourly_summaries(sensor_ids=sensor_ids, metrics=metrics, start=a, end=b)
            )
    return result


def _fold_days(into: dict[DayKey, Summary], hours: dict[HourKey, Summary]) -> None:
    for (sensor_id, metric, hour), summary in sorted(hours.items(), key=lambda item: item[0][2]):
        _add(into, (sensor_id, metric, city_day(hour)), summary)
