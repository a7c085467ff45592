"""The KPIs of CityOps, defined once: every page, export and bench reads them from here.

docs/kpis.md is the prose version of this module. In short, for the reports *in scope* (their
agency, category and area among those chosen, and submitted within the period):

| KPI | definition |
|---|---|
| received | reports submitted in the period, whatever became of them |
| rejected, duplicates | of those, how many were refused or merged into another report |
| processed | of those, how many are resolved or closed now (a reopened one: once resolved again) |
| on time | processed no later than the deadline in force (an extension is the new deadline) |
| overdue now | still in someone's hands after their deadline, *whenever* submitted |
| processing time | working time from submission to the (last) resolution, on the city's calendar |
| satisfaction | one rating per result (the latest): satisfied and acceptable over all ratings |

Everything is counted in the database with one aggregate query per table, except the
processing time: working time depends on the holiday calendar, so the database returns the two
datetimes of each processed report and ``WorkingClock`` turns each pair into working seconds in
constant time. A table is therefore four queries whatever the number of reports or groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Literal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import (
    TruncDay,
    TruncMonth,
    TruncWeek,
)

from cityops.reports.choices import EventKind, RatingValue, ReportStatus
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Rating, Report, ReportEvent
from cityops.stats.expressions import day_readings, local_day, worked_in_day
from cityops.stats.models import DayKpi, DayKpiRefresh
from cityops.stats.working_time import WorkingClock

Dimension = Literal["agency", "category", "area", "channel", "month", "week", "day"]
Key = str | date | None
DIMENSIONS: tuple[Dimension, ...] = (
    "agency", "category", "area", "channel", "month", "week", "day"
)  # fmt: skip
PERIODS = {"month": TruncMonth, "week": TruncWeek, "day": TruncDay}

PROCESSED = (ReportStatus.RESOLVED, ReportStatus.CLOSED)
# An agency appears in a ranking only with at least this many processed reports in the period:
# a unit that handled two reports, both on time, is not "the best" (docs/kpis.md).
RANKING_MIN_PROCESSED = 10


@dataclass(frozen=True)
class Scope:
    """Which reports the KPIs are about; empty tuples do not narrow, ``end`` is exclusive."""

    agencies: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None

    def where(self, prefix: str = "", *, with_period: bool = True) -> Q:
        """The scope as a condition on reports (``prefix`` reaches them from another model)."""
        condition = Q()
        for values, lookup in (
            (self.agencies, "agency__code__in"),
            (self.categories, "category__code__in"),
            (self.areas, "area__code__in"),
        ):
            if values:
                condition &= Q(**{prefix + lookup: values})
        if with_period and self.start is not None:
            condition &= Q(**{prefix + "submitted_at__gte": self.start})
        if with_period and self.end is not None:
            condition &= Q(**{prefix + "submitted_at__lt": self.end})
        return condition

    def with_period(self, start: datetime | None, end: datetime | None) -> Scope:
        return replace(self, start=start, end=end)


@dataclass
class Kpis:
    """The KPIs of one group of reports; rates are None when there is nothing to divide."""

    received: int = 0
    rejected: int = 0
    duplicates: int = 0
    processed: int = 0
    on_time: int = 0
    overdue: int | None = 0
    processing_seconds: float = 0.0
    satisfied: int = 0
    acceptable: int = 0
    unsatisfied: int = 0
    extras: dict[str, Any] = field(default_factory=dict)

    ADDITIVE = (
        "received",
        "rejected",
        "duplicates",
        "processed",
        "on_time",
        "processing_seconds",
        "satisfied",
        "acceptable",
        "unsatisfied",
    )

    def add(self, other: Kpis) -> None:
        """Add another group's figures (each report is in one group of a dimension)."""
        for name in self.ADDITIVE:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.overdue is not None or self.overdue is not None:
            self.overdue = (self.overdue or 0) + (other.overdue or 0)

    @property
    def late(self) -> int:
        return self.processed - self.on_time

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.processed if self.processed else None

    @property
    def avg_processing_hours(self) -> float | None:
        if not self.processed:
            return None
        return self.processing_seconds / self.processed / 3600

    @property
    def rated(self) -> int:
        return self.satisfied + self.acceptable + self.unsatisfied

    @property
    def satisfaction_rate(self) -> float | None:
        return (self.satisfied + self.acceptable) / self.rated if self.rated else None

    def as_dict(self) -> dict[str, Any]:
        """Plain numbers, for JSON (charts, the bench) and tests."""
        return {
            "received": self.received,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "processed": self.processed,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "on_time_rate": _rounded(self.on_time_rate),
            "avg_processing_hours": _rounded(self.avg_processing_hours),
            "satisfied": self.satisfied,
            "acceptable": self.acceptable,
            "unsatisfied": self.unsatisfied,
            "rated": self.rated,
            "satisfaction_rate": _rounded(self.satisfaction_rate),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@cache
def working_clock() -> WorkingClock:
    """The city's working calendar as a clock (built once per process, like the calendar)."""
    return WorkingClock(working_calendar())


def _key_expression(by: Dimension | None, prefix: str = "") -> Any:
    if by is None:
        return None
    if by in PERIODS:
        return PERIODS[by](prefix + "submitted_at", tzinfo=working_calendar().tz)
    if by == "channel":  # where the report came from: a field of its own, not a related code
        return F(prefix + "channel")
    return F(prefix + f"{by}__code")


def _key(value: Any) -> Key:
    """Period buckets come back as local datetimes (or dates on some backends): use the date."""
    if isinstance(value, datetime):
        return value.astimezone(working_calendar().tz).date()
    return value


def kpis(*, scope: Scope, at: datetime) -> Kpis:
    """The KPIs of everything in ``scope``; ``at`` is "now" for what is overdue."""
    return kpi_tables(scope=scope, at=at, dimensions=())[None].get(None) or Kpis()


def kpi_table(*, scope: Scope, at: datetime, by: Dimension | None) -> dict[Key, Kpis]:
    """The KPIs grouped ``by`` one dimension (None: one group, keyed None); see ``kpi_tables``."""
    dimensions: tuple[Dimension, ...] = (by,) if by else ()
    return kpi_tables(scope=scope, at=at, dimensions=dimensions)[by]


def kpi_tables(
    *, scope: Scope, at: datetime, dimensions: tuple[Dimension, ...]
) -> dict[Dimension | None, dict[Key, Kpis]]:
    """The KPIs grouped by each of ``dimensions`` at once, in four queries whatever their number.

    The database groups by all the dimensions together (``kpi_cube``: a few thousand groups for
    a month of a large city) and the groups are added up here into one table per dimension, so
    a page that shows KPIs by agency, by category and by area reads the month's reports once,
    not three times. No dimensions: one table keyed None with one group keyed None.

    Groups by agency, category or area are keyed by code (None for reports without one);
    periods by the local date their bucket starts (Monday for weeks). Only groups with at least
    one received, overdue or rated report appear. For periods "overdue now" is None: it is a
    snapshot of today, not a property of a month.
    """
    names: tuple[Dimension | None, ...] = dimensions or (None,)
    tables: dict[Dimension | None, dict[Key, Kpis]] = {name: defaultdict(Kpis) for name in names}
    for keys, kpi in kpi_cube(scope=scope, at=at, dimensions=dimensions).items():
        if not dimensions:
            tables[None][None].add(kpi)
        for name, key in zip(dimensions, keys, strict=True):
            tables[name][key].add(kpi)
    overdue_now(scope=scope, at=at, dimensions=dimensions, into=tables)
    for name in dimensions:
        if name in PERIODS:
            for kpi in tables[name].values():
                kpi.overdue = None
    return {name: dict(table) for name, table in tables.items()}


def kpi_cube(
    *, scope: Scope, at: datetime, dimensions: tuple[Dimension, ...]
) -> dict[tuple[Key, ...], Kpis]:
    """The KPIs per combination of ``dimensions`` (keys in their order), in three queries;
    "overdue now" is left out (see ``overdue_now``).

    Processing time without a loop over reports: the working time from submission to
    resolution is W(resolved) − W(submitted), where W(t) is the working time elapsed since a
    fixed origin. W(t) = (working time before t's local day) + (working time of that day up to
    t's time of day, if the day is worked). The database groups the reports by local day and
    sums the second term (``expressions.worked_in_day``: arithmetic on the time of day);
    ``WorkingClock`` supplies the first term and the working-day flag per day, for the few
    hundred days involved.
    """
    cube: dict[tuple[Key, ...], Kpis] = defaultdict(lambda: Kpis(overdue=None))

    def group(row: dict[str, Any]) -> Kpis:
        return cube[tuple(_key(row[f"k_{name}"]) for name in dimensions)]

    def keys(prefix: str = "") -> dict[str, Any]:
        return {f"k_{name}": _key_expression(name, prefix) for name in dimensions}

    clock = working_clock()
    reports = Report.objects.filter(scope.where()).order_by()
    processed_q = Q(status__in=PROCESSED, resolved_at__isnull=False)
    counts = {
        "received": Count("pk"),
        "rejected": Count("pk", filter=Q(status=ReportStatus.REJECTED)),
        "duplicates": Count("pk", filter=Q(status=ReportStatus.DUPLICATE)),
        "processed": Count("pk", filter=Q(status__in=PROCESSED)),
        "on_time": Count(
            "pk",
            filter=Q(status__in=PROCESSED)
            & (Q(due_at__isnull=True) | Q(resolved_at__lte=F("due_at"))),
        ),
    }
    # Per (group, local day of submission): the counts, and the start of the processing time.
    started = reports.values(**keys(), day=local_day("submitted_at")).annotate(
        **counts,
        timed=Count("pk", filter=processed_q),
        within_day=Sum(worked_in_day("submitted_at", clock), filter=processed_q),
    )
    for row in started:
        kpi = group(row)
        for name in counts:
            setattr(kpi, name, getattr(kpi, name) + row[name])
        kpi.processing_seconds -= day_readings(clock, row["day"], row["timed"], row["within_day"])
    # Per (group, local day of resolution): the end of the processing time. A report is
    # resolved after it was submitted, so the period's start bounds the resolution too.
    ended = reports.filter(processed_q)
    if scope.start is not None:
        ended = ended.filter(resolved_at__gte=scope.start)
    ended_rows = ended.values(**keys(), day=local_day("resolved_at")).annotate(
        timed=Count("pk"), within_day=Sum(worked_in_day("resolved_at", clock))
    )
    for row in ended_rows:
        group(row).processing_seconds += day_readings(
            clock, row["day"], row["timed"], row["within_day"]
        )

    # Ratings of the reports in scope; a rating never precedes its report's submission.
    ratings = ratings_counted().filter(scope.where("report__")).order_by()
    if scope.start is not None:
        ratings = ratings.filter(created_at__gte=scope.start)
    by_value = {
        str(value): Count("pk", filter=Q(value=value))
        for value in (RatingValue.SATISFIED, RatingValue.ACCEPTABLE, RatingValue.UNSATISFIED)
    }
    rating_rows: Iterable[dict[str, Any]] = (
        ratings.values(**keys("report__")).annotate(**by_value)
        if dimensions
        else [ratings.aggregate(**by_value)]
    )
    for row in rating_rows:
        if any(row[value] for value in by_value):
            kpi = group(row)
            kpi.satisfied += row[RatingValue.SATISFIED]
            kpi.acceptable += row[RatingValue.ACCEPTABLE]
            kpi.unsatisfied += row[RatingValue.UNSATISFIED]
    return dict(cube)


def ratings_counted() -> QuerySet[Rating]:
    """The ratings the KPIs count: one per result, the latest given to it.

    The workflow refuses a second rating of the same result; rows written before it did (an
    "unsatisfied" repeated while the report stayed resolved) must not weigh on the agency
    either. A rating is left out when a later rating of the same report follows it with no
    resolution in between.
    """
    resolved_between = ReportEvent.objects.filter(
        report=OuterRef(OuterRef("report")),
        kind=EventKind.RESOLVED,
        created_at__gt=OuterRef(OuterRef("created_at")),
        created_at__lte=OuterRef("created_at"),
    )
    later_of_same_result = (
        Rating.objects.filter(report=OuterRef("report"))
        .filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        .filter(~Exists(resolved_between))
    )
    return Rating.objects.filter(~Exists(later_of_same_result))


_ROLLED_UP = {"agency": "agency_code", "category": "category_code", "area": "area_code"}


def kpi_tables_rolled_up(
    *, scope: Scope, at: datetime, dimensions: tuple[Dimension, ...]
) -> dict[Dimension | None, dict[Key, Kpis]] | None:
    """``kpi_tables`` read from the daily rollup (``DayKpi``) instead of the reports: the same
    figures as of the last refresh (at most ten minutes old), in three queries however long the
    period. "Overdue now" is read live. None when the rollup was never built.

    The scope's bounds must fall on local midnights (whole days), as months do.
    """
    if "channel" in dimensions or not DayKpiRefresh.objects.exists():
        return None  # the rollup is not kept by channel: read the reports
    tz = working_calendar().tz
    rows = DayKpi.objects.order_by()
    for values, field_name in (
        (scope.agencies, "agency_code"),
        (scope.categories, "category_code"),
        (scope.areas, "area_code"),
    ):
        if values:
            rows = rows.filter(**{f"{field_name}__in": values})
    if scope.start is not None:
        rows = rows.filter(day__gte=scope.start.astimezone(tz).date())
    if scope.end is not None:
        rows = rows.filter(day__lt=scope.end.astimezone(tz).date())
    keys = {
        f"k_{name}": PERIODS[name]("day")
        if name in PERIODS and name != "day"
        else F(_ROLLED_UP.get(name, "day"))
        for name in dimensions
    }
    sums = {name: Sum(name) for name in Kpis.ADDITIVE}
    names: tuple[Dimension | None, ...] = dimensions or (None,)
    tables: dict[Dimension | None, dict[Key, Kpis]] = {name: defaultdict(Kpis) for name in names}
    grouped = rows.values(**keys).annotate(**sums) if dimensions else [rows.aggregate(**sums)]
    for row in grouped:
        if not row["received"] and not any(row[name] for name in sums):
            continue
        kpi = Kpis()
        for name in sums:
            setattr(kpi, name, row[name] or 0)
        if not dimensions:
            tables[None][None].add(kpi)
        for name in dimensions:
            tables[name][_key(row[f"k_{name}"]) or None].add(kpi)
    overdue_now(scope=scope, at=at, dimensions=dimensions, into=tables)
    for name in dimensions:
        if name in PERIODS:
            for kpi in tables[name].values():
                kpi.overdue = None
    return {name: dict(table) for name, table in tables.items()}


def overdue_now(
    *,
    scope: Scope,
    at: datetime,
    dimensions: tuple[Dimension, ...],
    into: dict[Dimension | None, dict[Key, Kpis]],
) -> None:
    """Add "overdue now" to tables by ``dimensions`` (one query; periods do not apply)."""
    overdue = Report.objects.filter(
        scope.where(with_period=False), status__in=ReportStatus.active(), due_at__lt=at
    ).order_by()
    snapshot = {f"k_{name}": _key_expression(name) for name in dimensions if name not in PERIODS}
    if not dimensions:
        if n := overdue.count():
            kpi = into[None][None]
            kpi.overdue = (kpi.overdue or 0) + n
    elif snapshot:
        for row in overdue.values(**snapshot).annotate(n=Count("pk")):
            for field_name in snapshot:
                kpi = into[_dimension(field_name)][_key(row[field_name])]
                kpi.overdue = (kpi.overdue or 0) + row["n"]


def _dimension(field_name: str) -> Dimension:
    return next(name for name in DIMENSIONS if f"k_{name}" == field_name)


def kpi_trend(*, scope: Scope, at: datetime, by: Dimension = "month") -> list[tuple[date, Kpis]]:
    """The KPIs per period over the scope's period, oldest first, with empty periods filled."""
    return trend_of(kpi_table(scope=scope, at=at, by=by), scope=scope, by=by)


def trend_of(table: dict[Key, Kpis], *, scope: Scope, by: Dimension) -> list[tuple[date, Kpis]]:
    """A table by period as a list of every period of the scope, oldest first."""
    if scope.start is None or scope.end is None:
        return sorted(
            ((key, kpi) for key, kpi in table.items() if isinstance(key, date)),
            key=lambda item: item[0],
        )
    tz = working_calendar().tz
    day, last = scope.start.astimezone(tz).date(), (scope.end - timedelta(microseconds=1))
    buckets: list[date] = []
    while day <= last.astimezone(tz).date():
        bucket = period_start(day, by)
        if not buckets or buckets[-1] != bucket:
            buckets.append(bucket)
        day = next_period(bucket, by)
    return [(bucket, table.get(bucket) or Kpis(overdue=None)) for bucket in buckets]


def period_start(day: date, by: Dimension) -> date:
    if by == "month":
        return day.replace(day=1)
    if by == "week":
        return day - timedelta(days=day.weekday())
    return day


def next_period(start: date, by: Dimension) -> date:
    if by == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if by == "week" else 1)


@dataclass(frozen=True)
class Ranked:
    """One agency's place in a ranking; ``position`` is None below the minimum volume."""

    code: str
    kpis: Kpis
    position: int | None


def agency_ranking(table: dict[Key, Kpis], *, minimum: int = RANKING_MIN_PROCESSED) -> list[Ranked]:
    """Agencies best first: on-time rate, then satisfaction, then shorter processing time.

    Only agencies with at least ``minimum`` processed reports are ranked; the others follow,
    unranked, by volume. Equal scores share a position.
    """
    eligible = [
        (code, kpi)
        for code, kpi in table.items()
        if isinstance(code, str) and kpi.processed >= minimum
    ]

    def score(kpi: Kpis) -> tuple[float, float, float]:
        return (
            -(kpi.on_time_rate or 0.0),
            -(kpi.satisfaction_rate if kpi.satisfaction_rate is not None else 0.0),
            kpi.avg_processing_hours or 0.0,
        )

    eligible.sort(key=lambda item: (score(item[1]), item[0]))
    ranked: list[Ranked] = []
    for index, (code, kpi) in enumerate(eligible):
        tied = ranked and score(ranked[-1].kpis) == score(kpi)
        position = ranked[-1].position if tied else index + 1
        ranked.append(Ranked(code, kpi, position))
    rest = sorted(
        (
            (code, kpi)
            for code, kpi in table.items()
            if isinstance(code, str) and kpi.processed < minimum
        ),
        key=lambda item: (-item[1].processed, -item[1].received, item[0]),
    )
    return ranked + [Ranked(code, kpi, None) for code, kpi in rest]
