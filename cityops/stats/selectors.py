"""Reads for the leaders' dashboard, the transparency page and the monthly report.

Each page asks one function here for everything it shows; the figures themselves come from
``kpis`` (defined once). The number of queries is fixed: it does not grow with the number of
agencies, categories, areas or reports.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import h3
from django.core.cache import cache
from django.db.models import Avg, Count, F
from django.db.models.functions import Floor

from cityops.agencies.models import Agency, Area
from cityops.alerts.choices import Severity
from cityops.alerts.selectors import alarm_counts
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.monitoring.selectors import current_aqi
from cityops.platform.errors import NotFound
from cityops.reports.choices import Channel
from cityops.reports.deadlines import working_calendar
from cityops.reports.filters import ReportFilter
from cityops.reports.models import Category
from cityops.reports.selectors import reports_public
from cityops.stats.kpis import (
    RANKING_MIN_PROCESSED,
    Dimension,
    Key,
    Kpis,
    Ranked,
    Scope,
    agency_ranking,
    kpi_table,
    kpi_tables,
    kpi_tables_rolled_up,
    kpi_trend,
    next_period,
    trend_of,
)
from cityops.stats.models import DayKpiRefresh

H3_RESOLUTION = 8  # hexagons of about 0.7 km²: a few city blocks
TREND_MONTHS = 12


@dataclass(frozen=True)
class Named:
    code: str
    name: str


@dataclass(frozen=True)
class Choices:
    """What the filters offer: every agency, category and area, by code."""

    agencies: list[Named]
    categories: list[Named]
    areas: list[Named]

    def names(self, dimension: str) -> dict[str, str]:
        listed = {"agency": self.agencies, "category": self.categories, "area": self.areas}[
            dimension
        ]
        return {item.code: item.name for item in listed}


def filter_choices(*, english: bool = False) -> Choices:
    """Three queries: the agencies, categories and areas a filter may name."""
    agencies = [
        Named(code, (name_en if english and name_en else name))
        for code, name, name_en in Agency.objects.order_by("name").values_list(
            "code", "name", "name_en"
        )
    ]
    categories = [
        Named(code, (name_en if english and name_en else name))
        for code, name, name_en in Category.objects.order_by("position", "code").values_list(
            "code", "name", "name_en"
        )
    ]
    areas = [Named(code, name) for code, name in Area.objects.values_list("code", "name")]
    return Choices(agencies, categories, areas)


def channel_names() -> dict[str, str]:
    """Each channel's label in the active language (web portal, hotline, SMS...)."""
    return {str(channel.value): str(channel.label) for channel in Channel}


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the next one, in the city's time zone."""
    tz = working_calendar().tz
    first = month.replace(day=1)
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(next_period(first, "month"), time.min, tzinfo=tz),
    )


def months_back(month: date, count: int) -> date:
    """The first day of the month ``count - 1`` months before ``month``."""
    year, index = divmod(month.year * 12 + month.month - 1 - (count - 1), 12)
    return date(year, index + 1, 1)


def total(table: dict[Key, Kpis]) -> Kpis:
    """The sum of a table's groups (each report belongs to exactly one group of a dimension)."""
    summed = Kpis()
    for kpi in table.values():
        summed.add(kpi)
    return summed


@dataclass(frozen=True)
class Row:
    """One line of a KPI table: what it is about (code and name) and its figures."""

    code: str | None
    name: str
    kpis: Kpis
    position: int | None = None


def rows_of(table: dict[Key, Kpis], names: dict[str, str], unnamed: str) -> list[Row]:
    """Named rows, busiest first; ``unnamed`` labels reports without one (e.g. not assigned)."""
    rows = [
        Row(
            code if isinstance(code, str) else None,
            names.get(str(code), str(code)) if code else unnamed,
            kpi,
        )
        for code, kpi in table.items()
    ]
    return sorted(rows, key=lambda row: (-row.kpis.received, -row.kpis.processed, row.name))


def ranked_rows(ranking: list[Ranked], names: dict[str, str]) -> list[Row]:
    return [
        Row(item.code, names.get(item.code, item.code), item.kpis, item.position)
        for item in ranking
    ]


# --- the trend -----------------------------------------------------------------------------

TREND_CACHE_SECONDS = 600


def trend_cached(*, scope: Scope, at: datetime) -> list[tuple[date, Kpis]]:
    """The monthly trend: from the daily rollup when it exists, else computed from the reports
    at most every ten minutes per filter.

    Twelve months of a large city are half a million reports: seconds of work, for a chart whose
    past months barely move. The month's own figures (headline and tables) are always live.
    """
    rolled = kpi_tables_rolled_up(scope=scope, at=at, dimensions=("month",))
    if rolled is not None:
        return trend_of(rolled["month"], scope=scope, by="month")
    parts = [",".join(scope.agencies), ",".join(scope.categories), ",".join(scope.areas)]
    period = f"{scope.start:%Y%m%d}-{scope.end:%Y%m%d}" if scope.start and scope.end else "all"
    key = "stats:trend:" + hashlib.sha256("|".join([*parts, period]).encode()).hexdigest()[:32]
    trend: list[tuple[date, Kpis]] | None = cache.get(key)
    if trend is None:
        trend = kpi_trend(scope=scope, at=at)
        cache.set(key, trend, TREND_CACHE_SECONDS)
    return trend


# --- the heat map -------------------------------------------------------------------------------


def report_cells(*, scope: Scope, resolution: int = H3_RESOLUTION) -> dict[str, Any]:
    """Reviewed reports in scope counted per H3 cell, as a GeoJSON FeatureCollection of hexagons.

    Only reports the IOC reviewed and kept: an unreviewed, rejected (spam) or merged report
    says nothing about where problems are. One query for the coordinates; the cell of each
    report is computed here (h3 is fast: a month of a large city is tens of thousands of points).
    """
    counts: Counter[str] = Counter()
    located = reports_public(reviewed_only=True).filter(
        scope.where(), lat__isnull=False, lon__isnull=False
    )
    for lat, lon in located.order_by().values_list("lat", "lon").iterator(chunk_size=10_000):
        counts[h3.latlng_to_cell(lat, lon, resolution)] += 1
    features = []
    for cell, count in counts.most_common():
        ring = [[round(lon, 6), round(lat, 6)] for lat, lon in h3.cell_to_boundary(cell)]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"cell": cell, "count": count},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def report_clusters_public(
    *, filters: ReportFilter, cell_degrees: float = 0.01
) -> list[dict[str, Any]]:
    """Public reports counted per square grid cell, for a map at city scale (one query).

    Each cluster has its count and the mean position of its reports, so a marker sits where
    the reports are rather than at the cell's corner. ``cell_degrees`` of 0.01 is about 1 km.
    """
    located = filters.apply(reports_public(reviewed_only=True)).filter(
        lat__isnull=False, lon__isnull=False
    )
    cells = (
        located.order_by()
        .annotate(gx=Floor(F("lon") / cell_degrees), gy=Floor(F("lat") / cell_degrees))
        .values("gx", "gy")
        .annotate(count=Count("pk"), lat=Avg("lat"), lon=Avg("lon"))
    )
    return [
        {"lat": round(row["lat"], 6), "lon": round(row["lon"], 6), "count": row["count"]}
        for row in cells
    ]


# --- monitoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringGlance:
    """Current AQI per air-quality station and active alarms by severity."""

    stations: list[dict[str, Any]] = field(default_factory=list)
    alarms_by_severity: list[dict[str, Any]] = field(default_factory=list)
    unacknowledged: int = 0


def monitoring_glance() -> MonitoringGlance | None:
    """The dashboard's monitoring panel; None when the city has no station and no alarm."""
    sensors = list(
        Sensor.objects.filter(kind=SensorKind.AIR_QUALITY, is_active=True)
        .order_by("name")
        .values("pk", "code", "name")
    )
    counts = alarm_counts()
    if not sensors and not counts["active"]:
        return None
    current = current_aqi([sensor["pk"] for sensor in sensors])
    stations = []
    for sensor in sensors:
        found = current.get(sensor["pk"])
        result = found[1] if found else None
        stations.append(
            {
                "code": sensor["code"],
                "name": sensor["name"],
                "aqi": result.aqi if result else None,
                "level": str(result.band.label) if result else "",
                "level_number": result.band.level if result else 0,
            }
        )
    alarms = [
        {"severity": severity.value, "label": severity.label, "count": counts[severity.value]}
        for severity in Severity
    ]
    return MonitoringGlance(stations, alarms, counts["unacknowledged"])


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardData:
    """The month's figures are live: ``as_of`` is when they were computed."""

    scope: Scope
    month: date
    choices: Choices
    headline: Kpis
    by_agency: list[Row]
    by_category: list[Row]
    by_area: list[Row]
    ranking: list[Row]
    trend: list[tuple[date, Kpis]]
    cells: dict[str, Any]
    monitoring: MonitoringGlance | None
    as_of: datetime
    ranking_minimum: int = RANKING_MIN_PROCESSED
    by_channel: list[Row] = field(default_factory=list)


def dashboard_data(
    *,
    month: date,
    at: datetime,
    agencies: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    areas: tuple[str, ...] = (),
    english: bool = False,
    unnamed: str = "—",
) -> DashboardData:
    """Everything the leaders' dashboard shows for one month, in a fixed number of queries."""
    choices = filter_choices(english=english)
    start, end = month_bounds(month)
    scope = Scope(agencies=agencies, categories=categories, areas=areas, start=start, end=end)
    tables = kpi_tables(scope=scope, at=at, dimensions=("agency", "category", "area", "channel"))
    trend_start, _ = month_bounds(months_back(month, TREND_MONTHS))
    agency_names = choices.names("agency")
    return DashboardData(
        scope=scope,
        month=month,
        choices=choices,
        headline=total(tables["category"]),
        by_agency=rows_of(tables["agency"], agency_names, unnamed),
        by_category=rows_of(tables["category"], choices.names("category"), unnamed),
        by_area=rows_of(tables["area"], choices.names("area"), unnamed),
        ranking=ranked_rows(agency_ranking(tables["agency"]), agency_names),
        trend=trend_cached(scope=scope.with_period(trend_start, end), at=at),
        cells=report_cells(scope=scope),
        monitoring=monitoring_glance(),
        as_of=at,
        by_channel=rows_of(tables["channel"], channel_names(), unnamed),
    )


# --- the city's headline figures ---------------------------------------------------------------

CITY_FIGURES_CACHE_SECONDS = 300


def kpi_tables_latest(
    *, scope: Scope, at: datetime, dimensions: tuple[Dimension, ...]
) -> tuple[dict[Dimension | None, dict[Key, Kpis]], datetime]:
    """The tables from the daily rollup when it was built, else from the reports, and the
    moment they describe: the rollup's last refresh, or ``at`` ("overdue now" is always live,
    so at least that fresh)."""
    rolled = kpi_tables_rolled_up(scope=scope, at=at, dimensions=dimensions)
    if rolled is None:
        return kpi_tables(scope=scope, at=at, dimensions=dimensions), at
    refreshed = DayKpiRefresh.objects.values_list("refreshed_at", flat=True).first()
    return rolled, min(refreshed or at, at)


@dataclass(frozen=True)
class CityFigures:
    """The city's headline KPIs for the reports sent from ``first_month`` to ``last_month``,
    as of ``as_of``: what the home page and the transparency page both show."""

    first_month: date
    last_month: date
    kpis: Kpis
    as_of: datetime


def city_figures(*, month: date, at: datetime, months: int = TREND_MONTHS) -> CityFigures:
    """The headline of the ``months`` months up to ``month``, computed at most every five
    minutes; every page that shows the city's figures asks here, so they agree."""
    key = f"stats:city-figures:{month:%Y-%m}:{months}"
    figures: CityFigures | None = cache.get(key)
    if figures is None:
        first = months_back(month, months)
        start, _ = month_bounds(first)
        _, end = month_bounds(month)
        tables, as_of = kpi_tables_latest(scope=Scope(start=start, end=end), at=at, dimensions=())
        figures = CityFigures(first, month, tables[None].get(None) or Kpis(), as_of)
        cache.set(key, figures, CITY_FIGURES_CACHE_SECONDS)
    return figures


@dataclass(frozen=True)
class TransparencyData:
    """``figures`` is the city's headline (``city_figures``); the tables are as of ``as_of``."""

    month: date
    first_month: date
    figures: CityFigures
    by_agency: list[Row]
    by_category: list[Row]
    ranking: list[Row]
    trend: list[tuple[date, Kpis]]
    as_of: datetime
    ranking_minimum: int = RANKING_MIN_PROCESSED

    @property
    def headline(self) -> Kpis:
        return self.figures.kpis


def transparency_data(
    *,
    month: date,
    at: datetime,
    months: int = TREND_MONTHS,
    english: bool = False,
    unnamed: str = "—",
) -> TransparencyData:
    """The public's figures: the ``months`` months up to ``month``, per agency and category."""
    choices = filter_choices(english=english)
    first = months_back(month, months)
    start, _ = month_bounds(first)
    _, end = month_bounds(month)
    scope = Scope(start=start, end=end)
    dimensions: tuple[Dimension, ...] = ("agency", "category", "month")
    tables, as_of = kpi_tables_latest(scope=scope, at=at, dimensions=dimensions)
    agency_names = choices.names("agency")
    return TransparencyData(
        month=month,
        first_month=first,
        figures=city_figures(month=month, at=at, months=months),
        by_agency=rows_of(tables["agency"], agency_names, unnamed),
        by_category=rows_of(tables["category"], choices.names("category"), unnamed),
        ranking=ranked_rows(agency_ranking(tables["agency"]), agency_names),
        trend=trend_of(tables["month"], scope=scope, by="month"),
        as_of=as_of,
    )


@dataclass(frozen=True)
class MonthlyReportData:
    month: date
    agency: Named | None
    headline: Kpis
    by_category: list[Row]
    by_area: list[Row]
    by_day: list[tuple[date, Kpis]]
    ranking: list[Row]
    generated_at: datetime
    agencies: list[Named]
    ranking_minimum: int = RANKING_MIN_PROCESSED


def monthly_report_data(
    *,
    month: date,
    at: datetime,
    agency: str | None = None,
    english: bool = False,
    unnamed: str = "—",
) -> MonthlyReportData:
    """The printable monthly report of one agency, or of the whole city (``agency`` None)."""
    choices = filter_choices(english=english)
    names = choices.names("agency")
    if agency and agency not in names:
        raise NotFound(f"No agency with code {agency!r}.")
    start, end = month_bounds(month)
    scope = Scope(agencies=(agency,) if agency else (), start=start, end=end)
    tables = kpi_tables(scope=scope, at=at, dimensions=("category", "area", "day"))
    city_by_agency = kpi_table(scope=Scope(start=start, end=end), at=at, by="agency")
    ranking = ranked_rows(agency_ranking(city_by_agency), names)
    return MonthlyReportData(
        month=month,
        agency=Named(agency, names.get(agency, agency)) if agency else None,
        headline=total(tables["category"]),
        by_category=rows_of(tables["category"], choices.names("category"), unnamed),
        by_area=rows_of(tables["area"], choices.names("area"), unnamed),
        by_day=trend_of(tables["day"], scope=scope, by="day"),
        ranking=[row for row in ranking if agency is None or row.code == agency],
        generated_at=at,
        agencies=choices.agencies,
    )
