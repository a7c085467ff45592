"""Forecasts of a series of figures per period, with an interval and a back-tested error.

One procedure for report volumes and indicators (docs/forecasts.md):

- Counts and other figures that cannot be negative are modelled as log(1 + y): the interval
  never goes below zero and a series of small counts (0, 1, 2 a week) is not forced into a
  symmetric band. Back on the original scale the point is the median of the forecast.
- Exponential smoothing in state-space form (statsmodels ``ETSModel``, additive errors): the
  level alone, or a damped trend, and an additive season only with two full seasons of
  history; the lowest AICc wins. Its prediction intervals are analytic (no simulation), so the
  same series always gives the same forecast.
- Below ``MIN_POINTS`` periods there is no forecast: "too little history".
- The back-test replays the procedure from the last ``BACKTEST_ORIGINS`` cut-off points (each
  fitted on the history before it, 1..horizon periods ahead) and compares with the naive
  forecast (the last value; the value one season back when a season is modelled).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.tools.sm_exceptions import ConvergenceWarning, ValueWarning
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

Frequency = Literal["day", "week", "month", "quarter", "year"]
MIN_POINTS = 12  # the fewest periods a forecast is made from
MIN_TRAIN = 8  # the fewest periods a back-test cut-off is fitted on
BACKTEST_ORIGINS = 8
SEASONS_NEEDED = 2  # full seasons of history before a season is modelled


@dataclass(frozen=True)
class Point:
    """One future period: the forecast and its interval (``level`` of the outcomes inside)."""

    period: date
    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Accuracy:
    """Errors of forecasts against what happened, pooled over every cut-off and step.

    ``mape`` is None when an actual value was zero (it would divide by zero); ``smape`` (the
    symmetric version, 0 to 200 %) is always given. ``coverage`` is the share of actual values
    inside the interval (None for a method without one).
    """

    mae: float
    smape: float
    mape: float | None
    coverage: float | None
    compared: int


@dataclass(frozen=True)
class Backtest:
    """The model's back-tested errors beside those of the naive forecasts on the same
    cut-offs and steps: the last value, and the value one season back (with a season length
    and a season of history before every cut-off)."""

    origins: int
    horizon: int
    model: Accuracy
    naive: Accuracy
    seasonal_naive: Accuracy | None = None

    @property
    def baselines(self) -> list[tuple[str, Accuracy]]:
        named = [("naive", self.naive)]
        if self.seasonal_naive is not None:
            named.append(("seasonal naive", self.seasonal_naive))
        return named

    @property
    def baseline_method(self) -> str:
        """The better naive forecast (lower MAE): the one the model has to beat."""
        return min(self.baselines, key=lambda item: item[1].mae)[0]

    @property
    def baseline(self) -> Accuracy:
        return dict(self.baselines)[self.baseline_method]

    @property
    def beats_baseline(self) -> bool:
        return self.model.mae < self.baseline.mae

    @property
    def skill(self) -> float | None:
        """1 − the model's MAE over the better baseline's: above zero, the model does better."""
        if self.baseline.mae == 0:
            return None
        return 1 - self.model.mae / self.baseline.mae


@dataclass(frozen=True)
class Forecast:
    """A series' history and, with enough of it, its forecast and back-test."""

    history: tuple[tuple[date, float], ...]
    points: tuple[Point, ...]
    method: str
    level: float
    minimum: int
    backtest: Backtest | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def enough_history(self) -> bool:
        return bool(self.points)


def next_period(start: date, frequency: Frequency) -> date:
    if frequency == "day":
        return start + timedelta(days=1)
    if frequency == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[frequency]
    year, index = divmod(start.year * 12 + start.month - 1 + months, 12)
    return date(year, index + 1, 1)


def forecast(
    series: Sequence[tuple[date, float]],
    *,
    horizon: int,
    frequency: Frequency,
    season_length: int | None = None,
    level: float = 0.8,
    nonnegative: bool = True,
    backtest_origins: int = BACKTEST_ORIGINS,
) -> Forecast:
    """The forecast of the ``horizon`` periods after ``series`` (oldest first, one value per
    period, no gaps), with an interval holding ``level`` of the outcomes, and its back-test.

    ``nonnegative``: the figure cannot be below zero (counts): modelled on log(1 + y).
    """
    if horizon < 1 or not 0 < level < 1:
        raise ValueError("horizon must be at least 1 and level between 0 and 1")
    history = tuple((period, float(value)) for period, value in series)
    values = np.array([value for _, value in history], dtype=float)
    if nonnegative and (values < 0).any():
        raise ValueError("a non-negative series has a negative value")
    if len(values) < MIN_POINTS:
        return Forecast(history, (), "", level, MIN_POINTS)
    fitted = _fit_and_predict(values, horizon, season_length, level, nonnegative)
    periods: list[date] = []
    period = history[-1][0]
    for _ in range(horizon):
        period = next_period(period, frequency)
        periods.append(period)
    points = tuple(
        Point(periods[step], *(_rounded(x) for x in fitted.at(step))) for step in range(horizon)
    )
    return Forecast(
        history,
        points,
        fitted.method,
        level,
        MIN_POINTS,
        backtest(
            values,
            horizon=horizon,
            season_length=season_length,
            level=level,
            nonnegative=nonnegative,
            origins=backtest_origins,
        ),
    )


def _rounded(value: float) -> float:
    return round(value, 4)


@dataclass(frozen=True)
class _Predicted:
    method: str
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def at(self, step: int) -> tuple[float, float, float]:
        return float(self.mean[step]), float(self.lower[step]), float(self.upper[step])


def _fit_and_predict(
    values: np.ndarray, horizon: int, season_length: int | None, level: float, nonnegative: bool
) -> _Predicted:
    """The chosen model's forecast on the original scale (or the naive one if none fits)."""
    scaled = np.log1p(values) if nonnegative else values
    if np.ptp(scaled) < 1e-9:  # a flat history: nothing to estimate, and ETS would divide by 0
        flat = np.full(horizon, values[-1])
        return _Predicted("constant", flat, flat, flat)
    seasonal = bool(season_length and len(values) >= SEASONS_NEEDED * season_length)
    best: tuple[float, str, pd.DataFrame] | None = None
    with _quiet():
        for trend in (False, True):
            for season in (False, True) if seasonal else (False,):
                try:
                    frame, aicc, name = _ets(scaled, horizon, trend, season_length, season, level)
                except (ValueError, np.linalg.LinAlgError):
                    continue
                usable = np.isfinite(aicc) and np.isfinite(frame.to_numpy()).all()
                if usable and (best is None or aicc < best[0]):
                    best = (aicc, name, frame)
    if best is None:
        return _naive_with_interval(values, horizon, level, nonnegative)
    _, name, frame = best
    mean, lower, upper = (frame[column].to_numpy() for column in ("mean", "pi_lower", "pi_upper"))
    if nonnegative:
        mean, lower, upper = (np.clip(np.expm1(x), 0, None) for x in (mean, lower, upper))
        name += " on log(1+y)"
    return _Predicted(name, mean, lower, upper)


def _ets(
    scaled: np.ndarray,
    horizon: int,
    trend: bool,
    season_length: int | None,
    season: bool,
    level: float,
) -> tuple[pd.DataFrame, float, str]:
    model = ETSModel(
        pd.Series(scaled),
        error="add",
        trend="add" if trend else None,
        damped_trend=trend,
        seasonal="add" if season else None,
        seasonal_periods=season_length if season else None,
        # Estimating one initial state per season (52 for weeks) takes seconds and overfits
        # two years of data; the classical decomposition's start values are enough.
        initialization_method="heuristic" if season else "estimated",
    )
    result = model.fit(disp=False)
    n = len(scaled)
    frame = result.get_prediction(start=n, end=n + horizon - 1).summary_frame(alpha=1 - level)
    name = f"ETS(A,{'Ad' if trend else 'N'},{'A' if season else 'N'})"
    return frame, float(result.aicc), name


def _naive_with_interval(
    values: np.ndarray, horizon: int, level: float, nonnegative: bool
) -> _Predicted:
    """The last value, with the spread of past one-step changes growing as √h: the fallback
    when no exponential smoothing model can be fitted."""
    changes = np.diff(values)
    spread = float(np.std(changes, ddof=1)) if len(changes) > 1 else 0.0
    z = float(norm.ppf(0.5 + level / 2))
    steps = np.sqrt(np.arange(1, horizon + 1))
    mean = np.full(horizon, values[-1])
    lower, upper = mean - z * spread * steps, mean + z * spread * steps
    if nonnegative:
        lower = np.clip(lower, 0, None)
    return _Predicted("naive", mean, lower, upper)


@contextmanager
def _quiet() -> Iterator[None]:
    """statsmodels' convergence and numerical warnings, silenced here only: a poor fit loses
    on AICc or in the back-test, it need not fill the logs."""
    with warnings.catch_warnings():
        for category in (ConvergenceWarning, ValueWarning, RuntimeWarning):
            warnings.simplefilter("ignore", category)
        yield


# --- the back-test -----------------------------------------------------------------------


def backtest(
    values: np.ndarray,
    *,
    horizon: int,
    season_length: int | None,
    level: float,
    nonnegative: bool,
    origins: int = BACKTEST_ORIGINS,
) -> Backtest | None:
    """Rolling origin: for each of the last ``origins`` cut-offs (with at least ``MIN_TRAIN``
    periods before them), forecast 1..horizon periods from the history before the cut-off and
    compare with what came; the naive forecasts are scored on the same cut-offs and steps.

    The cut-offs are the last ones with a whole horizon after them; a history too short for
    that uses the last cut-offs with what follows them (fewer steps ahead)."""
    n = len(values)
    whole = range(n - horizon - origins + 1, n - horizon + 1)
    cuts = [cut for cut in whole if cut >= MIN_TRAIN] or [
        cut for cut in range(n - origins, n) if cut >= MIN_TRAIN
    ]
    if not cuts:
        return None
    actual: list[float] = []
    model: list[tuple[float, float, float]] = []
    naive: list[float] = []
    lagged: list[float] = []
    for cut in cuts:
        steps = min(horizon, n - cut)
        train = values[:cut]
        predicted = _fit_and_predict(train, steps, season_length, level, nonnegative)
        for step in range(steps):
            actual.append(float(values[cut + step]))
            model.append(predicted.at(step))
            naive.append(float(train[-1]))
            if season_length and cut >= season_length:
                lagged.append(float(train[cut - season_length + step % season_length]))
    truth = np.array(actual)
    points = np.array(model)
    return Backtest(
        origins=len(cuts),
        horizon=horizon,
        model=accuracy(truth, points[:, 0], points[:, 1], points[:, 2]),
        naive=accuracy(truth, np.array(naive)),
        seasonal_naive=accuracy(truth, np.array(lagged)) if len(lagged) == len(naive) else None,
    )


def accuracy(
    actual: np.ndarray,
    predicted: np.ndarray,
    lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
) -> Accuracy:
    errors = np.abs(actual - predicted)
    scale = np.abs(actual) + np.abs(predicted)
    smape = np.where(scale > 0, 2 * errors / np.where(scale > 0, scale, 1), 0.0)
    mape = None if (actual == 0).any() else float(np.mean(errors / np.abs(actual)) * 100)
    coverage = None
    if lower is not None and upper is not None:
        coverage = float(np.mean((actual >= lower - 1e-9) & (actual <= upper + 1e-9)))
    return Accuracy(
        mae=float(np.mean(errors)),
        smape=float(np.mean(smape) * 100),
        mape=mape,
        coverage=coverage,
        compared=len(actual),
    )
