"""``manage.py forecast_backtest``: the back-tested error of the report volume forecasts on
this database, as the Markdown table of docs/forecasts.md."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cityops.platform import clock
from cityops.stats.forecasts.engine import Forecast, forecast
from cityops.stats.forecasts.volumes import HORIZON, SEASON, Period, busiest, report_volumes


class Command(BaseCommand):
    help = (
        "Back-test the forecasts of reports received per week and per month (all reports, "
        "the busiest categories and areas) and print the errors as a Markdown table."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--top", type=int, default=3, help="Busiest categories and areas.")
        parser.add_argument(
            "--period", choices=["week", "month"], action="append", help="Default: both."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        at = clock.now()
        top = options["top"]
        series: list[tuple[str, str | None, str | None]] = [("all reports", None, None)]
        series += [(f"category {c}", c, None) for c in busiest(dimension="category", count=top)]
        series += [(f"area {a}", None, a) for a in busiest(dimension="area", count=top)]
        self.stdout.write(
            "| series | per | periods | mean | method | MAE | sMAPE | in 80 % interval "
            "| naive MAE | naive sMAPE | seasonal naive MAE | seasonal naive sMAPE "
            "| MAE vs the better naive |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        periods: list[Period] = options["period"] or ["week", "month"]
        for period in periods:
            for label, category, area in series:
                history = report_volumes(period=period, at=at, category=category, area=area)
                result = forecast(
                    history,
                    horizon=HORIZON[period],
                    frequency=period,
                    season_length=SEASON[period],
                )
                self.stdout.write(_row(label, period, history, result))


def _row(label: str, period: str, history: list[Any], result: Forecast) -> str:
    mean = sum(value for _, value in history) / len(history) if history else 0
    test = result.backtest
    if test is None:
        return f"| {label} | {period} | {len(history)} | {mean:.1f} | too little history |" + (
            " |" * 8
        )
    change = (test.model.mae / test.baseline.mae - 1) * 100 if test.baseline.mae else 0.0
    seasonal = test.seasonal_naive
    lagged = f"{seasonal.mae:.1f} | {seasonal.smape:.1f} %" if seasonal else "— | —"
    return (
        f"| {label} | {period} | {len(history)} | {mean:.1f} | {result.method} "
        f"| {test.model.mae:.1f} | {test.model.smape:.1f} % | {test.model.coverage or 0:.0%} "
        f"| {test.naive.mae:.1f} | {test.naive.smape:.1f} % | {lagged} | {change:+.0f} % |"
    )
