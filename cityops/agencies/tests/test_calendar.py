"""Deadlines counted in Vietnamese working time (no Django needed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityops.agencies.calendar import (
    VIETNAM_TZ,
    WorkingCalendar,
    parse_office_hours,
    vietnam_calendar,
)

HOUR = timedelta(hours=1)
calendar = vietnam_calendar()


def hanoi(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


def test_a_full_working_day_is_eight_office_hours() -> None:
    assert calendar.working_hours_per_day() == 8.0


def test_four_working_hours_from_friday_afternoon_land_on_monday_morning() -> None:
    # Fri 15:00-17:00 gives 2 h, the remaining 2 h run from Monday 07:00.
    assert calendar.add_working_hours(hanoi(2026, 3, 6, 15), 4) == hanoi(2026, 3, 9, 9)


def test_lunch_break_is_not_counted() -> None:
    assert calendar.add_working_hours(hanoi(2026, 3, 10, 11), 1) == hanoi(2026, 3, 10, 14)


def test_report_sent_on_saturday_starts_counting_monday_at_opening() -> None:
    saturday = hanoi(2026, 3, 7, 9, 30)
    assert calendar.next_working_moment(saturday) == hanoi(2026, 3, 9, 7)
    assert calendar.add_working_hours(saturday, 1) == hanoi(2026, 3, 9, 8)


def test_report_sent_in_the_evening_starts_counting_next_morning() -> None:
    assert calendar.add_working_hours(hanoi(2026, 3, 10, 20), 1) == hanoi(2026, 3, 11, 8)


def test_report_sent_during_office_hours_starts_counting_at_once() -> None:
    moment = hanoi(2026, 3, 10, 9, 17)
    assert calendar.next_working_moment(moment) == moment


def test_deadline_using_the_rest_of_a_block_ends_at_closing_not_next_morning() -> None:
    assert calendar.add_working_hours(hanoi(2026, 3, 10, 16), 1) == hanoi(2026, 3, 10, 17)
    assert calendar.add_working_hours(hanoi(2026, 3, 10, 10, 30), 1) == hanoi(2026, 3, 10, 11, 30)


def test_seven_working_days_from_monday_10h_is_next_weeks_wednesday_10h() -> None:
    assert calendar.add_working_days(hanoi(2026, 3, 9, 10), 7) == hanoi(2026, 3, 18, 10)


def test_package_lists_tet_2026_as_monday_16_to_friday_20_february() -> None:
    vn = holidays.country_holidays("VN", years=2026, observed=False)
    assert sorted(d for d in vn if d.month == 2) == [date(2026, 2, d) for d in range(16, 21)]


def test_deadline_crossing_tet_2026_is_pushed_by_the_whole_tet_week() -> None:
    # Holidays 0.109 gives Tết 2026 as Mon 16 - Fri 20 February.
    # 5 working days = 40 h from Thu 12/2 10:00: Thu 5 h, Fri 13/2 8 h (13 h),
    # 14/2-22/2 off (weekend, Tết, weekend), Mon 23, Tue 24, Wed 25 (37 h), Thu 26/2 07:00 + 3 h.
    start = hanoi(2026, 2, 12, 10)
    assert not any(calendar.is_working_day(date(2026, 2, d)) for d in range(16, 21))
    assert calendar.add_working_days(start, 5) == hanoi(2026, 2, 26, 10)


def test_reunification_day_and_labour_day_are_days_off() -> None:
    # Thu 30/4 and Fri 1/5/2026 are holidays: Wed 16:00-17:00, then Monday 4/5 07:00-08:00.
    assert calendar.add_working_hours(hanoi(2026, 4, 29, 16), 2) == hanoi(2026, 5, 4, 8)


def test_national_day_is_a_day_off() -> None:
    # 2027: National Day holiday is Thu 2/9 and Fri 3/9.
    assert calendar.add_working_hours(hanoi(2027, 9, 1, 16), 2) == hanoi(2027, 9, 6, 8)


def test_government_swap_of_2026_works_saturday_22_august_and_rests_monday_31_august() -> None:
    assert calendar.add_working_hours(hanoi(2026, 8, 21, 16), 2) == hanoi(2026, 8, 22, 8)
    # Mon 31/8 (swapped), Tue 1/9 and Wed 2/9 (National Day) are all off.
    assert calendar.add_working_hours(hanoi(2026, 8, 28, 16), 2) == hanoi(2026, 9, 3, 8)


def test_holiday_falling_on_sunday_is_compensated_on_monday() -> None:
    # Hùng Kings' day 2026 is Sunday 26/4; Labour Code art. 112(3) gives Monday 27/4 off instead.
    assert not calendar.is_working_day(date(2026, 4, 27))
    assert calendar.add_working_hours(hanoi(2026, 4, 24, 16), 2) == hanoi(2026, 4, 28, 8)


def test_make_up_working_saturday_counts() -> None:
    city = vietnam_calendar(extra_working_days=[date(2026, 3, 7)])
    assert city.add_working_hours(hanoi(2026, 3, 6, 16), 2) == hanoi(2026, 3, 7, 8)


def test_extra_day_off_is_skipped() -> None:
    city = vietnam_calendar(extra_days_off=[date(2026, 3, 10)])
    assert city.add_working_hours(hanoi(2026, 3, 9, 16), 2) == hanoi(2026, 3, 11, 8)


def test_a_day_cannot_be_both_off_and_worked() -> None:
    with pytest.raises(ValueError, match="2026-03-07"):
        vietnam_calendar(extra_days_off=[date(2026, 3, 7)], extra_working_days=[date(2026, 3, 7)])


def test_timestamps_in_other_time_zones_are_read_in_vietnam_time() -> None:
    deadline = calendar.add_working_hours(datetime(2026, 3, 10, 2, tzinfo=UTC), 1)
    assert deadline == hanoi(2026, 3, 10, 10)
    assert deadline.tzinfo == VIETNAM_TZ


def test_working_time_between_counts_only_office_hours() -> None:
    assert calendar.working_time_between(hanoi(2026, 3, 6, 15), hanoi(2026, 3, 9, 9)) == 4 * HOUR


def test_working_time_between_is_zero_for_reversed_or_empty_ranges() -> None:
    monday, tuesday = hanoi(2026, 3, 9, 10), hanoi(2026, 3, 10, 10)
    assert calendar.working_time_between(tuesday, monday) == timedelta(0)
    assert calendar.working_time_between(monday, monday) == timedelta(0)


def test_three_years_of_working_days_are_counted_exactly() -> None:
    start = hanoi(2025, 1, 6, 10)
    deadline = calendar.add_working_days(start, 750)
    assert calendar.is_working_day(deadline.date())
    assert calendar.working_time_between(start, deadline) == 750 * 8 * HOUR


@pytest.mark.parametrize(
    "call",
    [
        lambda: calendar.add_working_hours(datetime(2026, 3, 9, 10), 1),
        lambda: calendar.next_working_moment(datetime(2026, 3, 9, 10)),
        lambda: calendar.working_time_between(datetime(2026, 3, 9), hanoi(2026, 3, 10)),
    ],
)
def test_naive_datetimes_are_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        call()


def test_negative_amounts_of_working_time_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_time(hanoi(2026, 3, 9, 10), -HOUR)
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days(hanoi(2026, 3, 9, 10), -1)


def test_office_hours_are_read_from_text_in_any_order() -> None:
    assert parse_office_hours(" 13:30-17:00 , 7:00 - 11:30") == (
        (time(7, 0), time(11, 30)),
        (time(13, 30), time(17, 0)),
    )


def test_office_hours_from_text_change_the_deadlines() -> None:
    city = vietnam_calendar(office_hours="08:00-12:00,13:00-17:00")
    assert city.add_working_hours(hanoi(2026, 3, 10, 11), 2) == hanoi(2026, 3, 10, 14)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "cannot read"),
        ("7h-11h30", "cannot read"),
        ("07:00-11:30;13:30-17:00", "cannot read"),
        ("07:00-11:30,", "cannot read"),
        ("25:00-26:00", "invalid time"),
        ("07:60-08:00", "invalid time"),
        ("11:30-07:00", "does not end after it starts"),
        ("07:00-07:00", "does not end after it starts"),
        ("07:00-12:00,11:30-17:00", "overlaps"),
    ],
)
def test_bad_office_hours_text_is_rejected_with_a_clear_message(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_office_hours(text)


def test_calendar_with_overlapping_office_hours_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        WorkingCalendar(office_hours=((time(8), time(12)), (time(11), time(17))), tz=VIETNAM_TZ)


any_moment = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.sampled_from([VIETNAM_TZ, UTC, ZoneInfo("Europe/Paris")]),
)
up_to_thirty_working_days = st.timedeltas(min_value=timedelta(0), max_value=30 * 8 * HOUR)


@given(start=any_moment, duration=up_to_thirty_working_days)
def test_working_time_between_gives_back_what_was_added(
    start: datetime, duration: timedelta
) -> None:
    deadline = calendar.add_working_time(start, duration)
    opening = calendar.next_working_moment(start)
    assert calendar.working_time_between(opening, deadline) == duration


@given(start=any_moment, duration=up_to_thirty_working_days)
def test_deadline_always_falls_in_office_hours_of_a_working_day(
    start: datetime, duration: timedelta
) -> None:
    deadline = calendar.add_working_time(start, duration)
    assert deadline.tzinfo == VIETNAM_TZ
    assert calendar.is_working_day(deadline.date())
    assert any(opens <= deadline.time() <= closes for opens, closes in calendar.office_hours)
