"""Presentation helpers for the alarm panel (no business rules)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(moment: datetime | None, now: datetime) -> str:
    """ "just now", or "12 minutes ago" / "2 hours, 5 minutes ago" seen at ``now``."""
    if moment is None:
        return "—"
    if (now - moment).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, now, depth=1)}
