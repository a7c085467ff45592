"""The readings table over the years: monthly partitions on PostgreSQL, and retention.

On PostgreSQL ``monitoring_reading`` is partitioned by ``observed_at`` (native range
partitioning, one partition per UTC month, migration 0002): the partitions of the coming months
are created ahead by the maintenance job, and a default partition takes any reading no monthly
partition covers (a late backfill from years ago), so nothing is ever refused for its time.
Creating a month whose readings sit in the default partition moves them over first.

Raw readings older than ``CITYOPS_READINGS_RETENTION_DAYS`` go: whole monthly partitions are
dropped (instant, no bloat), the rest (the default partition, and SQLite, which has no
partitions) are deleted in batches. Their hourly and daily rollups stay forever; the job rolls
up pending hours before it drops anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from cityops.monitoring.models import Reading

_READING = Reading._meta.db_table
DEFAULT_PARTITION = f"{_READING}_default"
DELETE_BATCH = 10_000


def month_start(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{_READING}_p{month:%Y_%m}"


def _bound(month: date) -> str:
    return f"{month.isoformat()} 00:00:00+00"


def is_partitioned() -> bool:
    """Whether the readings table is a partitioned one (PostgreSQL after migration 0002)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [_READING])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions() -> dict[str, tuple[datetime, datetime] | None]:
    """The readings' partitions by name: their [from, to) range, None for the default one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [_READING],
        )
        rows = cursor.fetchall()
        found: dict[str, tuple[datetime, datetime] | None] = {}
        for name, bound in rows:
            if bound == "DEFAULT":
                found[name] = None
                continue
            # FOR VALUES FROM ('2026-12-01 07:00:00+07') TO ('2027-01-01 07:00:00+07')
            low, high = bound.split("'")[1], bound.split("'")[3]
            cursor.execute("SELECT %s::timestamptz, %s::timestamptz", [low, high])
            found[name] = cursor.fetchone()
    return found


@transaction.atomic
def partition_create(month: date) -> bool:
    """Create the partition of ``month`` unless it exists (moving its readings out of the default
    partition first); whether it was created."""
    name, low, high = partition_name(month), _bound(month), _bound(next_month(month))
    if name in partitions():
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} "  # noqa: S608
            "WHERE observed_at >= %s AND observed_at < %s)",
            [low, high],
        )
        (stranded,) = cursor.fetchone()
        if not stranded:
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {_READING} FOR VALUES FROM (%s) TO (%s)",
                [low, high],
            )
            return True
        # Attaching checks that the default partition holds nothing of the month: move it.
        cursor.execute(f"CREATE TABLE {name} (LIKE {_READING})")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} "  # noqa: S608
            "WHERE observed_at >= %s AND observed_at < %s RETURNING *) "
            f"INSERT INTO {name} SELECT * FROM moved",
            [low, high],
        )
        cursor.execute(
            f"ALTER TABLE {_READING} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
            [low, high],
        )
    return True


def partitions_ensure(*, now: datetime, ahead: int | None = None) -> list[str]:
    """The partitions of this month and ``ahead`` more (``CITYOPS_READINGS_PARTITIONS_AHEAD``);
    the names created now. Nothing to do on SQLite."""
    if not is_partitioned():
        return []
    ahead = settings.CITYOPS_READINGS_PARTITIONS_AHEAD if ahead is None else ahead
    created = []
    month = month_start(now)
    for _ in range(ahead + 1):
        if partition_create(month):
            created.append(partition_name(month))
        month = next_month(month)
    return created


@dataclass(frozen=True)
class Expired:
    partitions: list[str]  # dropped whole
    deleted: int  # readings deleted row by row


def retention_cutoff(*, now: datetime, days: int | None = None) -> datetime | None:
    """Raw readings observed before this go; None when kept forever (``days`` 0)."""
    days = settings.CITYOPS_READINGS_RETENTION_DAYS if days is None else days
    return now - timedelta(days=days) if days > 0 else None


def readings_expire(*, before: datetime) -> Expired:
    """Drop the raw readings observed before ``before``: whole partitions whose month ended by
    then, the rest in batches (a partition reaching past ``before`` stays until its month has
    gone by, so raw readings are kept at least as long as the setting says)."""
    dropped: list[str] = []
    if is_partitioned():
        for name, bounds in sorted(partitions().items()):
            if bounds is not None and bounds[1] <= before:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE {name}")
                dropped.append(name)
        table = DEFAULT_PARTITION
    else:
        table = _READING
    deleted = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} "  # noqa: S608
                "WHERE observed_at < %s LIMIT %s)",
                [connection.ops.adapt_datetimefield_value(before), DELETE_BATCH],
            )
            count = cursor.rowcount
        deleted += count
        if count < DELETE_BATCH:
            return Expired(partitions=dropped, deleted=deleted)


@dataclass(frozen=True)
class Maintained:
    created: list[str]  # partitions created ahead
    rolled_up_hours: int
    expired: Expired | None  # None: raw readings are kept forever


def readings_maintain(*, now: datetime, retention_days: int | None = None) -> Maintained:
    """The maintenance job: partitions ahead, pending rollups, then retention (rolled up first,
    so nothing leaves the raw table before its hours are in the rollups)."""
    from cityops.monitoring.rollups import rollups_update

    created = partitions_ensure(now=now)
    rolled = rollups_update()
    cutoff = retention_cutoff(now=now, days=retention_days)
    expired = readings_expire(before=cutoff) if cutoff is not None else None
    return Maintained(created=created, rolled_up_hours=rolled.hours, expired=expired)
