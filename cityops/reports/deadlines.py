"""Deadlines in working time: the city's calendar and the category's policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityops.agencies.calendar import WorkingCalendar, parse_office_hours, vietnam_calendar
from cityops.platform.kept import kept
from cityops.reports.choices import Priority
from cityops.reports.models import Category, DeadlinePolicy, Report


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


def _shown(moment: datetime) -> str:
    return f"{moment.astimezone(working_calendar().tz):%d/%m/%Y %H:%M}"


def extension_problems(*, current: datetime | None, new: datetime, now: datetime) -> list[str]:
    """What is wrong with ``new`` as an extended deadline (empty: nothing), all at once.

    An extension ends after the deadline it replaces and after ``now``, in working time (an
    agency cannot promise a Sunday or a holiday), and at most
    ``CITYOPS_MAX_EXTENSION_WORKING_DAYS`` working days after the current deadline.
    """
    calendar = working_calendar()
    base = max(current or now, now)
    problems = []
    if current is not None and new <= current:
        problems.append(
            _("The new deadline must be later than the current deadline, %(deadline)s.")
            % {"deadline": _shown(current)}
        )
    elif new <= now:
        problems.append(_("The new deadline must be in the future."))
    days = settings.CITYOPS_MAX_EXTENSION_WORKING_DAYS
    latest = calendar.add_working_days(base, days)
    if new > latest:
        problems.append(
            ngettext(
                "The new deadline can be at most %(days)d working day after the current one, "
                "so %(latest)s at the latest.",
                "The new deadline can be at most %(days)d working days after the current one, "
                "so %(latest)s at the latest.",
                days,
            )
            % {"days": days, "latest": _shown(latest)}
        )
    elif not calendar.is_working_day(new.astimezone(calendar.tz).date()):
        problems.append(
            _("%(day)s is not a working day (a weekend or a public holiday): choose a working day.")
            % {"day": f"{new.astimezone(calendar.tz):%d/%m/%Y}"}
        )
    elif not calendar.is_working_moment(new):
        hours = ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in calendar.office_hours)
        problems.append(
            _("The new deadline must fall within office hours (%(hours)s).") % {"hours": hours}
        )
    return problems


def round_deadline(*, report: Report, start: datetime) -> datetime:
    """The deadline of a handling round that starts at ``start`` (a reopening starts one)."""
    return due_at_for(limits=limits_for(report.category), priority=report.priority, start=start)
