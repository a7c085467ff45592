"""Periodic jobs of the stats app."""

from __future__ import annotations

from django_tasks import task

from cityops.platform.jobs import every
from cityops.stats.services import day_kpis_refresh


@every(minutes=10)
@task()
def refresh_day_kpis() -> int:
    """Bring the daily KPI rollup (trends, transparency page) up to date."""
    return day_kpis_refresh()
