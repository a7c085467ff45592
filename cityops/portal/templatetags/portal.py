"""Small presentation helpers for the portal's templates (no business rules here)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.forms import BoundField
from django.http import HttpRequest

from cityops.accounts.access import workspaces_for
from cityops.intel.masking import masked_for
from cityops.portal.forms import localized_name
from cityops.reports.choices import RatingValue, RejectionReason, ReportStatus
from cityops.reports.models import Report
from cityops.reports.selectors import reporter_public_name
from cityops.reports.wording import public_status, public_status_help

register = template.Library()


@register.filter
def citizen_status(status: str) -> str:
    """Đã tiếp nhận, Đang xử lý, Đã xử lý … rather than the staff's labels."""
    return public_status(status)


@register.filter
def citizen_status_help(status: str) -> str:
    return public_status_help(status)


@register.filter
def status_tone(status: str) -> str:
    """A CSS modifier: open, done or hidden (colour is never the only cue: the words are there)."""
    group = ReportStatus(status).group
    return {"open": "open", "closed": "done"}.get(group, "hidden")


@register.filter
def masked(text: str, user: Any) -> str:
    """A report's text as ``user`` may read it: personal data masked except for IOC staff."""
    return masked_for(str(text or ""), user=user)


@register.filter
def local_name(obj: Any) -> str:
    return localized_name(obj) if obj is not None else ""


@register.filter
def rating_label(value: str) -> str:
    return str(RatingValue(value).label) if value in RatingValue.values else ""


@register.filter
def rejection_label(value: str) -> str:
    return str(RejectionReason(value).label) if value in RejectionReason.values else ""


@register.simple_tag
def reporter_name(report: Report) -> str | None:
    """None: anonymous; "": no public name; else the reporter's given name."""
    return reporter_public_name(report=report)


@register.simple_tag(takes_context=True)
def workspaces(context: template.Context) -> list[dict[str, Any]]:
    """The staff workspaces the signed-in user may open, for the header; ``current`` marks the
    one the page belongs to."""
    request: HttpRequest = context["request"]
    match = request.resolver_match
    namespace = match.namespace if match else ""
    spaces = workspaces_for(request.user)

    def home(space: Any) -> str:
        return str(space.url_name.rpartition(":")[0])

    def within(space: Any) -> bool:  # the workspace's namespace is the page's, or holds it
        return bool(namespace) and f"{namespace}:".startswith(f"{home(space)}:")

    # The most specific one: /console/violations/ is the officers' workspace, not the console.
    here = max(
        (space for space in spaces if within(space)), key=lambda s: len(home(s)), default=None
    )
    return [
        {"code": space.code, "label": space.label, "url": space.url, "current": space is here}
        for space in spaces
    ]


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with ``changes`` applied (empty values removed), for paging."""
    request: HttpRequest = context["request"]
    params = {key: value for key, value in request.GET.items() if value}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


@register.simple_tag
def widget(field: BoundField, hint: str = "", required: bool = False) -> str:
    """The field's input, tied to its hint and errors for screen readers."""
    described = [f"hint-{field.name}"] if hint else []
    if field.errors:
        described.append(f"error-{field.name}")
    attrs: dict[str, Any] = {"aria-describedby": " ".join(described)} if described else {}
    if required:
        attrs.update({"required": True, "aria-required": "true"})
    return field.as_widget(attrs=attrs)
