"""Jobs of the monitoring domain: the readings' rollups, partitions and retention."""

from __future__ import annotations

from django_tasks import task

from cityops.monitoring.partitions import readings_maintain
from cityops.monitoring.rollups import rollups_update
from cityops.platform import clock
from cityops.platform.jobs import every


@every(minutes=1)
@task()
def rollup_pending_hours() -> int:
    """Recompute the hourly and daily rollups of hours with new readings; how many hours."""
    return rollups_update().hours


@every(minutes=30)
@task()
def maintain_readings() -> int:
    """Partitions ahead, then retention of raw readings; how many partitions were dropped."""
    result = readings_maintain(now=clock.now())
    return len(result.expired.partitions) if result.expired else 0
