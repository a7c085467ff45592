"""Filters of indicator pages: a figure's period as people write it, a figure rounded."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from cityops.indicators.models import Value
from cityops.indicators.periods import period_label

register = template.Library()


@register.filter
def period_of(value: Value) -> str:
    """``2025``, ``2025-Q3`` or ``2025-07``, by the indicator's frequency."""
    return period_label(value.period, value.indicator.frequency)


@register.filter
def figure(number: float | None) -> str:
    """At most two decimals, in the page's language (93,41 in Vietnamese)."""
    if number is None:
        return "–"
    rounded = round(float(number), 2)
    decimals = 0 if rounded == int(rounded) else 2 if rounded * 10 != int(rounded * 10) else 1
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def signed_figure(number: float | None) -> str:
    if number is None:
        return "–"
    return ("+" if number > 0 else "−" if number < 0 else "±") + figure(abs(number))


@register.filter
def local_name(indicator: object) -> str:
    """The indicator's English name on English pages, when it has one."""
    from django.utils.translation import get_language

    name_en = getattr(indicator, "name_en", "")
    if name_en and (get_language() or "vi").startswith("en"):
        return str(name_en)
    return str(getattr(indicator, "name", ""))


@register.filter
def percent(rate: float | None) -> str:
    """A yearly rate as a percentage: 0.09856 → "9,86 %" in Vietnamese."""
    if rate is None:
        return "–"
    return number_format(round(rate * 100, 2), decimal_pos=2, use_l10n=True) + " %"
