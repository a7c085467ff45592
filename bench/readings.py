"""Readings that last: history reads and ingest on a readings table holding years of data.

``.venv/bin/python bench/readings.py [--readings 50000000] [--years 4] [--samples 300] [--reuse]``
(``--readings 2000000 --years 0.16`` for a quick look at the same density). Needs PostgreSQL at
``PG_URL`` (default postgres://postgres@127.0.0.1:5432/cityops). Works in its own database
``cityops_bench_readings``, kept after the run; ``--reuse`` skips the load when that database
already holds the requested data and only measures (a few minutes). The ingest's empty table is
a second database, ``cityops_bench_readings_empty``, made afresh each run.

1. 40 air-quality stations × 6 metrics (pm25, pm10, o3, co, no2, so2); ``--readings`` values
   spread evenly over ``--years`` up to now (50 million over 4 years: one per station and metric
   every 605 s, about 10 minutes — one a minute would be 505 million). Loaded month by month by
   binary ``COPY … FREEZE`` straight into each monthly partition of ``monitoring_reading``, with
   the table's keys and indexes dropped and made again after the load (same definitions, as the
   migration does) and the foreign-key triggers off (the sensors are the bench's own).
2. The hourly rollups with the rollup job's own query (``rollups._hourly_query``), one
   ``INSERT … SELECT`` per partition written hour by hour as the job writes them, keys made
   after; the daily ones by the rebuild's statement (``rollups._days_write_in_database``);
   ``VACUUM ANALYZE`` once.
3. Reads through the selectors the API uses, at random stations and times over the whole span:
   a station's week of hourly values (``readings_history(resolution="hour")``, 6 metrics ×
   168 hours) and a day's VN_AQI (``sensor_aqi_day``: daily and 24 hourly values, NowCast).
   p50 and p95 in ms.
4. Ingest: batches of 996 values (166 station-moments × 6 metrics, about 3 minutes of the city)
   through ``readings_store`` into the full table and into the empty one, alternating over
   ``--rounds`` rounds (which goes first alternates too); each round's median, then the median
   of the rounds and of the rounds' ratios. The batches stored in the full table are deleted
   afterwards, so the next ``--reuse`` finds it as loaded.

Writes ``bench/results/readings.json`` with the machine, the load average as it went, every
phase's duration, the database's size and the disk left.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from lib.machine import command_version, loadavg, machine

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "readings.json"
DATABASE = "cityops_bench_readings"
EMPTY_DATABASE = f"{DATABASE}_empty"
META = "bench_readings_loaded"  # one row: what the load put in, for --reuse
STATIONS = 40
METRICS = ("pm25", "pm10", "o3", "co", "no2", "so2")
TYPICAL = {"pm25": 35.0, "pm10": 60.0, "o3": 80.0, "co": 3000.0, "no2": 40.0, "so2": 20.0}
GOAL_P95_MS = 100.0
INGEST_BATCH = 1000
COPY_MOMENTS = 2000  # moments per COPY chunk: 480,000 rows, about 33 MB
PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
WORKERS = 3  # connections loading and rolling up months at once
SESSION = ("SET maintenance_work_mem = '1GB'", "SET work_mem = '256MB'")


class Clock:
    """Phase durations in seconds, and the load average whenever a phase begins."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.phases: dict[str, float] = {}
        self.load: dict[str, list[float]] = {"start": loadavg()}
        self._mark = self.began

    def start(self, phase: str) -> None:
        self.load[phase] = loadavg()
        self._mark = time.perf_counter()

    def stop(self, phase: str) -> None:
        self.phases[phase] = round(time.perf_counter() - self._mark, 1)
        print(f"{phase}: {self.phases[phase]} s (load {self.load.get(phase)})", file=sys.stderr)


# Databases --------------------------------------------------------------------------------------


def _admin(pg_url: str) -> Any:
    import psycopg

    base = pg_url.rpartition("/")[0]
    return psycopg.connect(f"{base}/postgres", autocommit=True)


def _database_create(pg_url: str, name: str) -> None:
    with _admin(pg_url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def _loaded(pg_url: str) -> dict[str, Any] | None:
    """What the last complete load put in the bench's database, None if nothing."""
    import psycopg

    with _admin(pg_url) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if found.fetchone() is None:
            return None
    with psycopg.connect(f"{pg_url.rpartition('/')[0]}/{DATABASE}") as conn:
        if conn.execute("SELECT to_regclass(%s)", [META]).fetchone() == (None,):
            return None
        row = conn.execute(f"SELECT loaded FROM {META}").fetchone()  # noqa: S608
    return row[0] if row else None


def _use(name: str) -> None:
    """Point Django's default connection at database ``name`` (a new session)."""
    from django.db import connection

    connection.close()
    # The pool (cityops.settings) keeps connections to the database it was made for.
    connection.close_pool()  # type: ignore[attr-defined]
    connection.settings_dict["NAME"] = name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _sensors_create() -> list[Any]:
    from cityops.monitoring.choices import SensorKind, metrics_of_kind
    from cityops.monitoring.models import Sensor

    return [
        Sensor.objects.create(
            code=f"bench-aq-{i:02d}",
            name=f"Bench station {i}",
            kind=SensorKind.AIR_QUALITY,
            lat=16.46,
            lon=107.59,
            metrics=metrics_of_kind(SensorKind.AIR_QUALITY),
        )
        for i in range(STATIONS)
    ]


def _sensors() -> list[Any]:
    from cityops.monitoring.models import Sensor

    return list(Sensor.objects.filter(code__startswith="bench-aq-").order_by("code"))


# The load ---------------------------------------------------------------------------------------

Month = tuple[date, datetime, datetime]  # a UTC month, its start and its end


def _per_month(dsn: str, months: list[Month], work: Callable[[Any, Month], int]) -> int:
    """``work(connection, month)`` for every month, in a transaction each, on ``WORKERS``
    connections at once (on a shared machine, more processes get more of its cores); the sum
    of what it answered. The foreign-key triggers are off: the sensors are the bench's own."""
    import psycopg

    local = threading.local()
    opened: list[Any] = []

    def run(month: Month) -> int:
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(dsn)
            opened.append(local.conn)
            for statement in (*SESSION, "SET session_replication_role = replica"):
                local.conn.execute(statement)
            local.conn.commit()
        with local.conn.transaction():
            return work(local.conn, month)

    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            return sum(pool.map(run, months))
    finally:
        for conn in opened:
            conn.close()


def _keys_drop(cursor: Any, table: str) -> list[str]:
    """Drop ``table``'s primary key, unique constraints and other indexes; the statements that
    make them again, as they were (the foreign keys stay)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u') ORDER BY contype DESC",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass AND NOT "
        "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
        "AND k.conrelid = i.indrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [f"ALTER TABLE {table} ADD CONSTRAINT {name} {d}" for name, d in constraints] + [
        definition for _name, definition in indexes
    ]


def _rows_binary(
    sensor_ids: np.ndarray, first: int, stop: int, start_us: int, step_us: int, noise: np.ndarray
) -> bytes:
    """Moments ``first`` … ``stop - 1`` of every station and metric in COPY's binary format,
    in the order the stations send them (moment, station, metric). Reading ``k`` (from 0 at the
    first moment) has id k + 1 and the value its metric's typical one × noise[k % len(noise)]."""
    moments = np.arange(first, stop, dtype=np.int64)[:, None]
    per_moment = len(sensor_ids) * len(METRICS)
    observed = start_us + moments * step_us
    parts = []
    for m, metric in enumerate(METRICS):
        name = metric.encode()
        fields: list[tuple[str, str]] = [("n", ">i2")]
        kinds = {"id": ">i8", "sensor": ">i8", "metric": f"S{len(name)}"}
        kinds |= {"observed": ">i8", "value": ">f8", "received": ">i8"}
        for field, kind in kinds.items():
            fields += [(f"{field}_len", ">i4"), (field, kind)]
        dtype = np.dtype(fields)
        rows = np.empty((len(moments), len(sensor_ids)), dtype)
        rows["n"] = 6
        for field in ("id", "sensor", "observed", "value", "received"):
            rows[f"{field}_len"] = 8
        rows["metric_len"], rows["metric"] = len(name), name
        k = moments * per_moment + np.arange(len(sensor_ids))[None, :] * len(METRICS) + m
        rows["id"] = k + 1
        rows["sensor"] = sensor_ids[None, :]
        rows["observed"] = rows["received"] = observed
        rows["value"] = np.round(TYPICAL[metric] * noise[k % len(noise)], 1)
        parts.append(rows.view(np.uint8).reshape(len(moments), len(sensor_ids), dtype.itemsize))
    return np.concatenate(parts, axis=2).tobytes()


def _months(start: datetime, end: datetime) -> Iterator[tuple[date, datetime, datetime]]:
    """The UTC months [start, end) touches, with their bounds."""
    from cityops.monitoring import partitions

    month = partitions.month_start(start)
    while datetime.combine(month, datetime.min.time(), UTC) < end:
        following = partitions.next_month(month)
        yield (
            month,
            datetime.combine(month, datetime.min.time(), UTC),
            datetime.combine(following, datetime.min.time(), UTC),
        )
        month = following


def _load(
    clock: Clock, dsn: str, sensors: list[Any], start: datetime, step_s: int, steps: int
) -> int:
    """COPY every reading into its monthly partition, then make the keys; the rows loaded."""
    from django.db import connection

    from cityops.monitoring import partitions

    end = start + timedelta(seconds=step_s * steps)
    months = list(_months(start, end))
    for month, _low, _high in months:
        partitions.partition_create(month)
    partitions.partitions_ensure(now=end)
    rng = random.Random(16)
    noise = np.array([rng.uniform(0.5, 1.5) for _ in range(4093)])
    sensor_ids = np.array([s.pk for s in sensors], dtype=np.int64)
    start_us = int((start - PG_EPOCH).total_seconds()) * 1_000_000
    step_us = step_s * 1_000_000

    def copy_month(conn: Any, month: Month) -> int:
        first = max(0, -(-int((month[1] - start).total_seconds()) // step_s))
        stop = min(steps, -(-int((month[2] - start).total_seconds()) // step_s))
        if first >= stop:
            return 0
        name = partitions.partition_name(month[0])
        # FREEZE (the partition emptied in the same transaction): written visible to all, so
        # VACUUM need not rewrite 50 million rows' hint bits.
        conn.execute(f"TRUNCATE {name}")
        with conn.cursor().copy(
            f"COPY {name} (id, sensor_id, metric, observed_at, value, received_at) "
            "FROM STDIN (FORMAT binary, FREEZE)"
        ) as copy:
            copy.write(COPY_SIGNATURE)
            for chunk in range(first, stop, COPY_MOMENTS):
                last = min(stop, chunk + COPY_MOMENTS)
                copy.write(_rows_binary(sensor_ids, chunk, last, start_us, step_us, noise))
            copy.write(COPY_TRAILER)
        return (stop - first) * len(sensor_ids) * len(METRICS)

    clock.start("copy")
    with connection.cursor() as cursor:
        remake = _keys_drop(cursor, "monitoring_reading")
    loaded = _per_month(dsn, months, copy_month)
    clock.stop("copy")
    clock.start("reading_keys")
    with connection.cursor() as cursor:
        for statement in SESSION:
            cursor.execute(statement)
        for statement in remake:
            cursor.execute(statement)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('monitoring_reading', 'id'), %s)", [loaded]
        )
    clock.stop("reading_keys")
    return loaded


def _rollups(clock: Clock, dsn: str, start: datetime, end: datetime) -> int:
    """The hourly and daily rollups of every reading, as the rollup job computes them; the
    hourly rows written."""
    from django.db import connection

    from cityops.monitoring.models import Reading
    from cityops.monitoring.rollups import _days_write_in_database, _hourly_query, floor_hour

    def hours_month(conn: Any, month: Month) -> int:
        readings = Reading.objects.filter(observed_at__gte=month[1], observed_at__lt=month[2])
        sql, params = _hourly_query(readings).query.sql_with_params()
        # In hour order, as the job writes them an hour at a time: a station's week is in as
        # many table pages as it would be in production.
        cursor = conn.execute(
            "INSERT INTO monitoring_hourlyreading "  # noqa: S608
            "(sensor_id, metric, hour, count, total, minimum, maximum) "
            f"SELECT * FROM ({sql}) hours ORDER BY 3, 1, 2",
            [str(p) if isinstance(p, str) else p for p in params],
        )
        return int(cursor.rowcount)

    clock.start("rollups_hourly")
    with connection.cursor() as cursor:
        remake = _keys_drop(cursor, "monitoring_hourlyreading")
    written = _per_month(dsn, list(_months(start, end)), hours_month)
    clock.stop("rollups_hourly")
    clock.start("rollups_hourly_keys")
    with connection.cursor() as cursor:
        for statement in SESSION:
            cursor.execute(statement)
        for statement in remake:
            cursor.execute(statement)
    clock.stop("rollups_hourly_keys")
    clock.start("rollups_daily")
    _days_write_in_database(floor_hour(start), floor_hour(end) + timedelta(hours=1), ())
    clock.stop("rollups_daily")
    return written


# Measurements -----------------------------------------------------------------------------------


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "samples": len(ordered),
    }


def _queries(sensors: list[Any], start: datetime, end: datetime, samples: int) -> dict[str, Any]:
    from cityops.monitoring.selectors import readings_history, sensor_aqi_day

    rng = random.Random(42)
    first_day = (start + timedelta(days=2)).date()
    days = (end.date() - first_day).days - 8
    week, aqi = [], []
    for _ in range(samples):
        sensor = rng.choice(sensors)
        week_start = datetime.combine(
            first_day + timedelta(days=rng.randrange(days)), datetime.min.time(), UTC
        ) - timedelta(hours=7)  # midnight in Huế
        t = time.perf_counter()
        series = readings_history(
            sensor=sensor, start=week_start, end=week_start + timedelta(days=7), resolution="hour"
        )
        week.append(time.perf_counter() - t)
        assert sum(len(points) for points in series.values()) > 0
        day = first_day + timedelta(days=rng.randrange(days))
        t = time.perf_counter()
        result = sensor_aqi_day(sensor=rng.choice(sensors), day=day)
        aqi.append(time.perf_counter() - t)
        assert result.daily is not None
    return {"week_of_hourly_values": _percentiles(week), "day_aqi": _percentiles(aqi)}


class Ingest:
    """Batches through ``readings_store``, each at moments no batch used before."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.batches = 0

    def batch(self, sensors: list[Any]) -> float:
        """Store one batch; its values per second."""
        from cityops.monitoring.payloads import Row
        from cityops.monitoring.services import readings_store

        per_batch = INGEST_BATCH // len(METRICS)
        rows = []
        for j in range(per_batch):
            sensor = sensors[j % len(sensors)]
            moment = self.at + timedelta(seconds=self.batches * per_batch + j)
            rows += [Row(sensor.pk, sensor.code, m, moment, TYPICAL[m]) for m in METRICS]
        self.batches += 1
        began = time.perf_counter()
        result = readings_store(rows=rows)
        rate = len(rows) / (time.perf_counter() - began)
        assert len(result.stored) == len(rows)
        return rate

    def round(self, database: str, batches: int) -> float:
        """The median rate of ``batches`` batches into ``database`` (after one not timed: a
        new session's first batch creates its temporary table)."""
        _use(database)
        sensors = _sensors()
        self.batch(sensors)
        return statistics.median(self.batch(sensors) for _ in range(batches))


def _ingest(pg_url: str, end: datetime, rounds: int, batches: int) -> dict[str, Any]:
    """Ingest rates into the full table and into an empty one (a fresh database with the same
    schema and stations), alternating; the full table is left as it was."""
    from django.core.management import call_command
    from django.db import connection

    from cityops.monitoring import partitions

    at = end + timedelta(minutes=1)
    _database_create(pg_url, EMPTY_DATABASE)
    _use(EMPTY_DATABASE)
    call_command("migrate", verbosity=0)
    _sensors_create()
    partitions.partitions_ensure(now=at)
    _use(DATABASE)
    partitions.partitions_ensure(now=at)
    ingest = Ingest(at)
    full, empty = [], []
    for r in range(rounds):
        _use(EMPTY_DATABASE)
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE monitoring_reading, monitoring_pendinghour, monitoring_latestreading, "
                "monitoring_hourlyreading, monitoring_dailyreading"
            )
        if r % 2 == 0:
            full.append(ingest.round(DATABASE, batches))
            empty.append(ingest.round(EMPTY_DATABASE, batches))
        else:
            empty.append(ingest.round(EMPTY_DATABASE, batches))
            full.append(ingest.round(DATABASE, batches))
        print(
            f"ingest round {r + 1}: full {full[-1]:.0f}/s, empty {empty[-1]:.0f}/s", file=sys.stderr
        )
    _use(DATABASE)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_reading WHERE observed_at >= %s", [at])
        cursor.execute("TRUNCATE monitoring_pendinghour, monitoring_latestreading")
        for month, _low, _high in _months(at, at + timedelta(days=2)):
            cursor.execute(f"VACUUM ANALYZE {partitions.partition_name(month)}")
    ratios = [f / e for f, e in zip(full, empty, strict=True)]
    return {
        "into_full_table": round(statistics.median(full)),
        "into_empty_table": round(statistics.median(empty)),
        "ratio": round(statistics.median(ratios), 2),
        "ratio_per_round": [round(x, 2) for x in ratios],
        "full_per_round": [round(x) for x in full],
        "empty_per_round": [round(x) for x in empty],
        "rounds": rounds,
        "batches_per_round": batches,
        "batch": (INGEST_BATCH // len(METRICS)) * len(METRICS),
        "how": "each round: median of its batches into one database, then the other "
        "(which first alternates); reported: medians over rounds, median of rounds' ratios",
    }


def _sizes() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_database_size(current_database()), "
            "(SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
            "WHERE inhparent = 'monitoring_reading'::regclass), "
            "pg_total_relation_size('monitoring_hourlyreading'), "
            "pg_total_relation_size('monitoring_dailyreading')"
        )
        database, readings, hourly, daily = cursor.fetchone()
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
        row = cursor.fetchone()
    sizes: dict[str, Any] = {
        "database_gib": round(database / 2**30, 2),
        "readings_table_gib": round(int(readings) / 2**30, 2),
        "hourly_rollups_gib": round(hourly / 2**30, 2),
        "daily_rollups_gib": round(daily / 2**30, 3),
    }
    where = row[0] if row and Path(row[0]).exists() else "/"
    sizes["disk_free_gib"] = round(shutil.disk_usage(where).free / 2**30, 1)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readings", type=int, default=50_000_000)
    parser.add_argument("--years", type=float, default=4.0)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5, help="ingest: full/empty alternations")
    parser.add_argument("--batches", type=int, default=10, help="ingest: batches per round")
    parser.add_argument("--reuse", action="store_true", help="measure only, if already loaded")
    parser.add_argument(
        "--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/cityops")
    )
    args = parser.parse_args()
    clock = Clock()
    per_pair = args.readings // (STATIONS * len(METRICS))
    wanted = {"readings": per_pair * STATIONS * len(METRICS), "years": args.years}
    loaded = _loaded(args.pg_url) if args.reuse else None
    reused = loaded is not None and all(loaded.get(k) == v for k, v in wanted.items())
    if args.reuse and not reused:
        print(f"--reuse: {DATABASE} holds {loaded}, not {wanted}: loading", file=sys.stderr)
    if not reused:
        _database_create(args.pg_url, DATABASE)
    dsn = f"{args.pg_url.rpartition('/')[0]}/{DATABASE}"
    os.environ["DATABASE_URL"] = dsn
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
    os.environ["CITYOPS_READINGS_RETENTION_DAYS"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    clock.start("migrate")
    call_command("migrate", verbosity=0)
    clock.stop("migrate")

    if reused:
        assert loaded is not None
        start, end = datetime.fromisoformat(loaded["from"]), datetime.fromisoformat(loaded["to"])
        step_s, hourly_rows = loaded["interval_s"], loaded["hourly_rollup_rows"]
        sensors = _sensors()
    else:
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        span = timedelta(days=365.25 * args.years)
        step_s = max(60, int(span.total_seconds() // per_pair))
        start = end - timedelta(seconds=step_s * per_pair)
        sensors = _sensors_create()
        _load(clock, dsn, sensors, start, step_s, per_pair)
        hourly_rows = _rollups(clock, dsn, start, end)
        clock.start("vacuum_analyze")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        clock.stop("vacuum_analyze")
        loaded = wanted | {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "interval_s": step_s,
            "hourly_rollup_rows": hourly_rows,
            "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_s": dict(clock.phases),
        }
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {META} (loaded jsonb NOT NULL)")
            cursor.execute(f"INSERT INTO {META} VALUES (%s)", [json.dumps(loaded)])  # noqa: S608

    clock.start("queries")
    reads = _queries(sensors, start, end, args.samples)
    clock.stop("queries")
    clock.start("ingest")
    ingest = _ingest(args.pg_url, end, args.rounds, args.batches)
    clock.stop("ingest")
    sizes = _sizes()
    clock.load["end"] = loadavg()

    week_stats, aqi_stats = reads["week_of_hourly_values"], reads["day_aqi"]
    result = {
        "bench": "readings",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(memory=True, postgresql=command_version(["psql", "--version"])),
        "load_before": clock.load["start"],
        "load_average": clock.load,
        "reused_load": reused,
        "data": {
            "stations": STATIONS,
            "metrics": list(METRICS),
            "readings": wanted["readings"],
            "from": start.isoformat(),
            "to": end.isoformat(),
            "interval_s": step_s,
            "spacing": f"one reading per station and metric every {step_s} s, evenly over "
            f"{args.years} years",
            "hourly_rollup_rows": hourly_rows,
            "loaded_at": loaded["loaded_at"] if loaded else None,
            "load_phases_s": loaded["load_s"] if loaded else None,
        }
        | sizes,
        "week_of_hourly_values": week_stats,
        "day_aqi": aqi_stats,
        "ingest_values_per_s": ingest,
        "goal_p95_ms": GOAL_P95_MS,
        "meets_goal": week_stats["p95_ms"] < GOAL_P95_MS and aqi_stats["p95_ms"] < GOAL_P95_MS,
        "phases_s": clock.phases,
        "total_s": round(time.perf_counter() - clock.began, 1),
    }
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
