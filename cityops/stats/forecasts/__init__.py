"""Forecasts with an interval and a back-tested error: the engine (``engine``), report volumes
(``volumes``) and indicators (``indicators``). docs/forecasts.md."""

from cityops.stats.forecasts.engine import (
    MIN_POINTS,
    Accuracy,
    Backtest,
    Forecast,
    Point,
    forecast,
)

__all__ = ["MIN_POINTS", "Accuracy", "Backtest", "Forecast", "Point", "forecast"]
