"""Reads of indicator figures shared by the dashboard, the API and the forecasts."""

from datetime import date

from cityops.agencies.models import Area
from cityops.indicators.models import Indicator, Value


def series(indicator: Indicator, *, area: Area | None = None) -> list[tuple[date, float]]:
    """The current figure of each period, oldest first: the latest upload's row wins."""
    current: dict[date, float] = {}
    rows = Value.objects.filter(indicator=indicator, area=area).order_by("period", "upload_id")
    for period, value in rows.values_list("period", "value"):
        current[period] = value
    return list(current.items())
