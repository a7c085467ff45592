"""Formatting of KPI figures: rates as per cent, durations in working hours, "—" for none."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()

NONE = "—"


@register.filter
def percent(value: float | None) -> str:
    """0.873 → "87.3 %" (localised decimal mark); None → "—"."""
    if value is None:
        return NONE
    return f"{number_format(round(value * 100, 1), 1)} %"


@register.filter
def hours(value: float | None) -> str:
    if value is None:
        return NONE
    return number_format(round(value, 1), 1)


@register.filter
def share(part: int, whole: int) -> int:
    """The width, in per cent, of a bar showing ``part`` of ``whole``."""
    return round(100 * part / whole) if whole else 0
