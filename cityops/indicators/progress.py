"""Is an indicator on track? The method, and when its figures are stale.

**Progress.** Time is counted in years at the end of each figure's period (the year 2020 ends at
2021.0, the quarter 2025-Q3 at 2025.75); the target is due at the end of its target year.

- The *required* yearly growth takes the baseline to the target by the target year:
  ``required = (target / baseline) ** (1 / (t_target - t_baseline)) - 1``.
- The *actual* yearly growth took the baseline to the latest figure:
  ``actual = (latest / baseline) ** (1 / (t_latest - t_baseline)) - 1``.
- For a "lower is better" indicator both are mirrored (``baseline / target`` and
  ``baseline / latest``), so that a positive rate is always an improvement.
- When the baseline, the target or the latest figure is zero or negative, compound growth means
  nothing: the rates are linear instead (``(target - baseline) / years``, the same for the
  latest figure; their sign flipped for "lower is better").

Then: **on track** if the target is already reached or ``actual ≥ required``; **needs
attention** if ``actual ≥ ATTENTION_SHARE × required`` (half the pace); else **off track**.
Once the figure of the target year (or later) is in, only the target counts: reached is on
track, missed is off track. No figure after the baseline's period: **not enough data**.

**Stale.** A figure of the next period is due when that period ends; the indicator is stale when
today is more than ``GRACE_DAYS`` past that day (yearly 2024's figure: 2025 ends on 31/12/2025,
stale from 31/01/2026 on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cityops.indicators.choices import Direction, Frequency, Status
from cityops.indicators.periods import period_add, period_end, period_end_year

ATTENTION_SHARE = 0.5
GRACE_DAYS = 30


@dataclass(frozen=True)
class Progress:
    """The verdict, with the two rates it compared (None when none was computed)."""

    status: Status
    method: str  # "compound", "linear", "target" (judged on the target alone) or ""
    required: float | None = None
    actual: float | None = None

    @property
    def is_on_track(self) -> bool:
        return self.status == Status.ON_TRACK


def _reached(*, latest: float, target: float, direction: str) -> bool:
    return latest <= target if direction == Direction.DOWN else latest >= target


def _rate(start: float, end: float, years: float, *, direction: str, compound: bool) -> float:
    if compound:
        ratio = start / end if direction == Direction.DOWN else end / start
        return float(ratio ** (1 / years) - 1)
    change = (end - start) / years
    return -change if direction == Direction.DOWN else change


def progress(
    *,
    baseline: float,
    baseline_period: date,
    target: float,
    target_year: int,
    direction: str,
    frequency: str,
    latest: float | None,
    latest_period: date | None,
) -> Progress:
    """The status of a figure ``latest`` of ``latest_period`` against the way from ``baseline``
    (of ``baseline_period``) to ``target`` by the end of ``target_year`` (see the module)."""
    if latest is None or latest_period is None or latest_period <= baseline_period:
        return Progress(Status.NO_DATA, "")
    reached = _reached(latest=latest, target=target, direction=direction)
    t_base = period_end_year(baseline_period, frequency)
    t_latest = period_end_year(latest_period, frequency)
    t_target = target_year + 1.0
    if t_latest >= t_target or t_target <= t_base:
        return Progress(Status.ON_TRACK if reached else Status.OFF_TRACK, "target")
    compound = baseline > 0 and target > 0 and latest > 0
    method = "compound" if compound else "linear"
    required = _rate(baseline, target, t_target - t_base, direction=direction, compound=compound)
    actual = _rate(baseline, latest, t_latest - t_base, direction=direction, compound=compound)
    if reached or actual >= required:
        status = Status.ON_TRACK
    elif required > 0 and actual >= ATTENTION_SHARE * required:
        status = Status.NEEDS_ATTENTION
    else:
        status = Status.OFF_TRACK
    return Progress(status, method, required, actual)


def stale_since(*, latest_period: date, frequency: str) -> date:
    """The first day on which an indicator whose latest figure is of ``latest_period`` is stale."""
    due = period_end(period_add(latest_period, frequency), frequency)
    return due + timedelta(days=GRACE_DAYS + 1)


def is_stale(*, latest_period: date, frequency: str = Frequency.YEARLY, today: date) -> bool:
    return today >= stale_since(latest_period=latest_period, frequency=frequency)
