"""Presentation helpers for the console's templates: deadline countdowns (no business rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityops.intel.selectors import SuggestionsKept
from cityops.intel.suggestions import FROM_ALARM_RULE, ReportSuggestion
from cityops.portal.forms import localized_name
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Report

register = template.Library()

SOON_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True)
class Countdown:
    """How near a deadline is: ``tone`` (ok, soon, today, overdue) and the same in words."""

    tone: str
    words: str


def duration_words(seconds: float) -> str:
    """45 min, 3 h, 2 days: the unit a person on duty thinks in."""
    minutes = max(int(seconds // 60), 1)
    if minutes < 60:
        return ngettext("%(count)d min", "%(count)d min", minutes) % {"count": minutes}
    hours = int(seconds // 3600)
    if hours < 48:
        return ngettext("%(count)d h", "%(count)d h", hours) % {"count": hours}
    days = int(seconds // 86400)
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def countdown(due_at: datetime | None, now: datetime) -> Countdown | None:
    """The countdown to ``due_at`` seen at ``now``; None without a deadline."""
    if due_at is None:
        return None
    seconds = (due_at - now).total_seconds()
    if seconds < 0:
        return Countdown("overdue", _("overdue by %(time)s") % {"time": duration_words(-seconds)})
    if timezone.localtime(due_at).date() == timezone.localtime(now).date():
        tone = "today"
    elif seconds < SOON_SECONDS:
        tone = "soon"
    else:
        tone = "ok"
    return Countdown(tone, _("%(time)s left") % {"time": duration_words(seconds)})


@register.simple_tag
def due(report: Report, now: datetime) -> SafeString | str:
    """The deadline badge of a report still in hand, in words and colour; "—" otherwise."""
    found = countdown(report.due_at, now) if ReportStatus(report.status).is_active else None
    if found is None or report.due_at is None:
        return "—"
    return format_html(
        '<time class="due due-{}" datetime="{}" title="{}">{}</time>',
        found.tone,
        report.due_at.isoformat(),
        timezone.localtime(report.due_at).strftime("%d/%m/%Y %H:%M"),
        found.words,
    )


@register.filter
def overdue_at(report: Report, now: datetime) -> bool:
    return report.is_overdue(now)


@register.simple_tag
def field_widget(field: BoundField) -> str:
    """The field's input, tied to its hint and errors for screen readers (prefixed ids)."""
    described = [f"hint-{field.auto_id}"] if field.help_text else []
    if field.errors:
        described.append(f"error-{field.auto_id}")
    attrs: dict[str, Any] = {"aria-describedby": " ".join(described)} if described else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def suggestion_label(suggestion: ReportSuggestion | None) -> str:
    """ "Suggested: Urban infrastructure (87%) · Urgent (ngập sâu)", or what the alarm's rule
    maps the report to; empty without a suggested category."""
    if suggestion is None or suggestion.category is None:
        return ""
    category, priority = localized_name(suggestion.category), suggestion.priority.label
    if suggestion.source == FROM_ALARM_RULE:
        return _("From the alarm's rule: %(category)s · %(priority)s") % {
            "category": category,
            "priority": priority,
        }
    label = _("Suggested: %(category)s (%(confidence)s%%)") % {
        "category": category,
        "confidence": suggestion.percent,
    }
    label = f"{label} · {priority}"
    return f"{label} ({suggestion.reason})" if suggestion.reason else label


@register.filter
def suggestions_kept_label(kept: SuggestionsKept) -> str:
    """ "12/2026: 84% of category suggestions kept (126/150), 71% of priority suggestions"."""
    month = {"month": kept.month.month, "year": kept.month.year}
    if not kept.total:
        return _("%(month)s/%(year)s: no report accepted with a suggestion yet.") % month
    return _(
        "%(month)s/%(year)s: %(category)s%% of category suggestions kept (%(kept)s/%(total)s), "
        "%(priority)s%% of priority suggestions"
    ) % {
        **month,
        "category": kept.category_percent,
        "kept": kept.category_kept,
        "total": kept.total,
        "priority": kept.priority_percent,
    }
