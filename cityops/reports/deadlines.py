"""Deadlines in working time: the city's calendar and the category's policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.conf import settings

from cityops.agencies.calendar import WorkingCalendar, parse_office_hours, vietnam_calendar
from cityops.platform.kept import kept
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
    if category.deadline_policy_id is None:
        return _default_limits()
    return _limits_of(category.deadline_policy)


@kept(seconds=30, depends_on=(DeadlinePolicy,))
def _default_limits() -> Limits:
    return _limits_of(DeadlinePolicy.objects.filter(is_default=True).first())


def _limits_of(policy: DeadlinePolicy | None) -> Limits:
    if policy is None:
        return Limits()
    return Limits(policy.ack_minutes, policy.urgent_hours, policy.normal_days, policy.complex_days)


def due_at_for(*, limits: Limits, priority: str, start: datetime) -> datetime:
    calendar = working_calendar()
    if priority == Priority.URGENT:
        return calendar.add_working_hours(start, limits.urgent_hours)
    days = limits.complex_days if priority == Priority.COMPLEX else limits.normal_days
    return calendar.add_working_days(start, days)


def ack_due_at_for(*, limits: Limits, start: datetime) -> datetime:
    return working_calendar().add_working_time(start, timedelta(minutes=limits.ack_minutes))
