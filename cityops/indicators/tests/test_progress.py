"""Worked examples of the progress method (``progress.py``), each computed by hand first.

Time is in years at the end of each period: a yearly baseline of 2020 is at 2021.0, a target
for 2025 at 2026.0 (5 years later), a figure of 2023 at 2024.0 (3 years after the baseline)."""

from datetime import date

import pytest

from cityops.indicators.choices import Direction, Frequency, Status
from cityops.indicators.progress import is_stale, progress


def yearly(
    *, baseline: float, target: float, target_year: int, latest: float | None, year: int | None
):
    return progress(
        baseline=baseline,
        baseline_period=date(2020, 1, 1),
        target=target,
        target_year=target_year,
        direction=Direction.UP,
        frequency=Frequency.YEARLY,
        latest=latest,
        latest_period=date(year, 1, 1) if year else None,
    )


# Baseline 50 (2020), target 80 by 2025: required = (80/50)^(1/5) − 1 = 1.6^0.2 − 1 = 9.856 %;
# half of it, the "needs attention" bar, is 4.928 %.


def test_a_figure_growing_faster_than_required_is_on_track():
    # 70 in 2023: (70/50)^(1/3) − 1 = 1.4^(1/3) − 1 = 11.869 % ≥ 9.856 %.
    result = yearly(baseline=50, target=80, target_year=2025, latest=70, year=2023)
    assert result.status == Status.ON_TRACK
    assert result.method == "compound"
    assert result.required == pytest.approx(0.09856, abs=1e-5)
    assert result.actual == pytest.approx(0.11869, abs=1e-5)


def test_a_figure_growing_at_more_than_half_the_pace_needs_attention():
    # 60 in 2023: 1.2^(1/3) − 1 = 6.266 %: below 9.856 %, above 4.928 %.
    result = yearly(baseline=50, target=80, target_year=2025, latest=60, year=2023)
    assert result.status == Status.NEEDS_ATTENTION
    assert result.actual == pytest.approx(0.06266, abs=1e-5)


def test_a_figure_growing_at_less_than_half_the_pace_is_off_track():
    # 54 in 2023: 1.08^(1/3) − 1 = 2.599 % < 4.928 %.
    result = yearly(baseline=50, target=80, target_year=2025, latest=54, year=2023)
    assert result.status == Status.OFF_TRACK
    assert result.actual == pytest.approx(0.02599, abs=1e-5)


def test_a_figure_falling_below_the_baseline_is_off_track():
    result = yearly(baseline=50, target=80, target_year=2025, latest=45, year=2022)
    assert result.status == Status.OFF_TRACK
    assert result.actual < 0


def test_a_target_already_reached_is_on_track():
    # 81 in 2022 is past the target of 80, whatever the pace.
    result = yearly(baseline=50, target=80, target_year=2025, latest=81, year=2022)
    assert result.status == Status.ON_TRACK


def test_lower_is_better_mirrors_the_rates():
    # PM2.5 from 30 µg/m³ (2020) to 20 by 2025: required = (30/20)^(1/5) − 1 = 8.447 %.
    # 25 in 2023: (30/25)^(1/3) − 1 = 6.266 % (above half, 4.224 %): needs attention.
    # 23 in 2023: (30/23)^(1/3) − 1 = 9.261 %: on track. 29 in 2023: 1.137 %: off track.
    def down(latest: float):
        return progress(
            baseline=30,
            baseline_period=date(2020, 1, 1),
            target=20,
            target_year=2025,
            direction=Direction.DOWN,
            frequency=Frequency.YEARLY,
            latest=latest,
            latest_period=date(2023, 1, 1),
        )

    assert down(25).status == Status.NEEDS_ATTENTION
    assert down(25).required == pytest.approx(0.08447, abs=1e-5)
    assert down(25).actual == pytest.approx(0.06266, abs=1e-5)
    assert down(23).status == Status.ON_TRACK
    assert down(29).status == Status.OFF_TRACK
    assert down(19).status == Status.ON_TRACK  # below the target: reached


def test_a_zero_baseline_falls_back_to_linear_rates():
    # Smart schools: 0 (2020) to 100 by 2025: required 100 / 5 = 20 schools a year.
    # 45 in 2023: 45 / 3 = 15 a year, at least 10 (half): needs attention; 66: 22 a year.
    result = yearly(baseline=0, target=100, target_year=2025, latest=45, year=2023)
    assert result.method == "linear"
    assert (result.required, result.actual) == (20, 15)
    assert result.status == Status.NEEDS_ATTENTION
    assert yearly(baseline=0, target=100, target_year=2025, latest=66, year=2023).is_on_track
    assert (
        yearly(baseline=0, target=100, target_year=2025, latest=20, year=2023).status
        == Status.OFF_TRACK
    )  # 20 / 3 = 6.7 a year < 10


def test_once_the_target_year_is_in_only_the_target_counts():
    # Target 80 by 2023; the figure of 2024 is 78: missed, although it grew fast.
    missed = yearly(baseline=50, target=80, target_year=2023, latest=78, year=2024)
    assert (missed.status, missed.method) == (Status.OFF_TRACK, "target")
    assert yearly(baseline=50, target=80, target_year=2023, latest=80, year=2023).is_on_track


def test_no_figure_after_the_baseline_is_not_enough_data():
    assert yearly(baseline=50, target=80, target_year=2025, latest=None, year=None).status == (
        Status.NO_DATA
    )
    assert yearly(baseline=50, target=80, target_year=2025, latest=90, year=2020).status == (
        Status.NO_DATA
    )


def test_quarters_count_as_quarter_years():
    # Baseline 100 in 2024-Q4 (ends 2025.0), target 121 by 2026 (2027.0): two years,
    # required = 1.21^(1/2) − 1 = 10 %. 2025-Q2 (ends 2025.5): 104 → 1.04^2 − 1 = 8.16 %.
    result = progress(
        baseline=100,
        baseline_period=date(2024, 10, 1),
        target=121,
        target_year=2026,
        direction=Direction.UP,
        frequency=Frequency.QUARTERLY,
        latest=104,
        latest_period=date(2025, 4, 1),
    )
    assert result.required == pytest.approx(0.10)
    assert result.actual == pytest.approx(0.0816)
    assert result.status == Status.NEEDS_ATTENTION


@pytest.mark.parametrize(
    ("frequency", "latest", "fresh_until", "stale_on"),
    [
        # 2024's figure: 2025's is due when 2025 ends (31/12/2025), plus 30 days of grace.
        (Frequency.YEARLY, date(2024, 1, 1), date(2026, 1, 30), date(2026, 1, 31)),
        # July 2025: August's is due on 31/08/2025; stale from 1 October.
        (Frequency.MONTHLY, date(2025, 7, 1), date(2025, 9, 30), date(2025, 10, 1)),
        # 2025-Q2: Q3's is due on 30/09/2025; stale from 31 October.
        (Frequency.QUARTERLY, date(2025, 4, 1), date(2025, 10, 30), date(2025, 10, 31)),
    ],
)
def test_an_indicator_is_stale_a_period_and_thirty_days_after_its_latest_figure(
    frequency, latest, fresh_until, stale_on
):
    assert not is_stale(latest_period=latest, frequency=frequency, today=fresh_until)
    assert is_stale(latest_period=latest, frequency=frequency, today=stale_on)
