"""Reads of indicator figures shared by the dashboard, the API and the forecasts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from cityops.accounts.choices import Role
from cityops.agencies.models import Agency, Area
from cityops.indicators.models import Indicator, Upload, Value
from cityops.indicators.progress import Progress, is_stale, progress, stale_since


def series(indicator: Indicator, *, area: Area | None = None) -> list[tuple[date, float]]:
    """The current figure of each period, oldest first: the latest upload's row wins."""
    current: dict[date, float] = {}
    rows = Value.objects.filter(indicator=indicator, area=area).order_by("period", "upload_id")
    for period, value in rows.values_list("period", "value"):
        current[period] = value
    return list(current.items())


def _current(values: Iterable[Value]) -> list[Value]:
    """Of rows ordered by period then upload, the latest upload's row of each period."""
    by_period: dict[date, Value] = {}
    for value in values:
        by_period[value.period] = value
    return list(by_period.values())


@dataclass(frozen=True)
class Tile:
    """What the dashboard shows of an indicator: its current figures (each with its upload and
    row), the latest and the change from the previous period, the status and staleness."""

    indicator: Indicator
    figures: list[Value]
    progress: Progress
    stale: bool
    stale_since: date

    @property
    def latest(self) -> Value | None:
        return self.figures[-1] if self.figures else None

    @property
    def previous(self) -> Value | None:
        return self.figures[-2] if len(self.figures) > 1 else None

    @property
    def change(self) -> float | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value


def _tile(indicator: Indicator, figures: list[Value], *, today: date) -> Tile:
    latest = figures[-1] if figures else None
    verdict = progress(
        baseline=indicator.baseline_value,
        baseline_period=indicator.baseline_period,
        target=indicator.target_value,
        target_year=indicator.target_year,
        direction=indicator.direction,
        frequency=indicator.frequency,
        latest=latest.value if latest else None,
        latest_period=latest.period if latest else None,
    )
    last_period = latest.period if latest else indicator.baseline_period
    return Tile(
        indicator=indicator,
        figures=figures,
        progress=verdict,
        stale=is_stale(latest_period=last_period, frequency=indicator.frequency, today=today),
        stale_since=stale_since(latest_period=last_period, frequency=indicator.frequency),
    )


def indicator_tiles(*, today: date, indicators: QuerySet[Indicator] | None = None) -> list[Tile]:
    """A tile per indicator (the registry's order: sector, then code), in two queries."""
    if indicators is None:
        indicators = Indicator.objects.all()
    chosen = list(indicators.select_related("department"))
    rows = (
        Value.objects.filter(indicator__in=chosen, area__isnull=True)
        .select_related("upload")
        .order_by("indicator_id", "period", "upload_id")
    )
    by_indicator: dict[int, list[Value]] = defaultdict(list)
    for value in rows:
        by_indicator[value.indicator_id].append(value)
    return [
        _tile(indicator, _current(by_indicator[indicator.pk]), today=today) for indicator in chosen
    ]


def indicator_tile(indicator: Indicator, *, today: date) -> Tile:
    return indicator_tiles(today=today, indicators=Indicator.objects.filter(pk=indicator.pk))[0]


@dataclass(frozen=True)
class AreaFigure:
    """An area's current figures; its status takes the area's first figure as its baseline and
    the province's target (areas have no targets of their own)."""

    area: Area
    figures: list[Value]
    progress: Progress

    @property
    def latest(self) -> Value:
        return self.figures[-1]


def area_figures(indicator: Indicator) -> list[AreaFigure]:
    """Every area with figures of ``indicator``, by name."""
    rows = (
        Value.objects.filter(indicator=indicator, area__isnull=False)
        .select_related("area", "upload")
        .order_by("area__name", "area_id", "period", "upload_id")
    )
    by_area: dict[int, list[Value]] = defaultdict(list)
    for value in rows:
        assert value.area_id is not None
        by_area[value.area_id].append(value)
    result = []
    for values in by_area.values():
        figures = _current(values)
        first, last = figures[0], figures[-1]
        verdict = progress(
            baseline=first.value,
            baseline_period=first.period,
            target=indicator.target_value,
            target_year=indicator.target_year,
            direction=indicator.direction,
            frequency=indicator.frequency,
            latest=last.value,
            latest_period=last.period,
        )
        assert first.area is not None
        result.append(AreaFigure(area=first.area, figures=figures, progress=verdict))
    return result


def uploads_of(indicator: Indicator) -> QuerySet[Upload]:
    """The uploads that brought figures of ``indicator``, newest first."""
    return (
        Upload.objects.filter(values__indicator=indicator)
        .distinct()
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


def upload_figures(upload: Upload) -> QuerySet[Value]:
    """The figures an upload brought, in its row order."""
    return upload.values.select_related("indicator", "area").order_by("row")


def indicators_for_upload(*, department: Agency | None = None) -> QuerySet[Indicator]:
    """The registry as the upload page lists it (codes, frequencies, units): a department's
    own indicators only, for its staff."""
    indicators = Indicator.objects.select_related("department").order_by("sector", "code")
    return indicators if department is None else indicators.filter(department=department)


def uploads_for(user: Any) -> QuerySet[Upload]:
    """The uploads ``user`` may read: every one for IOC staff and leaders, those of their own
    agency's staff for agency staff."""
    uploads = Upload.objects.select_related("uploaded_by").order_by("-created_at", "-pk")
    if user.role == Role.AGENCY_STAFF:
        return uploads.filter(uploaded_by__agency_id=user.agency_id)
    return uploads
