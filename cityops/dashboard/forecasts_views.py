"""The leaders' forecasts page: reports received per week or month for a chosen category and/or
area, and the province's indicators with enough history, each with its interval and its
back-tested error (docs/forecasts.md). One forecast of each kind per page view, cached."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.dashboard.forecast_chart import forecast_chart
from cityops.dashboard.forms import CodeField
from cityops.platform import clock
from cityops.stats.forecasts import MIN_POINTS, Forecast
from cityops.stats.forecasts.indicators import (
    STEPS,
    indicator_forecast,
    indicators_forecastable,
)
from cityops.stats.forecasts.volumes import HORIZON, SEASON, report_volume_forecast
from cityops.stats.selectors import filter_choices


class ForecastForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Per"),
        choices=[("week", _("week")), ("month", _("month"))],
        required=False,
    )
    category = CodeField(label=_("Category"), required=False)
    area = CodeField(label=_("Area"), required=False)
    indicator = CodeField(label=_("Indicator"), required=False)

    def offer(self, *, categories: list[tuple[str, str]], areas: list[tuple[str, str]]) -> None:
        everything = [("", _("All"))]
        self.fields["category"].widget.choices = everything + categories
        self.fields["area"].widget.choices = everything + areas

    def chosen(self) -> dict[str, str]:
        if self.is_bound:
            self.is_valid()
        cleaned: dict[str, Any] = getattr(self, "cleaned_data", {})
        return {
            "period": cleaned.get("period") or "week",
            "category": cleaned.get("category") or "",
            "area": cleaned.get("area") or "",
            "indicator": cleaned.get("indicator") or "",
        }


def _block(result: Forecast, *, frequency: str, unit: str = "") -> dict[str, Any]:
    """What the forecast component shows: the figures, the chart and the last periods."""
    return {
        "result": result,
        "chart": forecast_chart(result, frequency=frequency),
        "frequency": frequency,
        "unit": unit,
        "recent": result.history[-8:],
        "level_percent": round(result.level * 100),
    }


@require_GET
@roles_required(*IOC_READERS)
def forecasts(request: HttpRequest) -> HttpResponse:
    form = ForecastForm(request.GET or None)
    choices = filter_choices(english=get_language() == "en")
    form.offer(
        categories=[(item.code, item.name) for item in choices.categories],
        areas=[(item.code, item.name) for item in choices.areas],
    )
    chosen = form.chosen()
    period = chosen["period"]
    volumes = report_volume_forecast(
        period=period,  # type: ignore[arg-type]
        at=clock.now(),
        category=chosen["category"] or None,
        area=chosen["area"] or None,
    )
    indicators = indicators_forecastable()
    selected = next((i for i in indicators if i.code == chosen["indicator"]), None)
    if selected is None and indicators:
        selected = indicators[0]
    indicator_block = None
    if selected is not None:
        frequency = STEPS[selected.frequency][0]
        indicator_block = _block(
            indicator_forecast(selected).forecast, frequency=frequency, unit=selected.unit
        )
    names = {"category": choices.names("category"), "area": choices.names("area")}
    return render(
        request,
        "dashboard/forecasts.html",
        {
            "form": form,
            "period": period,
            "category_name": names["category"].get(chosen["category"], ""),
            "area_name": names["area"].get(chosen["area"], ""),
            "volumes": _block(volumes.forecast, frequency=period),
            "horizon": HORIZON[period],  # type: ignore[index]
            "season": SEASON[period],  # type: ignore[index]
            "minimum": MIN_POINTS,
            "indicators": indicators,
            "selected": selected,
            "indicator_block": indicator_block,
            "query": {k: v for k, v in chosen.items() if k != "indicator" and v},
        },
    )
