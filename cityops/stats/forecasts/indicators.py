"""Forecasts of the province's indicators (province-wide figures) with enough history."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from cityops.indicators.choices import Frequency as IndicatorFrequency
from cityops.indicators.models import Indicator
from cityops.indicators.selectors import series
from cityops.stats.forecasts.engine import MIN_POINTS, Forecast, Frequency
from cityops.stats.forecasts.volumes import forecast_cached

# Per update frequency: the period step, how far ahead, and the season (a year).
STEPS: dict[str, tuple[Frequency, int, int | None]] = {
    IndicatorFrequency.MONTHLY: ("month", 6, 12),
    IndicatorFrequency.QUARTERLY: ("quarter", 4, 4),
    IndicatorFrequency.YEARLY: ("year", 3, None),
}


@dataclass(frozen=True)
class IndicatorForecast:
    indicator: Indicator
    forecast: Forecast


def indicators_forecastable() -> list[Indicator]:
    """Indicators with at least ``MIN_POINTS`` periods of province-wide figures (one query;
    several uploads of one period count once)."""
    return list(
        Indicator.objects.filter(values__area__isnull=True)
        .annotate(periods=Count("values__period", distinct=True))
        .filter(periods__gte=MIN_POINTS)
        .order_by("sector", "code")
    )


def indicator_forecast(indicator: Indicator) -> IndicatorForecast:
    """The forecast of an indicator's province-wide figure (cached by its series).

    A figure that was never negative is taken as one that cannot be (a count, a rate): it is
    modelled on log(1 + y) and its interval stops at zero."""
    frequency, horizon, season = STEPS[indicator.frequency]
    history = series(indicator)
    nonnegative = all(value >= 0 for _, value in history)
    return IndicatorForecast(
        indicator,
        forecast_cached(
            history,
            horizon=horizon,
            frequency=frequency,
            season_length=season,
            nonnegative=nonnegative,
        ),
    )
