"""The constant-time working clock agrees with the calendar's own day-by-day count."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from cityops.agencies.calendar import VIETNAM_TZ, vietnam_calendar
from cityops.stats.working_time import WorkingClock

CALENDAR = vietnam_calendar(extra_days_off=[datetime(2026, 6, 15).date()])


def test_the_clock_agrees_with_the_calendar_on_a_thousand_random_spans():
    rng = random.Random(8)
    clock = WorkingClock(CALENDAR)
    origin = datetime(2025, 12, 1, tzinfo=VIETNAM_TZ)
    for _ in range(1000):
        start = origin + timedelta(minutes=rng.randrange(0, 60 * 24 * 400))
        end = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 40), seconds=rng.random())
        assert clock.between(start, end) == pytest.approx(
            CALENDAR.working_time_between(start, end), abs=timedelta(microseconds=2)
        )


def test_the_clock_reads_utc_moments_in_the_city_time_zone():
    clock = WorkingClock(CALENDAR)
    # 01:00 UTC is 08:00 in Huế: one working hour after opening.
    start = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)
    assert clock.between(start, start + timedelta(hours=1)) == timedelta(hours=1)


def test_a_local_day_off_and_a_weekend_are_not_counted():
    clock = WorkingClock(CALENDAR)
    friday = datetime(2026, 6, 12, 17, tzinfo=VIETNAM_TZ)
    assert clock.between(friday, friday + timedelta(days=3, hours=14)) == timedelta(0)
    assert clock.between(friday, friday - timedelta(days=1)) == timedelta(0)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        WorkingClock(CALENDAR).reading(datetime(2026, 5, 4, 8))
