"""Report volumes per week or month, and their forecasts, cached.

A volume is the dashboard's "received" KPI (docs/kpis.md): every report submitted in the
period, whatever became of it (rejected and merged ones too: they were work for the IOC).
Only whole periods count: the history ends with the last complete week or month, and starts
with the first whole one after the first report CityOps received.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import Count, F, Min, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report
from cityops.stats.forecasts.engine import Forecast, Frequency, forecast, next_period
from cityops.stats.kpis import PERIODS, Scope, period_start
from cityops.stats.models import DayKpi, DayKpiRefresh

Period = Literal["week", "month"]
HORIZON: dict[Period, int] = {"week": 8, "month": 6}
SEASON: dict[Period, int] = {"week": 52, "month": 12}  # a year
LONGEST: dict[Period, int] = {"week": 156, "month": 60}  # periods of history read, at most
SERIES_CACHE_SECONDS = 600
FORECAST_CACHE_SECONDS = 24 * 3600
CACHE_VERSION = 1


def _first_whole_period(first: date, period: Period) -> date:
    start = period_start(first, period)
    return start if start == first else next_period(start, period)


def report_volumes(
    *, period: Period, at: datetime, category: str | None = None, area: str | None = None
) -> list[tuple[date, int]]:
    """Reports received per whole ``period`` before ``at`` (oldest first, empty periods as 0)
    for one category and/or area (None: all). Read from the daily KPI rollup when it exists
    (at most ten minutes old), else from the reports: one query either way, plus one for the
    first report."""
    tz = working_calendar().tz
    current = period_start(at.astimezone(tz).date(), period)
    first = Report.objects.aggregate(first=Min("submitted_at"))["first"]
    if first is None:
        return []
    start = _first_whole_period(first.astimezone(tz).date(), period)
    earliest = current
    for _ in range(LONGEST[period]):
        earliest = _previous(earliest, period)
    start = max(start, earliest)
    if start >= current:
        return []
    counts = _counts(period=period, start=start, end=current, category=category, area=area)
    series: list[tuple[date, int]] = []
    bucket = start
    while bucket < current:
        series.append((bucket, counts.get(bucket, 0)))
        bucket = next_period(bucket, period)
    return series


def _previous(start: date, period: Period) -> date:
    if period == "week":
        return date.fromordinal(start.toordinal() - 7)
    year, index = divmod(start.year * 12 + start.month - 2, 12)
    return date(year, index + 1, 1)


def _counts(
    *, period: Period, start: date, end: date, category: str | None, area: str | None
) -> dict[date, int]:
    grouped: Iterable[dict[str, Any]]
    if DayKpiRefresh.objects.exists():
        rows = DayKpi.objects.filter(day__gte=start, day__lt=end).order_by()
        if category:
            rows = rows.filter(category_code=category)
        if area:
            rows = rows.filter(area_code=area)
        trunc = TruncWeek if period == "week" else TruncMonth
        grouped = rows.values(bucket=trunc("day")).annotate(n=Sum("received"))
    else:
        tz = working_calendar().tz
        scope = Scope(
            categories=(category,) if category else (),
            areas=(area,) if area else (),
            start=datetime.combine(start, datetime.min.time(), tzinfo=tz),
            end=datetime.combine(end, datetime.min.time(), tzinfo=tz),
        )
        grouped = (
            Report.objects.filter(scope.where())
            .order_by()
            .values(bucket=PERIODS[period]("submitted_at", tzinfo=tz))
            .annotate(n=Count("pk"))
        )
    counts: dict[date, int] = {}
    for row in grouped:
        bucket = row["bucket"]
        day = (
            bucket.astimezone(working_calendar().tz).date()
            if isinstance(bucket, datetime)
            else bucket
        )
        counts[day] = counts.get(day, 0) + int(row["n"] or 0)
    return counts


@dataclass(frozen=True)
class VolumeForecast:
    period: Period
    category: str | None
    area: str | None
    forecast: Forecast


def report_volume_forecast(
    *, period: Period, at: datetime, category: str | None = None, area: str | None = None
) -> VolumeForecast:
    """The forecast of reports received per ``period`` for a category and/or area.

    The series is cached for ten minutes per filter and current period; the forecast (seconds
    of model fitting) for a day under a key made of the series itself, so it is computed again
    only when a figure of a whole period changes."""
    tz = working_calendar().tz
    current = period_start(at.astimezone(tz).date(), period)
    series_key = _key("volumes", period, category or "", area or "", current.isoformat())
    series: list[tuple[date, int]] | None = cache.get(series_key)
    if series is None:
        series = report_volumes(period=period, at=at, category=category, area=area)
        cache.set(series_key, series, SERIES_CACHE_SECONDS)
    frequency: Frequency = period
    result = forecast_cached(
        series, horizon=HORIZON[period], frequency=frequency, season_length=SEASON[period]
    )
    return VolumeForecast(period, category, area, result)


def forecast_cached(
    series: list[tuple[date, int]] | list[tuple[date, float]],
    *,
    horizon: int,
    frequency: Frequency,
    season_length: int | None,
    nonnegative: bool = True,
) -> Forecast:
    """``forecast`` under a cache key made of its input: the same series is fitted once."""
    text = repr(
        (horizon, frequency, season_length, nonnegative, [(p.isoformat(), v) for p, v in series])
    )
    key = _key("forecast", text)
    result: Forecast | None = cache.get(key)
    if result is None:
        result = forecast(
            series,
            horizon=horizon,
            frequency=frequency,
            season_length=season_length,
            nonnegative=nonnegative,
        )
        cache.set(key, result, FORECAST_CACHE_SECONDS)
    return result


def _key(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"stats:forecast:{CACHE_VERSION}:{parts[0]}:{digest}"


def busiest(*, dimension: Literal["category", "area"], count: int) -> list[str]:
    """The codes of the ``count`` categories or areas with the most reports (one query)."""
    field_name = f"{dimension}__code"
    rows = (
        Report.objects.exclude(**{f"{dimension}__isnull": True})
        .order_by()
        .values(code=F(field_name))
        .annotate(n=Count("pk"))
        .order_by("-n", "code")[:count]
    )
    return [row["code"] for row in rows]
