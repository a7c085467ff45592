"""Presentation helpers of the violation pages: amounts in đồng, fine bands, masked plates and
the status badges' tones."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from cityops.platform import money
from cityops.violations.choices import CaseStatus

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """4000000 → "4.000.000 đ"; "—" for nothing."""
    if amount is None or amount == "":
        return "—"
    return money.vnd(int(amount))


@register.filter
def fine_band(case: Any) -> str:
    """The band of the fine the decree sets for the violation; the amount is decided within it
    by the penalty decision, never by the software."""
    low, high = getattr(case, "fine_min", None), getattr(case, "fine_max", None)
    if low is None and high is None:
        return _("Not set for this violation")
    if low is None or high is None or low == high:
        return vnd(low if high is None else high)
    return _("From %(low)s to %(high)s") % {"low": vnd(low), "high": vnd(high)}


@register.filter
def plate_masked(plate: str) -> str:
    """The plate with its last two digits hidden: 75A-123.45 → 75A-123.**, so a page that is
    not an officer's tells plates apart without naming a vehicle."""
    text = str(plate or "")
    digits = [index for index, char in enumerate(text) if char.isdigit()]
    hidden = set(digits[-2:]) if len(digits) > 2 else set(digits)
    return "".join("*" if index in hidden else char for index, char in enumerate(text))


_TONES = {
    CaseStatus.DETECTED: "open",
    CaseStatus.REVIEWED: "open",
    CaseStatus.CONFIRMED: "open",
    CaseStatus.NOTICE_ISSUED: "open",
    CaseStatus.CONTESTED: "open",
    CaseStatus.PAID: "done",
    CaseStatus.CLOSED: "done",
    CaseStatus.REJECTED: "hidden",
}


@register.filter
def case_tone(status: str) -> str:
    """The badge's colour class; the status is always said in words too."""
    try:
        return _TONES[CaseStatus(status)]
    except ValueError:
        return "open"


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(float(value) * 100)}%"


@register.filter
def short_hash(value: str) -> str:
    """The first 12 hexadecimal digits of a SHA-256: enough to compare by eye."""
    return str(value or "")[:12]
