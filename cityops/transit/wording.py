"""How a bus's delay reads to people: "on time", "3 minutes late", "scheduled"."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ON_TIME_SECONDS = 60  # under a minute either way is on time


def delay_text(delay: int | None) -> str:
    """Words for a delay in seconds; None is a time from the schedule only (no bus reports)."""
    if delay is None:
        return _("scheduled")
    minutes = abs(delay) // 60
    if abs(delay) < ON_TIME_SECONDS:
        return _("on time")
    if delay > 0:
        return ngettext("%(minutes)s minute late", "%(minutes)s minutes late", minutes) % {
            "minutes": minutes
        }
    return ngettext("%(minutes)s minute early", "%(minutes)s minutes early", minutes) % {
        "minutes": minutes
    }


def delay_tone(delay: int | None) -> str:
    """A CSS/colour key for the delay: scheduled, on-time, late, very-late, early."""
    if delay is None:
        return "scheduled"
    if abs(delay) < ON_TIME_SECONDS:
        return "on-time"
    if delay < 0:
        return "early"
    return "very-late" if delay >= 600 else "late"
