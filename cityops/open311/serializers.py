"""CityOps objects as Open311 fields: pure functions from model objects to plain dicts.

What a request shows is public by construction: no reporter, contact, device or account field is
ever read here, timelines come from public events only (their notes as ``reports.visibility``
publishes them: a citizen's never), and photos are published only once the report has been
reviewed (the portal serves them only then). ``with_request_relations`` loads,
in a constant number of queries, everything ``request`` reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any, Literal

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone, translation

from cityops.intel.masking import mask_personal_data
from cityops.reports.choices import (
    AttachmentKind,
    BlurStatus,
    EventKind,
    ReportStatus,
    StatusGroup,
    Visibility,
)
from cityops.reports.models import Attachment, Category, Rating, Report, ReportEvent
from cityops.reports.selectors import attachment_urls, report_is_public_reviewed
from cityops.reports.visibility import PUBLIC, event_note_for, events_with_public_note

Language = Literal["vi", "en"]
Absolute = Callable[[str], str]  # a site-relative URL → an absolute one

TOKEN_PREFIX = "cityops-"  # noqa: S105 (a token names a public report, it grants nothing)

_NOTICE_SUBMITTED = {
    "vi": "Đã gửi — IOC sẽ tiếp nhận trong {minutes} phút làm việc",
    "en": "Submitted — the IOC will acknowledge it within {minutes} working minutes",
}


def iso(moment: datetime | None) -> str | None:
    """ISO-8601 in the city's time zone, with its offset (+07:00 in Huế)."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _label(choice: Any, lang: Language) -> str:
    # By the choice's type too: ReportStatus.ASSIGNED == EventKind.ASSIGNED == "assigned".
    return _translated_label(type(choice).__qualname__, choice, lang)


@cache  # a few dozen choices in two languages, asked for on every one of up to 1000 requests
def _translated_label(_choices: str, choice: Any, lang: Language) -> str:
    with translation.override(lang):
        return str(choice.label)


def open311_status(status: str) -> str:
    """Open311 knows two statuses: the group (hidden reports are never published)."""
    return "closed" if ReportStatus(status).group == StatusGroup.CLOSED else "open"


def token_for(report_id: int) -> str:
    return f"{TOKEN_PREFIX}{report_id}"


# Services ------------------------------------------------------------------------------------


def service(category: Category, *, lang: Language) -> dict[str, Any]:
    english = lang == "en"
    return {
        "service_code": category.code,
        "service_name": (category.name_en if english else "") or category.name,
        "description": (category.description_en if english else "") or category.description,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def attribute(spec: Mapping[str, Any]) -> dict[str, Any]:
    """One attribute of a category's definition; keys an administrator left out get defaults."""
    return {
        "variable": bool(spec.get("variable", True)),
        "code": str(spec.get("code", "")),
        "datatype": str(spec.get("datatype", "string")),
        "required": bool(spec.get("required", False)),
        "datatype_description": str(spec.get("datatype_description", "")),
        "order": int(spec.get("order", 0)),
        "description": str(spec.get("description", "")),
        "values": [
            {"key": str(value.get("key", "")), "name": str(value.get("name", ""))}
            for value in spec.get("values") or []
        ],
    }


def attribute_specs(category: Category) -> list[Mapping[str, Any]]:
    specs = [spec for spec in category.attributes or [] if isinstance(spec, Mapping)]
    return sorted(specs, key=lambda spec: int(spec.get("order", 0)))


def service_definition(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [attribute(spec) for spec in attribute_specs(category)],
    }


# Requests ------------------------------------------------------------------------------------


# The columns ``request`` reads, and only those: a page holds up to 1000 requests, and the
# personal data (reporter, contact, device) is then not even loaded.
_REQUEST_COLUMNS = (
    *("status", "title", "description", "address", "lat", "lon", "channel", "priority"),
    *("submitted_at", "updated_at", "due_at", "resolved_at"),
    *("category__code", "category__name", "category__name_en"),
    *("agency__name", "agency__name_en", "area__code", "area__name"),
)


def with_request_relations(
    reports: QuerySet[Report], *, extensions: bool = True
) -> QuerySet[Report]:
    """Everything ``request`` reads, in a fixed number of queries whatever the number of
    reports. Without ``extensions`` the timeline and ratings are not loaded: only the latest
    note (``status_notes``) is, by the database."""
    public_events = ReportEvent.objects.filter(visibility=Visibility.PUBLIC)
    latest_note = (
        events_with_public_note()
        .filter(report=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("note")[:1]
    )
    shown = Q(event__isnull=True) | Q(event__visibility=Visibility.PUBLIC)
    photos = Attachment.objects.filter(shown, blur_status=BlurStatus.BLURRED).only(
        "report", "kind", "created_at", "blurred_at"
    )  # blurred copies only: a photo not blurred yet has no URL
    relations: list[Prefetch[Any, Any, Any]] = [
        Prefetch(
            "attachments",
            queryset=photos.order_by("created_at", "pk"),
            to_attr="public_attachments",
        )
    ]
    if extensions:
        # Who wrote a note, and when which agency had the report, decide whether it is
        # published (``reports.visibility``).
        events = public_events.only(
            "report", "kind", "note", "actor", "actor_role", "agency", "visibility", "created_at"
        )
        relations += [
            Prefetch(
                "events", queryset=events.order_by("created_at", "pk"), to_attr="public_events"
            ),
            Prefetch("ratings", queryset=Rating.objects.only("report", "value", "created_at")),
        ]
    return (
        reports.select_related("category", "agency", "area")
        .only(*_REQUEST_COLUMNS)
        .annotate(latest_note=Subquery(latest_note))
        .prefetch_related(*relations)
    )


def _photo_urls(report: Report, *, absolute: Absolute) -> list[str]:
    """Photos of the problem first, then of the result; none before the IOC reviewed it."""
    if not report_is_public_reviewed(report=report):
        return []
    attachments: list[Attachment] = report.public_attachments  # type: ignore[attr-defined]
    ordered = sorted(attachments, key=lambda a: a.kind != AttachmentKind.REPORT)
    return [absolute(attachment_urls(attachment=a)["url"]) for a in ordered]


def _event_text(event: ReportEvent, lang: Language) -> str:
    """Open311 output is public (``reports.visibility``): staff's public notes as written; a
    citizen's (a rating comment, a reopening reason) never, the step's name instead."""
    return event_note_for(event=event, reader=PUBLIC) or _label(EventKind(event.kind), lang)


def request(
    report: Report, *, lang: Language, absolute: Absolute, extensions: bool = False
) -> dict[str, Any]:
    """One service request; the report must come through ``with_request_relations``, with
    ``extensions`` there too if here."""
    note: str | None = report.latest_note  # type: ignore[attr-defined]
    photos = _photo_urls(report, absolute=absolute)
    agency = report.agency
    english = lang == "en"
    fields: dict[str, Any] = {
        "service_request_id": str(report.pk),
        "status": open311_status(report.status),
        "status_notes": note or "",  # staff's public words only (``events_with_public_note``)
        "service_name": (report.category.name_en if english else "") or report.category.name,
        "service_code": report.category.code,
        "description": mask_personal_data(report.description),
        "agency_responsible": ((agency.name_en if english else "") or agency.name)
        if agency
        else "",
        "service_notice": _label(ReportStatus(report.status), lang),
        "requested_datetime": iso(report.submitted_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(report.due_at),
        "address": mask_personal_data(report.address),
        "address_id": report.area.code if report.area else "",
        "zipcode": "",
        "lat": report.lat,
        "long": report.lon,
        "media_url": photos[0] if photos else "",
    }
    if extensions:
        events: list[ReportEvent] = report.public_events  # type: ignore[attr-defined]
        # As selectors.rating_current, from the prefetched rows: the rating of the latest result.
        resolved_at = report.resolved_at
        ratings = [r for r in report.ratings.all() if resolved_at and r.created_at >= resolved_at]
        fields.update(
            {
                "detailed_status": report.status,
                "title": mask_personal_data(report.title),
                "media_urls": photos,
                "notes": [
                    {
                        "datetime": iso(event.created_at),
                        "description": _event_text(event, lang),
                        "type": event.kind,
                    }
                    for event in events
                ],
                "extended_attributes": {
                    "channel": report.channel,
                    "area": {"code": report.area.code, "name": report.area.name}
                    if report.area
                    else None,
                    "priority": report.priority,
                    "rating": ratings[-1].value if ratings else None,
                },
            }
        )
    return fields


def request_created(report: Report, *, ack_minutes: int, lang: Language) -> dict[str, Any]:
    """The answer to a POST: the id at once (requests are created synchronously, no token)."""
    return {
        "service_request_id": str(report.pk),
        "service_notice": _NOTICE_SUBMITTED[lang].format(minutes=ack_minutes),
        "account_id": None,
    }


def token(report_id: int) -> dict[str, Any]:
    return {"service_request_id": str(report_id), "token": token_for(report_id)}


# Updates (mySociety) -------------------------------------------------------------------------


def with_update_relations(events: QuerySet[ReportEvent]) -> QuerySet[ReportEvent]:
    result_photos = Attachment.objects.filter(
        kind=AttachmentKind.RESULT, blur_status=BlurStatus.BLURRED
    ).order_by("created_at")
    return events.select_related("report").prefetch_related(
        Prefetch("attachments", queryset=result_photos, to_attr="result_photos")
    )


def request_update(
    event: ReportEvent, *, lang: Language, absolute: Absolute, extensions: bool = False
) -> dict[str, Any]:
    photos: list[Attachment] = event.result_photos  # type: ignore[attr-defined]
    fields: dict[str, Any] = {
        "update_id": str(event.pk),
        "service_request_id": str(event.report_id),
        "status": open311_status(event.to_status),
        "updated_datetime": iso(event.created_at),
        "description": _event_text(event, lang),
        "media_url": absolute(attachment_urls(attachment=photos[0])["url"]) if photos else "",
    }
    if extensions:
        fields.update({"detailed_status": event.to_status, "type": event.kind})
    return fields


# Discovery -----------------------------------------------------------------------------------


def discovery(*, url: str, changeset: datetime, contact: str, key_service: str) -> dict[str, Any]:
    return {
        "changeset": iso(changeset),
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": url,
                "changeset": iso(changeset),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
