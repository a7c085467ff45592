"""Where each figure leads: the console's queue, filtered with ReportFilter's parameters."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse

from cityops.reports.choices import ReportStatus
from cityops.reports.deadlines import working_calendar
from cityops.stats.kpis import PROCESSED, Scope

ACTIVE = ",".join(str(status) for status in ReportStatus.active())


def console_url(
    scope: Scope,
    *,
    status: str = "",
    with_period: bool = True,
    narrower: dict[str, str] | None = None,
) -> str:
    """The console's queue showing the reports behind a figure.

    ``narrower`` adds one group's code (agency=…, category=… or area=…) to the scope's own.
    """
    params: dict[str, str] = {}
    for name, values in (
        ("agency", scope.agencies),
        ("category", scope.categories),
        ("area", scope.areas),
        ("channel", ()),  # only a row's own channel (KPIs by channel); no scope narrows by it
    ):
        value = (narrower or {}).get(name) or ",".join(values)
        if value:
            params[name] = value
    if status:
        params["status"] = status
    tz = working_calendar().tz
    if with_period and scope.start is not None:
        params["submitted_from"] = scope.start.astimezone(tz).date().isoformat()
    if with_period and scope.end is not None:
        last_day = (scope.end - timedelta(microseconds=1)).astimezone(tz).date()
        params["submitted_to"] = last_day.isoformat()
    query = urlencode(params)
    return reverse("console:queue") + (f"?{query}" if query else "")


def figure_links(scope: Scope, narrower: dict[str, str] | None = None) -> dict[str, str]:
    """One link per figure of a row (or of the headline when ``narrower`` is empty)."""
    processed = ",".join(str(status) for status in PROCESSED)
    return {
        "received": console_url(scope, narrower=narrower),
        "processed": console_url(scope, status=processed, narrower=narrower),
        "rejected": console_url(scope, status=str(ReportStatus.REJECTED), narrower=narrower),
        "duplicates": console_url(scope, status=str(ReportStatus.DUPLICATE), narrower=narrower),
        "rated": console_url(scope, status=str(ReportStatus.CLOSED), narrower=narrower),
        "overdue": console_url(scope, status=ACTIVE, with_period=False, narrower=narrower),
    }
