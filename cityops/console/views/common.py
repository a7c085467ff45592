"""What the console's views share: the queue's filters, the moves a user may make, the map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, QueryDict

from cityops.accounts.models import User
from cityops.console.forms import ANY_STATUS, QueueFilterForm
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.reports import workflow
from cityops.reports.filters import ReportFilter, StaffFilter
from cityops.reports.models import Report

# With no status in the query string the console shows the reports still in hand.
DEFAULT_STATUS = "open"


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def staff_user(request: HttpRequest) -> User:
    """The signed-in user (the views' decorators make sure there is one)."""
    assert isinstance(request.user, User)
    return request.user


def moves_allowed(user: Any, report: Report) -> set[str]:
    """The workflow's moves ``user`` may make on ``report`` now (to offer their forms at all)."""
    if not user.is_authenticated:
        return set()
    parties = workflow.parties_of(user, report)
    return {
        name
        for name, move in workflow.MOVES.items()
        if report.status in move.sources and parties & move.parties
    }


@dataclass(frozen=True)
class QueueQuery:
    form: QueueFilterForm
    filters: ReportFilter
    staff: StaffFilter
    order: str
    query: str  # the filters as a query string, without the page


def queue_query(params: QueryDict) -> QueueQuery:
    """The queue's filters from a query string; bad ones are shown and otherwise ignored.

    The bare queue shows the reports still in hand; a link that names filters but no status
    (the dashboard's figures) means every status.
    """
    data: dict[str, str] = {
        key: value for key, value in params.items() if key != "page" and isinstance(value, str)
    }
    if not any(value for key, value in data.items() if key != "sort"):
        data["status"] = DEFAULT_STATUS
    form = QueueFilterForm(data)
    parsed = form.params()
    if parsed["status"] == ANY_STATUS:
        parsed["status"] = ""
    problems: dict[str, list[str]] = {}
    filters, staff = ReportFilter(), StaffFilter()
    try:
        filters = ReportFilter.from_params(parsed)
    except InvalidInput as invalid:
        problems.update(invalid.fields)
    try:
        staff = StaffFilter.from_params(parsed, now=clock.now())
    except InvalidInput as invalid:
        problems.update(invalid.fields)
    if problems:
        form.show_problems(InvalidInput("Invalid filter.", fields=problems))
    query = urlencode({key: value for key, value in data.items() if value})
    return QueueQuery(form, filters, staff, form.order(), query)


def map_tiles() -> dict[str, str]:
    return {
        "tiles_url": settings.CITYOPS_MAP_TILES_URL,
        "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
    }
