"""Presentation helpers of the agency workspace: deadline countdowns, who did a step, fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityops.accounts.choices import Role
from cityops.portal.forms import localized_name
from cityops.reports.models import ReportEvent

register = template.Library()

TODAY_WITHIN = timedelta(hours=4)
SOON_WITHIN = timedelta(hours=48)


@dataclass(frozen=True)
class Countdown:
    """A deadline as a CSS tone (``due-ok|due-soon|due-today|due-overdue``) and in words."""

    tone: str
    words: str

    @property
    def overdue(self) -> bool:
        return self.tone == "due-overdue"


def _span(delta: timedelta) -> tuple[str, int]:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return "min", max(minutes, 1)
    if delta < SOON_WITHIN:
        return "h", minutes // 60
    return "days", int(delta.total_seconds() // 86400)


def countdown(due_at: datetime | None, now: datetime) -> Countdown | None:
    """How urgent a deadline is at ``now``; the words say it too, never colour alone."""
    if due_at is None:
        return None
    if due_at < now:
        unit, count = _span(now - due_at)
        if unit == "min":
            words = _("overdue by %(count)d min") % {"count": count}
        elif unit == "h":
            words = _("overdue by %(count)d h") % {"count": count}
        else:
            words = ngettext("overdue by %(count)d day", "overdue by %(count)d days", count) % {
                "count": count
            }
        return Countdown("due-overdue", words)
    left = due_at - now
    unit, count = _span(left)
    if unit == "min":
        words = _("due in %(count)d min") % {"count": count}
    elif unit == "h":
        words = _("due in %(count)d h") % {"count": count}
    else:
        words = ngettext("due in %(count)d day", "due in %(count)d days", count) % {"count": count}
    same_day = timezone.localdate(due_at) == timezone.localdate(now)
    if left < TODAY_WITHIN or same_day:
        return Countdown("due-today", words)
    if left < SOON_WITHIN:
        return Countdown("due-soon", words)
    return Countdown("due-ok", words)


@register.simple_tag
def deadline(due_at: datetime | None, now: datetime) -> Countdown | None:
    return countdown(due_at, now)


@register.filter
def done_by(event: ReportEvent) -> str:
    """Who made a step, without naming anyone: agencies never learn who reported, and staff
    names are not the point of a timeline."""
    if not event.actor_role:
        return _("The system")
    role = Role(event.actor_role)
    if role == Role.CITIZEN:
        return _("The reporter")
    if role == Role.AGENCY_STAFF:
        return localized_name(event.agency) if event.agency else _("An agency")
    if role == Role.LEADER:
        return _("A leader")
    return _("The operations centre")


@register.simple_tag
def agency_widget(field: BoundField, required: bool = False) -> str:
    """The field's input, tied to its help text and errors by ids unique on the page."""
    described = []
    if field.help_text:
        described.append(f"hint-{field.html_name}")
    if field.errors:
        described.append(f"error-{field.html_name}")
    attrs: dict[str, Any] = {"aria-describedby": " ".join(described)} if described else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if required:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)
