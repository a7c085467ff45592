"""Working-time arithmetic for the deadlines of citizen reports.

Vietnamese administrations count processing deadlines in working time: office hours on
working days, leaving out weekends and public holidays (Tết included). All arithmetic is
done on the wall clock of the administration's time zone. No Django here, on purpose: the
module is imported by settings-free code (tasks, CLI) and tested standalone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "VIETNAM_TZ",
    "OfficeHours",
    "WorkingCalendar",
    "parse_office_hours",
    "vietnam_calendar",
]

OfficeHours = tuple[tuple[time, time], ...]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_OFFICE_HOURS: OfficeHours = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))

# Tết plus the surrounding weekends is about ten days off in a row; a year without a single
# working day can only be a misconfigured calendar, and must not become an endless loop.
_MAX_DAYS_OFF_IN_A_ROW = 366

_RANGE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


@cache
def _official_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Days off and make-up working days that the `holidays` package lists for `year`."""
    # observed=True: a holiday falling on a weekend is compensated on the next working day
    # (Labour Code 2019, art. 112(3)), which applies to civil servants too. Government swaps
    # (e.g. Mon 31/8/2026 off, Sat 22/8/2026 worked) are listed as well.
    listed = holidays.country_holidays("VN", years=year, observed=True)
    return frozenset(listed), frozenset(listed.weekend_workdays)


def _validated(ranges: Iterable[tuple[time, time]]) -> OfficeHours:
    ordered = tuple(sorted(ranges))
    if not ordered:
        raise ValueError("office hours are empty: give at least one range such as 07:00-11:30")
    for start, end in ordered:
        if end <= start:
            raise ValueError(
                f"office hours range {start:%H:%M}-{end:%H:%M} does not end after it starts"
            )
    for (_, previous_end), (start, end) in pairwise(ordered):
        if start < previous_end:
            raise ValueError(
                f"office hours range {start:%H:%M}-{end:%H:%M} overlaps the range ending at "
                f"{previous_end:%H:%M}"
            )
    return ordered


def parse_office_hours(text: str) -> OfficeHours:
    """Read office hours written as ``"07:00-11:30,13:30-17:00"`` (sorted on return)."""
    ranges = []
    for chunk in text.split(","):
        match = _RANGE.fullmatch(chunk.strip())
        if match is None:
            raise ValueError(
                f"cannot read office hours range {chunk.strip()!r} in {text!r}: "
                "expected HH:MM-HH:MM, ranges separated by commas"
            )
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        try:
            ranges.append((time(h1, m1), time(h2, m2)))
        except ValueError as error:
            raise ValueError(f"invalid time in office hours range {chunk.strip()!r}") from error
    return _validated(ranges)


@dataclass(frozen=True)
class WorkingCalendar:
    """Office hours and days off of one city administration.

    A day is worked unless it is a weekend day, a Vietnamese public holiday listed by the
    `holidays` package, or in ``extra_days_off``; ``extra_working_days`` (make-up Saturdays)
    override all of these. Office-hour ranges are half-open: 17:00 is already closed, but a
    deadline that uses the last minute of the day is reported as 17:00 that same day.
    Every input must be timezone-aware; every result is in ``tz``.
    """

    office_hours: OfficeHours
    tz: ZoneInfo
    weekend: frozenset[int] = frozenset({5, 6})
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Sorting here lets every method walk the blocks of a day in order.
        object.__setattr__(self, "office_hours", _validated(self.office_hours))
        if clash := self.extra_days_off & self.extra_working_days:
            listed = ", ".join(sorted(day.isoformat() for day in clash))
            raise ValueError(f"days both off and worked: {listed}")

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        days_off, _ = _official_calendar(day.year)
        if day in days_off:
            return False
        # A swap is filed under the year of its day off, so a make-up Saturday at the end of
        # December may belong to next year's list (e.g. 27/12/2014 for 2/1/2015).
        if any(day in _official_calendar(year)[1] for year in (day.year, day.year + 1)):
            return True
        return day.weekday() not in self.weekend

    def is_working_moment(self, moment: datetime) -> bool:
        """Whether the office is open at `moment`; a block's closing time counts, so that a
        deadline may be set at 17:00 (the end of the day's last block)."""
        local = self._local(moment)
        return any(start <= local <= end for start, end in self._blocks(local.date()))

    def working_hours_per_day(self) -> float:
        """Length of one full working day, in hours (8.0 for the default office hours)."""
        return self._day_length() / timedelta(hours=1)

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself when the office is open, otherwise the next opening time."""
        local = self._local(moment)
        for day in self._working_days_from(local.date()):
            for start, end in self._blocks(day):
                if end > local:
                    return self._aware(max(start, local))
        raise AssertionError("unreachable: _working_days_from never stops by itself")

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when `duration` of working time has elapsed after `start`."""
        if duration < timedelta(0):
            raise ValueError(f"working time to add must not be negative, got {duration}")
        local = self._local(start)
        remaining = duration
        for day in self._working_days_from(local.date()):
            for block_start, block_end in self._blocks(day):
                begin = max(block_start, local)
                if begin >= block_end:
                    continue
                # `<=` rather than `<`: a deadline using the whole block ends at 17:00 today,
                # not at 07:00 on the next working day.
                if remaining <= block_end - begin:
                    return self._aware(begin + remaining)
                remaining -= block_end - begin
        raise AssertionError("unreachable: _working_days_from never stops by itself")

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        return self.add_working_time(start, timedelta(hours=hours))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """`days` full working days later: 7 days from Monday 10:00 is next Wednesday 10:00."""
        if days < 0:
            raise ValueError(f"working days to add must not be negative, got {days}")
        return self.add_working_time(start, self._day_length() * days)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from `start` to `end`; zero when `end` is not after `start`."""
        local_start, local_end = self._local(start), self._local(end)
        total = timedelta(0)
        if local_end <= local_start:
            return total
        day = local_start.date()
        while day <= local_end.date():
            for block_start, block_end in self._blocks(day):
                overlap = min(block_end, local_end) - max(block_start, local_start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def _day_length(self) -> timedelta:
        return sum(
            (
                datetime.combine(date.min, end) - datetime.combine(date.min, start)
                for start, end in self.office_hours
            ),
            timedelta(0),
        )

    def _local(self, moment: datetime) -> datetime:
        # A naive datetime is ambiguous (server clock? UTC? Hanoi?); guessing would shift
        # deadlines by seven hours, so refuse it.
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"datetime {moment.isoformat()} has no time zone; pass an aware one")
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def _aware(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.tz)

    def _blocks(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, s), datetime.combine(day, e)) for s, e in self.office_hours]

    def _working_days_from(self, day: date) -> Iterator[date]:
        days_off_in_a_row = 0
        while True:
            if self.is_working_day(day):
                days_off_in_a_row = 0
                yield day
            else:
                days_off_in_a_row += 1
                if days_off_in_a_row > _MAX_DAYS_OFF_IN_A_ROW:
                    raise ValueError(f"no working day in the year before {day.isoformat()}")
            day += timedelta(days=1)


def vietnam_calendar(
    *,
    office_hours: str | OfficeHours = DEFAULT_OFFICE_HOURS,
    extra_days_off: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
) -> WorkingCalendar:
    """The usual calendar of a Vietnamese administration: Mon-Fri, 7:00-11:30 and 13:30-17:00."""
    if isinstance(office_hours, str):
        office_hours = parse_office_hours(office_hours)
    return WorkingCalendar(
        office_hours=office_hours,
        tz=VIETNAM_TZ,
        extra_days_off=frozenset(extra_days_off),
        extra_working_days=frozenset(extra_working_days),
    )
