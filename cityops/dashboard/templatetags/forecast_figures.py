"""Formatting of forecast figures: counts whole, other figures with two significant decimals."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value: float | None) -> str:
    """1234.56 → "1.235" (Vietnamese grouping); 3.14159 → "3,14"; None → "—"."""
    if value is None:
        return "—"
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    text = number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)
    return text


@register.filter
def period_label(period: date, frequency: str) -> str:
    """A period by its first day: "week of 07/12/2026", "12/2026", "Q4/2026", "2026"."""
    if frequency == "week":
        return _("week of %(day)s") % {"day": f"{period:%d/%m/%Y}"}
    if frequency == "quarter":
        return _("Q%(quarter)s/%(year)s") % {
            "quarter": (period.month - 1) // 3 + 1,
            "year": period.year,
        }
    if frequency == "year":
        return str(period.year)
    if frequency == "day":
        return f"{period:%d/%m/%Y}"
    return f"{period:%m/%Y}"
