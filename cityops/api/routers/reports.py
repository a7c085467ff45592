"""Reports: the public list and detail, the caller's own reports, and submitting a report.

The public sees reports once the IOC has reviewed them (as on the portal and for photos): not
``submitted`` ones awaiting triage, and never hidden (rejected) ones. A reporter also sees their
own reports in every status.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any, BinaryIO, cast

import pydantic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from cityops.api.auth import OPTIONAL, OPTIONAL_OPENAPI, SIGNED_IN, caller_of, user_of
from cityops.api.errors import field_problems, summary_of
from cityops.api.schemas import (
    MyReportOut,
    MyReportPage,
    PageQuery,
    ReportDetailOut,
    ReportId,
    ReportIn,
    ReportOut,
    ReportPage,
    ReportQuery,
    errors,
)
from cityops.api.writes import api_write
from cityops.platform.errors import InvalidInput, NotFound
from cityops.platform.http import json_body
from cityops.platform.inserts import related_known
from cityops.platform.readcache import read_cache_offer
from cityops.reports.choices import Channel, Visibility
from cityops.reports.filters import ReportFilter
from cityops.reports.models import Report
from cityops.reports.selectors import (
    category_by_code,
    events_public,
    report_count_public,
    reports_public,
    reports_visible_to,
)
from cityops.reports.workflow import report_receive

router = Router(tags=["reports"])

PHOTOS_FIELD = "photos"


def with_details(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Everything ``ReportOut`` reads, in a fixed number of queries however many reports.

    Not an area's boundary nor a category's form: each report of a page would load its copy."""
    return (
        reports.select_related("category", "area", "agency")
        .defer("area__boundary", "category__attributes")
        .prefetch_related("attachments", "ratings")
    )


def public_reports() -> QuerySet[Report]:
    return reports_public(reviewed_only=True)


def visible_report(request: HttpRequest, report_id: int) -> Report:
    """A public report, or one of the caller's own; 404 otherwise (also for hidden ones)."""
    reports = public_reports()
    user = caller_of(request).user
    if user is not None:
        reports = reports | reports_visible_to(user=user).filter(reporter=user)
    report = with_details(reports.filter(pk=report_id)).first()
    if report is None:
        raise NotFound(f"There is no public report #{report_id}.")
    return report


def report_detail_of(request: HttpRequest, report_id: int) -> ReportDetailOut:
    report = visible_report(request, report_id)
    events = list(events_public(report=report).select_related("agency"))
    return ReportDetailOut.with_timeline(report, events=events, request=request)


def _page(reports: QuerySet[Report], paging: PageQuery) -> tuple[int, list[Report]]:
    start = (paging.page - 1) * paging.page_size
    ordered = with_details(reports).order_by("-submitted_at", "-pk")
    return reports.count(), list(ordered[start : start + paging.page_size])


def _public_page(filters: ReportFilter, paging: PageQuery) -> tuple[int, list[Report]]:
    """A page of the public list and how many reports match on all pages: exact when the page
    shows the end of the list, else the recent count of ``report_count_public``."""
    start = (paging.page - 1) * paging.page_size
    ordered = with_details(filters.apply(public_reports())).order_by("-submitted_at", "-pk")
    page = list(ordered[start : start + paging.page_size])
    if len(page) == paging.page_size:
        # A full page proves that many; the count may be older than a report added since.
        return max(report_count_public(filters=filters), start + len(page)), page
    if page or start == 0:
        return start + len(page), page
    return report_count_public(filters=filters), page  # a page past the end


def _filter_from(query: ReportQuery) -> ReportFilter:
    parsed = ReportFilter.from_params(query.filter_params())
    problems: dict[str, list[str]] = {}
    for name in ("submitted_from", "submitted_to", "updated_after", "updated_before"):
        moment = getattr(parsed, name)
        try:
            if moment is not None:
                moment.astimezone(UTC)  # what the database adapter will do
        except OverflowError:
            problems[name] = ["Out of range; use a date between years 2 and 9998."]
    if problems:
        raise InvalidInput(summary_of(problems), fields=problems)
    return parsed


@router.get("", response={200: ReportPage, **errors(400)}, summary="Search public reports")
def report_list(request: HttpRequest, query: Query[ReportQuery]) -> ReportPage:
    """Reviewed reports, newest first, narrowed by the filters of ``ReportFilter``."""
    read_cache_offer(request)
    count, page = _public_page(_filter_from(query), query)
    return ReportPage(
        count=count,
        page=query.page,
        page_size=query.page_size,
        results=[ReportOut.of(report, request=request) for report in page],
    )


@router.get(
    "/mine",
    response={200: MyReportPage, **errors(400, 401)},
    auth=SIGNED_IN,
    summary="List my own reports",
)
def report_list_mine(request: HttpRequest, paging: Query[PageQuery]) -> MyReportPage:
    """The caller's reports in every status (also rejected ones), with their contact details."""
    user = user_of(request)
    count, page = _page(reports_visible_to(user=user).filter(reporter=user), paging)
    return MyReportPage(
        count=count,
        page=paging.page,
        page_size=paging.page_size,
        results=[MyReportOut.of(report, request=request) for report in page],
    )


@router.get(
    "/{report_id}",
    response={200: ReportDetailOut, **errors(400, 401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="Get a report with its public timeline",
)
def report_detail(request: HttpRequest, report_id: ReportId) -> ReportDetailOut:
    read_cache_offer(request, report_id=report_id)  # kept for anonymous callers only
    return report_detail_of(request, report_id)


def _form_field(schema: dict[str, Any]) -> dict[str, Any]:
    """A form has no null: an optional number is left out instead."""
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        return {**rest, **options[0]}
    return schema


def _request_body() -> dict[str, Any]:
    fields = ReportIn.model_json_schema(mode="validation")
    form = {
        **fields,
        "properties": {
            **{name: _form_field(s) for name, s in fields["properties"].items()},
            PHOTOS_FIELD: {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "maxItems": settings.CITYOPS_MAX_PHOTOS,
                "description": (
                    f"Up to {settings.CITYOPS_MAX_PHOTOS} JPEG, PNG or WebP photos; "
                    "their metadata (GPS position, device) is removed."
                ),
            },
        },
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": form},
                "application/json": {"schema": fields},
            },
        }
    }


_FORM_BOOLEANS = {"true": True, "false": False, "on": True}  # "on": an HTML checkbox


def _submission(request: HttpRequest) -> tuple[ReportIn, list[UploadedFile]]:
    """The report's fields from a JSON body, or fields and photos from a multipart form."""
    photos: list[UploadedFile] = []
    problems: dict[str, list[str]] = {}
    data: Any
    is_json = request.content_type == "application/json"
    if is_json:
        data = json_body(request) if request.body else None  # MalformedJSON: 400, with why
        if not isinstance(data, dict):
            message = "Send a JSON object (or a multipart form with photos)."
            raise InvalidInput(message, fields={"body": [message]})
    else:
        data = request.POST.dict()
        for name, value in list(data.items()):
            field = ReportIn.model_fields.get(name)
            if field is not None and field.annotation is bool:
                if value in _FORM_BOOLEANS:
                    data[name] = _FORM_BOOLEANS[value]
                else:
                    problems[name] = ["Use true or false."]
                    del data[name]
        photos = request.FILES.getlist(PHOTOS_FIELD)
        for name in sorted(set(request.FILES) - {PHOTOS_FIELD}):
            problems[name] = [f"Send photos as '{PHOTOS_FIELD}'."]
    try:
        # JSON has types, so they must be right ("16.4" is not a number, 0 is not false);
        # a form's values are all text and are read as what the field needs.
        payload = ReportIn.model_validate(data, strict=is_json)
    except pydantic.ValidationError as invalid:
        problems = {**field_problems(invalid.errors(include_url=False)), **problems}
    if problems:
        raise InvalidInput(summary_of(problems), fields=problems)
    return payload, photos


@router.post(
    "",
    response={201: ReportDetailOut, **errors(400, 401, 409, 413, 429)},
    auth=OPTIONAL,
    openapi_extra={**OPTIONAL_OPENAPI, **_request_body()},
    summary="Submit a report",
)
@api_write()
def report_create(request: HttpRequest) -> Status[ReportDetailOut]:
    """Send a report with or without a token (without one it is anonymous), as JSON or as a
    multipart form with up to 5 ``photos``. It waits for review before the public sees it."""
    payload, photos = _submission(request)
    category = category_by_code(payload.category)
    if category is None:
        message = "Unknown category; choose a code from GET /categories."
        raise InvalidInput(message, fields={"category": [message]})
    caller = caller_of(request)
    received = report_receive(
        description=payload.description,
        category=category,
        channel=Channel.APP,
        reporter=caller.user,
        lat=payload.lat,
        lon=payload.lon,
        address=payload.address,
        title=payload.title,
        is_anonymous=payload.is_anonymous,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        contact_email=payload.contact_email,
        device_id=payload.device_id,
        photos=[cast(BinaryIO, photo) for photo in photos],
    )
    # The answer is what was just written (the new report holds its category and area; it has
    # no ratings yet): nothing is read back.
    report = received.report
    related_known(report, attachments=received.attachments, ratings=[])
    events = [received.event] if received.event.visibility == Visibility.PUBLIC else []
    return Status(201, ReportDetailOut.with_timeline(report, events=events, request=request))
