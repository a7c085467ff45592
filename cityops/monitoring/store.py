"""Bulk writes of readings, the fast path under both ingests (MQTT worker and HTTP).

One call is one transaction: the rows go in with ``ON CONFLICT DO NOTHING`` on (sensor,
metric, observed_at), so a redelivered message stores nothing twice, and the database says which
rows were new (``RETURNING``): only those reach the latest-value table and the rule hooks.
PostgreSQL loads the batch with ``COPY`` into a temporary table first (the fastest way in, see
docs/monitoring.md); SQLite takes multi-row ``INSERT``s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from cityops.monitoring import rollups
from cityops.monitoring.hooks import StoredReading
from cityops.monitoring.models import LatestReading, Reading, Sensor
from cityops.monitoring.payloads import Row

_READING = Reading._meta.db_table
_LATEST = LatestReading._meta.db_table
_SENSOR = Sensor._meta.db_table
_LOAD = "monitoring_reading_load"
_SQLITE_CHUNK = 1000  # rows per statement: 5 parameters each, far below SQLite's 32766


def insert_new(rows: Sequence[Row], *, received_at: datetime) -> list[StoredReading]:
    """Insert ``rows`` (inside the caller's transaction); the ones that were not stored yet."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        stored = _insert_postgresql(rows, received_at)
    else:
        stored = _insert_generic(rows, received_at)
    rollups.pending_mark(stored)  # their hours, for the rollup job (cityops.monitoring.rollups)
    return stored


def _insert_postgresql(rows: Sequence[Row], received_at: datetime) -> list[StoredReading]:
    """COPY the batch into a temporary table and insert what is new.

    Almost every batch is all new: the statement then answers one row, ``-1``, and the join
    that tells which rows were new is never run (a tenth of the database's CPU per batch). When
    fewer rows went in (a redelivery, or one value twice in the batch) it answers the row
    numbers of those that did (cheap to fetch, unlike timestamps).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_LOAD} "
            "(n integer, sensor_id bigint, metric varchar(32), observed_at timestamptz, "
            "value float8) ON COMMIT DELETE ROWS"
        )
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(
            f"COPY {_LOAD} (n, sensor_id, metric, observed_at, value) FROM STDIN"
        ) as copy:
            copy.write(_copy_text(rows))
        cursor.execute(
            f"WITH new AS (INSERT INTO {_READING} "  # noqa: S608
            "(sensor_id, metric, observed_at, value, received_at) "
            f"SELECT sensor_id, metric, observed_at, value, %s FROM {_LOAD} ORDER BY n "
            "ON CONFLICT (sensor_id, metric, observed_at) DO NOTHING "
            "RETURNING sensor_id, metric, observed_at), "
            "counted AS (SELECT count(*) AS stored FROM new) "
            "SELECT -1 FROM counted WHERE stored = %s "
            "UNION ALL "
            f"SELECT min(l.n) FROM {_LOAD} l JOIN new USING (sensor_id, metric, observed_at) "
            "WHERE (SELECT stored FROM counted) <> %s "
            "GROUP BY l.sensor_id, l.metric, l.observed_at",
            [received_at, len(rows), len(rows)],
        )
        inserted = cursor.fetchall()
        cursor.execute(f"TRUNCATE {_LOAD}")  # the caller's transaction may go on
    new = tuple.__new__  # Row and StoredReading have the same fields: a cheap conversion
    if inserted == [(-1,)]:
        return [new(StoredReading, row) for row in rows]
    return [new(StoredReading, rows[n]) for (n,) in sorted(inserted)]


def _copy_text(rows: Sequence[Row]) -> bytes:
    """COPY's text format, built in one go: the values of one reading share their time (the
    same object), formatted once."""
    lines = []
    last_time: datetime | None = None
    tail = ""
    for n, (sensor_id, _code, metric, observed_at, value) in enumerate(rows):
        if observed_at is not last_time:
            last_time, tail = observed_at, f"\t{observed_at.isoformat()}\t"
        # Metric codes are validated (lower-case letters, digits, _): nothing to escape.
        lines.append(f"{n}\t{sensor_id}\t{metric}{tail}{value!r}\n")
    return "".join(lines).encode()


def _insert_generic(rows: Sequence[Row], received_at: datetime) -> list[StoredReading]:
    adapt = connection.ops.adapt_datetimefield_value
    received = adapt(received_at)
    by_key: dict[tuple[int, str, datetime], Row] = {}
    for row in rows:
        by_key.setdefault((row.sensor_id, row.metric, row.observed_at.astimezone(UTC)), row)
    keys = list(by_key)
    stored: list[StoredReading] = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _SQLITE_CHUNK):
            chunk = keys[start : start + _SQLITE_CHUNK]
            params: list[Any] = []
            for key in chunk:
                sensor_id, metric, observed_at = key
                params += [sensor_id, metric, adapt(observed_at), by_key[key].value, received]
            placeholders = ",".join(["(%s,%s,%s,%s,%s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {_READING} (sensor_id, metric, observed_at, value, received_at) "  # noqa: S608
                f"VALUES {placeholders} "
                "ON CONFLICT (sensor_id, metric, observed_at) DO NOTHING "
                "RETURNING sensor_id, metric, observed_at",
                params,
            )
            for sensor_id, metric, observed_at in cursor.fetchall():
                row = by_key[sensor_id, metric, _aware(observed_at)]
                stored.append(
                    StoredReading(sensor_id, row.sensor_code, metric, row.observed_at, row.value)
                )
    return stored


def _aware(value: datetime | str) -> datetime:
    """A returned timestamp as an aware UTC datetime (SQLite hands back naive UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def latest_update(readings: Sequence[StoredReading]) -> None:
    """Move each (sensor, metric)'s latest value forward (never back: late data is history)."""
    newest: dict[tuple[int, str], StoredReading] = {}
    for reading in readings:
        key = (reading.sensor_id, reading.metric)
        if key not in newest or reading.observed_at > newest[key].observed_at:
            newest[key] = reading
    if not newest:
        return
    if connection.vendor == "postgresql":
        _latest_update_postgresql(list(newest.values()))
        return
    ops = connection.ops
    params: list[Any] = []
    for reading in newest.values():
        params += [
            reading.sensor_id,
            reading.metric,
            ops.adapt_datetimefield_value(reading.observed_at),
            reading.value,
        ]
    placeholders = ",".join(["(%s,%s,%s,%s)"] * len(newest))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_LATEST} (sensor_id, metric, observed_at, value) "  # noqa: S608
            f"VALUES {placeholders} "
            "ON CONFLICT (sensor_id, metric) DO UPDATE "
            "SET observed_at = excluded.observed_at, value = excluded.value "
            f"WHERE excluded.observed_at > {_LATEST}.observed_at",
            params,
        )


def _latest_update_postgresql(readings: Sequence[StoredReading]) -> None:
    """The same upsert with four array parameters: a statement of constant text, which psycopg
    parses once (a ``VALUES`` list of 400 rows is too long for its cache: re-parsing it every
    batch took a sixth of the ingest worker's time)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_LATEST} (sensor_id, metric, observed_at, value) "  # noqa: S608
            "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[], %s::float8[]) "
            "ON CONFLICT (sensor_id, metric) DO UPDATE "
            "SET observed_at = excluded.observed_at, value = excluded.value "
            f"WHERE excluded.observed_at > {_LATEST}.observed_at",
            [
                [reading.sensor_id for reading in readings],
                [reading.metric for reading in readings],
                [reading.observed_at for reading in readings],
                [float(reading.value) for reading in readings],  # one type for the array
            ],
        )


def seen_update(sensor_ids: Sequence[int], *, seen_at: datetime) -> None:
    Sensor.objects.filter(pk__in=sensor_ids).update(last_seen_at=seen_at)
