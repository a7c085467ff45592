"""Periods of an indicator's figures: a period is stored as its first day; it is read from
``2025`` (a year), ``2025-Q3`` (a quarter), ``2025-07`` (a month) or a date (the period that
contains it), and it ends the day before the next one starts."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from cityops.indicators.choices import Frequency

MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class BadPeriod(ValueError):
    """The text is no period, or not one of the indicator's frequency."""


def period_start(day: date, frequency: str) -> date:
    """The first day of the period of ``frequency`` that contains ``day``."""
    step = MONTHS[Frequency(frequency)]
    month = (day.month - 1) // step * step + 1
    return date(day.year, month, 1)


def period_add(start: date, frequency: str, count: int = 1) -> date:
    """The first day of the period ``count`` periods after the one starting on ``start``."""
    months = start.year * 12 + start.month - 1 + count * MONTHS[Frequency(frequency)]
    return date(months // 12, months % 12 + 1, 1)


def period_end(start: date, frequency: str) -> date:
    return period_add(start, frequency) - timedelta(days=1)


def period_end_year(start: date, frequency: str) -> float:
    """When the period ends, in years (2020 → 2021.0, 2025-Q3 → 2025.75): the time the progress
    method gives a figure, so that whole years and quarters count exactly."""
    end = period_add(start, frequency)
    return end.year + (end.month - 1) / 12


def period_label(start: date, frequency: str) -> str:
    frequency = Frequency(frequency)
    if frequency == Frequency.YEARLY:
        return f"{start.year}"
    if frequency == Frequency.QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def period_parse(value: object, frequency: str) -> date:
    """The first day of the period ``value`` names, for an indicator of ``frequency``.

    A year fits yearly indicators, a quarter quarterly ones, a month monthly ones; a date (or a
    spreadsheet's date cell) fits any, as the period that contains it."""
    frequency = Frequency(frequency)
    if isinstance(value, datetime):
        return period_start(value.date(), frequency)
    if isinstance(value, date):
        return period_start(value, frequency)
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        value = str(int(value))  # a spreadsheet's year cell
    text = str(value or "").strip()
    if not text:
        raise BadPeriod("empty")
    try:
        if match := _ISO_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
            return period_start(date(year, month, day), frequency)
        if match := _VN_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return period_start(date(year, month, day), frequency)
    except ValueError as error:
        raise BadPeriod(str(error)) from None
    if match := _YEAR.match(text):
        if frequency != Frequency.YEARLY:
            raise BadPeriod("a year for an indicator that is not yearly")
        return date(int(match.group(1)), 1, 1)
    if match := _QUARTER.match(text):
        if frequency != Frequency.QUARTERLY:
            raise BadPeriod("a quarter for an indicator that is not quarterly")
        return date(int(match.group(1)), (int(match.group(2)) - 1) * 3 + 1, 1)
    if match := _MONTH.match(text):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise BadPeriod("no such month")
        if frequency != Frequency.MONTHLY:
            raise BadPeriod("a month for an indicator that is not monthly")
        return date(int(match.group(1)), month, 1)
    raise BadPeriod("not a period")
