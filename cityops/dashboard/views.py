"""The leaders' dashboard, its exports and monthly report; the public transparency page and
open data. Each view parses its input, asks ``cityops.stats`` once, and renders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.accounts.models import IdentityAccess
from cityops.accounts.services import identity_access_record
from cityops.dashboard.forms import DashboardFilterForm, MonthOnlyForm
from cityops.dashboard.links import console_url, figure_links
from cityops.platform import clock
from cityops.platform.errors import InvalidInput, NotFound
from cityops.platform.http import client_ip
from cityops.platform.ratelimit import Rate, rate_limit_hit
from cityops.reports.choices import ReportStatus
from cityops.reports.deadlines import working_calendar
from cityops.reports.filters import ReportFilter
from cityops.reports.selectors import reporter_identity_visible_to
from cityops.stats import exports
from cityops.stats.kpis import Kpis, Scope
from cityops.stats.selectors import (
    Row,
    dashboard_data,
    monthly_report_data,
    transparency_data,
)

OPEN_DATA_RATE = "30/m"  # per client address; a settings entry overrides it
OPEN_DATA_MAX_AGE = 300  # seconds: open data may be up to five minutes old
TRANSPARENCY_CACHE_SECONDS = 300


def _this_month() -> date:
    return clock.now().astimezone(working_calendar().tz).date().replace(day=1)


def _english() -> bool:
    return get_language() == "en"


def _linked(rows: Iterable[Row], scope: Scope, dimension: str) -> list[dict[str, Any]]:
    return [
        {"row": row, "links": figure_links(scope, {dimension: row.code} if row.code else None)}
        for row in rows
    ]


def _unlinked(rows: Iterable[Row]) -> list[dict[str, Any]]:
    return [{"row": row, "links": None} for row in rows]


def _unassigned(rows: Iterable[Row], scope: Scope) -> dict[str, Any] | None:
    """The reports no agency holds: ReportFilter cannot ask for "no agency", so the links go
    to the statuses such reports are in (all of them for "overdue": only the IOC's queue)."""
    row = next((row for row in rows if row.code is None), None)
    if row is None:
        return None
    waiting = ",".join(str(s) for s in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED))
    unassigned = ",".join([waiting, str(ReportStatus.REJECTED), str(ReportStatus.DUPLICATE)])
    return {
        "row": row,
        "links": {
            "received": console_url(scope, status=unassigned),
            "overdue": console_url(scope, status=waiting, with_period=False),
        },
    }


def _chart(trend: list[tuple[date, Kpis]]) -> dict[str, list[Any]]:
    """The trend as parallel lists for Chart.js (rates in per cent)."""

    def percent(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    return {
        "labels": [f"{month:%m/%Y}" for month, _ in trend],
        "received": [kpi.received for _, kpi in trend],
        "processed": [kpi.processed for _, kpi in trend],
        "on_time_rate": [percent(kpi.on_time_rate) for _, kpi in trend],
        "satisfaction_rate": [percent(kpi.satisfaction_rate) for _, kpi in trend],
        "avg_processing_hours": [
            None if kpi.avg_processing_hours is None else round(kpi.avg_processing_hours, 1)
            for _, kpi in trend
        ],
    }


def _filter_query(scope: Scope) -> str:
    """The console/export filter parameters of the dashboard's scope, as a query string."""
    url = console_url(scope)
    return url.split("?", 1)[1] if "?" in url else ""


@require_GET
@roles_required(*IOC_READERS)
def overview(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    chosen = form.chosen(default_month=_this_month())
    data = dashboard_data(
        month=chosen.month,
        at=clock.now(),
        agencies=(chosen.agency,) if chosen.agency else (),
        categories=(chosen.category,) if chosen.category else (),
        areas=(chosen.area,) if chosen.area else (),
        english=_english(),
    )
    form.offer(data.choices)
    scope = data.scope
    context = {
        "form": form,
        "data": data,
        "month": chosen.month,
        "headline_links": figure_links(scope),
        "by_category": _linked(data.by_category, scope, "category"),
        "by_area": _linked(data.by_area, scope, "area"),
        "by_channel": _linked(data.by_channel, scope, "channel"),
        "ranked": _linked([row for row in data.ranking if row.position], scope, "agency"),
        "unranked": _linked([row for row in data.ranking if not row.position], scope, "agency"),
        "unassigned": _unassigned(data.by_agency, scope),
        "chart": _chart(data.trend),
        "cells": data.cells,
        "cell_link": console_url(scope),
        "filter_query": _filter_query(scope),
        "agency_code": chosen.agency,
        "tiles_url": settings.CITYOPS_MAP_TILES_URL,
        "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
    }
    return render(request, "dashboard/overview.html", context)


@require_GET
@roles_required(*IOC_READERS)
def monthly(request: HttpRequest) -> HttpResponse:
    form = MonthOnlyForm(request.GET or None)
    chosen = form.chosen(default_month=_this_month())
    try:
        data = monthly_report_data(
            month=chosen.month, at=clock.now(), agency=chosen.agency or None, english=_english()
        )
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request,
        "dashboard/monthly.html",
        {
            "form": form,
            "data": data,
            "agencies": data.agencies,
            "ranking": _unlinked(data.ranking),
            "by_category": _unlinked(data.by_category),
            "by_area": _unlinked(data.by_area),
        },
    )


# --- exports ----------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> ReportFilter | HttpResponse:
    try:
        return ReportFilter.from_params(request.GET.dict())
    except InvalidInput as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")


def _download(
    chunks: Iterable[bytes], *, content_type: str, filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _stamp() -> str:
    return f"{clock.now().astimezone(working_calendar().tz):%Y%m%d-%H%M}"


def _log_identity_read(request: HttpRequest, what: str) -> None:
    """IOC staff's exports carry reporters' identities: each one is logged (docs/security.md)."""
    if reporter_identity_visible_to(user=request.user):  # type: ignore[arg-type]
        identity_access_record(
            user=request.user,  # type: ignore[arg-type]
            what=what,
            ip=client_ip(request),
            detail=request.GET.urlencode(),
        )


@require_GET
@roles_required(*IOC_READERS)
def export_reports(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in exports.FORMATS:
        raise Http404("Unknown export format.")
    filters = _filters(request)
    if isinstance(filters, HttpResponse):
        return filters
    table = exports.reports_export(filters=filters, user=request.user)  # type: ignore[arg-type]
    _log_identity_read(request, IdentityAccess.What.REPORTS_EXPORT)
    content_type, write = exports.FORMATS[fmt]
    return _download(
        write(table), content_type=content_type, filename=f"cityops-reports-{_stamp()}.{fmt}"
    )


@require_GET
@roles_required(*IOC_READERS)
def export_events(request: HttpRequest) -> HttpResponseBase:
    filters = _filters(request)
    if isinstance(filters, HttpResponse):
        return filters
    table = exports.events_export(filters=filters, user=request.user)  # type: ignore[arg-type]
    _log_identity_read(request, IdentityAccess.What.EVENTS_EXPORT)
    content_type, write = exports.FORMATS["csv"]
    return _download(
        write(table), content_type=content_type, filename=f"cityops-events-{_stamp()}.csv"
    )


# --- public -----------------------------------------------------------------------------------


@require_GET
def transparency(request: HttpRequest) -> HttpResponse:
    form = MonthOnlyForm(request.GET or None)
    del form.fields["agency"]
    chosen = form.chosen(default_month=_this_month())
    key = f"transparency:{chosen.month:%Y-%m}:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = transparency_data(month=chosen.month, at=clock.now(), english=_english())
        cache.set(key, data, TRANSPARENCY_CACHE_SECONDS)
    return render(
        request,
        "dashboard/transparency.html",
        {
            "form": form,
            "data": data,
            "chart": _chart(data.trend),
            "month": chosen.month,
            "ranked": _unlinked(row for row in data.ranking if row.position),
            "unranked": _unlinked(row for row in data.ranking if not row.position),
            "by_category": _unlinked(data.by_category),
        },
    )


def _open_data_rate() -> Rate:
    return Rate.parse(settings.CITYOPS_RATE_LIMITS.get("open_data_per_ip", OPEN_DATA_RATE))


def _last_change(request: HttpRequest, fmt: str) -> datetime | None:
    return exports.open_data_last_change()


@require_GET
@condition(last_modified_func=_last_change)
def open_data(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Public reports at a stable address, for anyone (CSV or GeoJSON; no personal data)."""
    if fmt not in ("csv", "geojson"):
        raise Http404("Unknown format.")
    wait = rate_limit_hit(scope="open-data", key=client_ip(request), rate=_open_data_rate())
    if wait is not None:
        response = HttpResponse(
            _("Too many requests: please try again in a minute.") + "\n",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(wait)
        return response
    filters = _filters(request)
    if isinstance(filters, HttpResponse):
        return filters
    table = exports.reports_open_data(filters=filters)
    chunks = exports.csv_chunks(table) if fmt == "csv" else exports.geojson_chunks(table)
    content_type = exports.FORMATS[fmt][0]
    streamed = StreamingHttpResponse(chunks, content_type=content_type)
    streamed["Content-Disposition"] = f'inline; filename="cityops-reports.{fmt}"'
    streamed["Cache-Control"] = f"public, max-age={OPEN_DATA_MAX_AGE}"
    streamed["Access-Control-Allow-Origin"] = "*"
    return streamed
