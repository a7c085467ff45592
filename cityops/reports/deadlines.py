"""Deadlines in working time: the city's calendar and the category's policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.conf import settings

from cityops.agencies.calendar import WorkingCalendar, parse_office_hours, vietnam_calendar
from cityops.reports.choices import Priority
from cityops.reports.models import Category, DeadlinePolicy


@cache
def working_calendar() -> WorkingCalendar:
    """The city's calendar from settings: office hours, VN public holidays, local exceptions."""
    return vietnam_calendar(
        office_hours=parse_office_hours(settings.CITYOPS_OFFICE_HOURS),
        extra_days_off=[date.fromisoformat(d) for d in settings.CITYOPS_EXTRA_DAYS_OFF],
        extra_working_days=[date.fromisoformat(d) for d in settings.CITYOPS_EXTRA_WORKING_DAYS],
    )


@dataclass(frozen=True)
class Limits:
    ack_minutes: int = 30
    urgent_hours: int = 4
    normal_days: int = 7
    complex_days: int = 15


def limits_for(category: Category) -> Limits:
    """The category's own policy, else the city default, else the rules of Huế."""
    policy = category.deadline_policy or DeadlinePolicy.objects.filter(is_default=True).first()
    if policy is None:
        return Limits()
    return Limits(policy.ack_minutes, policy.urgent_hours, policy.normal_days, policy.complex_days)


def due_at_for(*, category: Category, priority: str, start: datetime) -> datetime:
    limits = limits_for(category)
    calendar = working_calendar()
    if priority == Priority.URGENT:
        return calendar.add_working_hours(start, limits.urgent_hours)
    days = limits.complex_days if priority == Priority.COMPLEX else limits.normal_days
    return calendar.add_working_days(start, days)


def ack_due_at_for(*, category: Category, start: datetime) -> datetime:
    minutes = limits_for(category).ack_minutes
    return working_calendar().add_working_time(start, timedelta(minutes=minutes))
