"""The forecaster on series whose truth is known: it lands near it, its interval holds about
the share it claims, and it says so when the history is too short to forecast."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from cityops.stats.forecasts import MIN_POINTS, forecast

START = date(2026, 1, 5)


def daily(values) -> list[tuple[date, float]]:
    return [(START + timedelta(days=i), float(v)) for i, v in enumerate(values)]


def weekly_pattern(t: np.ndarray) -> np.ndarray:
    """Counts that grow slowly, with a weekday pattern."""
    return 40 + 0.3 * t + 12 * np.sin(2 * np.pi * t / 7)


@pytest.fixture(scope="module")
def seasonal():
    rng = np.random.default_rng(0)
    n = 16 * 7
    counts = rng.poisson(weekly_pattern(np.arange(n)))
    return n, forecast(daily(counts), horizon=14, frequency="day", season_length=7)


def test_a_weekly_pattern_is_forecast_near_the_truth(seasonal):
    n, result = seasonal
    truth = weekly_pattern(np.arange(n, n + 14))
    points = np.array([point.value for point in result.points])
    assert "A)" in result.method  # an additive season was modelled
    assert np.mean(np.abs(points - truth)) < 0.1 * truth.mean()
    assert [point.period for point in result.points][:2] == [
        START + timedelta(days=n),
        START + timedelta(days=n + 1),
    ]
    assert all(p.lower <= p.value <= p.upper for p in result.points)


def test_the_80_percent_interval_holds_about_80_percent_in_the_back_test(seasonal):
    _, result = seasonal
    test = result.backtest
    assert test.model.compared == test.origins * test.horizon == 8 * 14
    assert 0.65 <= test.model.coverage <= 0.95


def test_the_forecast_beats_the_seasonal_naive_one_on_a_trend_with_a_season(seasonal):
    _, result = seasonal
    test = result.backtest
    assert test.seasonal_naive is not None
    assert test.model.mae < test.seasonal_naive.mae
    assert test.model.mae < test.naive.mae
    assert test.beats_baseline


def test_a_trend_is_followed():
    rng = np.random.default_rng(1)
    values = 100 + 5 * np.arange(30) + rng.normal(0, 2, 30)
    result = forecast(daily(values), horizon=3, frequency="day")
    assert "Ad" in result.method
    assert result.points[0].value > values[-1]
    assert abs(result.points[0].value - (100 + 5 * 30)) < 15


def test_a_flat_series_is_forecast_flat():
    result = forecast(daily([7] * 20), horizon=4, frequency="day")
    assert [(p.value, p.lower, p.upper) for p in result.points] == [(7, 7, 7)] * 4
    assert result.backtest.model.mae == 0
    assert result.backtest.model.coverage == 1


def test_counts_with_zeros_never_go_below_zero_and_use_smape():
    rng = np.random.default_rng(2)
    values = rng.poisson(0.6, 40)
    assert (values == 0).any()
    result = forecast(daily(values), horizon=6, frequency="day")
    assert all(p.lower >= 0 and p.value >= 0 for p in result.points)
    assert result.backtest.model.mape is None  # a zero cannot be divided by
    assert 0 <= result.backtest.model.smape <= 200


def test_a_series_of_zeros_is_forecast_as_zeros():
    result = forecast(daily([0] * 15), horizon=2, frequency="day")
    assert [p.value for p in result.points] == [0, 0]


def test_too_short_a_history_gives_no_forecast():
    result = forecast(daily(range(MIN_POINTS - 1)), horizon=4, frequency="day")
    assert not result.enough_history
    assert result.points == ()
    assert result.backtest is None
    assert result.minimum == MIN_POINTS


def test_no_season_is_modelled_without_two_full_seasons():
    rng = np.random.default_rng(3)
    values = rng.poisson(weekly_pattern(np.arange(13)))
    result = forecast(daily(values), horizon=3, frequency="day", season_length=7)
    assert result.enough_history
    assert result.method.startswith(("ETS(A,N,N)", "ETS(A,Ad,N)"))


def test_the_same_series_gives_the_same_forecast():
    values = np.random.default_rng(4).poisson(20, 30)
    first = forecast(daily(values), horizon=4, frequency="day")
    assert forecast(daily(values), horizon=4, frequency="day") == first


def test_months_follow_months():
    history = [(date(2025, m, 1), 10.0 + m) for m in range(1, 13)] + [(date(2026, 1, 1), 23.0)]
    result = forecast(history, horizon=3, frequency="month")
    assert [p.period for p in result.points] == [
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]


def test_a_negative_figure_is_refused_for_counts_but_allowed_otherwise():
    values = [-1.0, 2.0, 1.5, -0.5, 0.3, 1.2, -0.8, 0.9, 1.1, -0.2, 0.4, 0.7]
    with pytest.raises(ValueError, match="negative"):
        forecast(daily(values), horizon=2, frequency="day")
    result = forecast(daily(values), horizon=2, frequency="day", nonnegative=False)
    assert result.enough_history
