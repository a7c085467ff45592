"""Template filters of online services."""

from django import template
from django.utils.translation import gettext as _

from cityops.online.choices import ApplicationStatus

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """8000 → "8.000 đ"; 0 → "Free"."""
    if not amount:
        return _("Free")
    return f"{amount:,}".replace(",", ".") + " đ"


@register.filter
def event_label(kind: str) -> str:
    if kind in ApplicationStatus.values:
        return str(ApplicationStatus(kind).label)
    return {
        "created": _("Application sent"),
        "message": _("Message"),
        "reply": _("Applicant's answer"),
    }.get(kind, kind)


@register.filter
def status_tone(status: str) -> str:
    return {
        "done": "done",
        "refused": "hidden",
        "withdrawn": "hidden",
    }.get(status, "open")
