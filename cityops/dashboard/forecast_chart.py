"""The geometry of a forecast chart, drawn as SVG by the server (no script, same on paper):
the history as a line, the forecast as a dashed line inside its interval band."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.utils.formats import number_format

from cityops.stats.forecasts import Forecast

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 10, 26
SHOWN = 52  # history periods drawn, at most (the table has them all)


@dataclass(frozen=True)
class Tick:
    at: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    history: str  # polyline points
    forecast: str
    band: str  # polygon points
    now_x: float
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    left: int
    right: int
    bottom: int


def _nice_step(span: float, count: int = 4) -> float:
    raw = span / count if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _number(value: float) -> str:
    decimals = 0 if abs(value) >= 10 or value == int(value) else 2
    return number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


def _label(period: date, frequency: str) -> str:
    if frequency in ("week", "day"):
        return f"{period:%d/%m/%y}"
    if frequency == "year":
        return f"{period:%Y}"
    return f"{period:%m/%Y}"


def forecast_chart(result: Forecast, *, frequency: str) -> Chart | None:
    """The chart of a forecast with enough history (None otherwise)."""
    if not result.points:
        return None
    history = result.history[-SHOWN:]
    periods = [period for period, _ in history] + [point.period for point in result.points]
    values = [value for _, value in history]
    top = max(values + [point.upper for point in result.points])
    bottom = min(values + [point.lower for point in result.points])
    step = _nice_step(top - bottom)
    low, high = math.floor(bottom / step) * step, math.ceil(top / step) * step
    if high == low:
        high = low + step
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return round(LEFT + inner_w * index / max(len(periods) - 1, 1), 1)

    def y(value: float) -> float:
        return round(TOP + inner_h * (high - value) / (high - low), 1)

    def line(pairs: list[tuple[int, float]]) -> str:
        return " ".join(f"{x(i)},{y(v)}" for i, v in pairs)

    last = len(history) - 1
    ahead = [(last + 1 + i, point) for i, point in enumerate(result.points)]
    band = [(last, values[-1])] + [(i, p.upper) for i, p in ahead]
    band += [(i, p.lower) for i, p in reversed(ahead)] + [(last, values[-1])]
    y_ticks = []
    tick = low
    while tick <= high + step / 2:
        y_ticks.append(Tick(y(tick), _number(tick)))
        tick += step
    every = max(1, math.ceil(len(periods) / 5))
    last_index = len(periods) - 1
    x_ticks = [
        Tick(
            x(i),
            _label(period, frequency),
            "start" if i == 0 else "end" if i == last_index else "middle",
        )
        for i, period in enumerate(periods)
        if (i % every == 0 and last_index - i >= every) or i == last_index  # no two labels closer
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        history=line(list(enumerate(values))),
        forecast=line([(last, values[-1])] + [(i, p.value) for i, p in ahead]),
        band=line(band),
        now_x=x(last),
        y_ticks=tuple(y_ticks),
        x_ticks=tuple(x_ticks),
        left=LEFT,
        right=WIDTH - RIGHT,
        bottom=HEIGHT - BOTTOM,
    )
