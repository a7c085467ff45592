"""Writes of the stats app: bringing the daily KPI rollup up to date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Min
from django.db.models.functions import TruncDate

from cityops.platform import clock
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report
from cityops.stats.kpis import Scope, kpi_cube
from cityops.stats.models import DayKpi, DayKpiRefresh

CHUNK_DAYS = 31


def day_kpis_refresh(*, full: bool = False) -> int:
    """Recompute the daily KPIs of every day whose reports changed since the last refresh (all
    days the first time, or with ``full``); returns how many days were recomputed.

    A report's ``updated_at`` moves with every event (ratings included), so the days to redo are
    the submission days of the reports updated since the last refresh. The new mark is taken
    before reading, so a change made during the refresh is picked up by the next one.
    """
    started = clock.now()
    tz = working_calendar().tz
    mark = DayKpiRefresh.objects.filter(pk=1).first()
    if full or mark is None:
        first = Report.objects.aggregate(first=Min("submitted_at"))["first"]
        today = started.astimezone(tz).date()
        days = _every_day(first.astimezone(tz).date(), today) if first else []
        DayKpi.objects.all().delete()
    else:
        changed = Report.objects.filter(updated_at__gte=mark.refreshed_at).order_by()
        days = sorted(
            changed.annotate(day=TruncDate("submitted_at", tzinfo=tz))
            .values_list("day", flat=True)
            .distinct()
        )
    for run in _runs(days):
        _refresh(run, at=started)
    DayKpiRefresh.objects.update_or_create(pk=1, defaults={"refreshed_at": started})
    return len(days)


def _every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _runs(days: list[date]) -> list[list[date]]:
    """Consecutive days in chunks of at most a month."""
    runs: list[list[date]] = []
    for day in days:
        if runs and day - runs[-1][-1] == timedelta(days=1) and len(runs[-1]) < CHUNK_DAYS:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


@transaction.atomic
def _refresh(days: list[date], *, at: datetime) -> None:
    tz = working_calendar().tz
    start = datetime.combine(days[0], time.min, tzinfo=tz)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=tz)
    cube = kpi_cube(
        scope=Scope(start=start, end=end), at=at, dimensions=("day", "agency", "category", "area")
    )
    DayKpi.objects.filter(day__gte=days[0], day__lte=days[-1]).delete()
    rows = []
    for (day, agency, category, area), kpi in cube.items():
        assert isinstance(day, date)
        row = DayKpi(
            day=day,
            agency_code=str(agency or ""),
            category_code=str(category or ""),
            area_code=str(area or ""),
        )
        for name in kpi.ADDITIVE:
            setattr(row, name, getattr(kpi, name))
        rows.append(row)
    DayKpi.objects.bulk_create(rows, batch_size=5_000)
