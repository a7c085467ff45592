"""What the API accepts and what it answers.

Input schemas reject NUL characters and lone surrogates in text (no database stores them) and
forbid unknown fields, so a misspelt field is an error instead of silently ignored. Output
schemas are built explicitly from domain objects by their ``of`` constructors; the public ones
never carry the reporter's identity or contact details (``MyReportOut`` does, for the reporter).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from cityops.agencies.choices import AreaKind
from cityops.agencies.models import Area
from cityops.api.auth import caller_of
from cityops.intel.masking import mask_personal_data
from cityops.platform import clock
from cityops.reports.choices import (
    AttachmentKind,
    Channel,
    EventKind,
    Priority,
    RatingValue,
    RejectionReason,
    ReportStatus,
    StatusGroup,
)
from cityops.reports.models import Attachment, Category, Rating, Report, ReportEvent
from cityops.reports.selectors import (
    PUBLIC_COUNT_MAX_AGE,
    attachment_is_public,
    attachment_urls,
)
from cityops.reports.visibility import Reader, event_note_for, rating_comment_for, reader_of

MAX_ID = 2**63 - 1  # the largest primary key any supported database stores
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Must be valid Unicode text.") from None
    return value


def _none_if_blank(value: Any) -> Any:
    # HTML forms and multipart clients send an empty string for "no value".
    return None if isinstance(value, str) and not value.strip() else value


Text = Annotated[str, AfterValidator(_storable)]
Latitude = Annotated[Annotated[float, Field(ge=-90, le=90)] | None, BeforeValidator(_none_if_blank)]
Longitude = Annotated[
    Annotated[float, Field(ge=-180, le=180)] | None, BeforeValidator(_none_if_blank)
]
# Parameters take one "example" (ninja would copy "examples" where OpenAPI wants a mapping).
ReportId = Annotated[
    int,
    Field(ge=1, le=MAX_ID, description="The report's number.", json_schema_extra={"example": 1}),
]


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Enter a valid email address.") from None
    return value


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# Errors ---------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every refusal: a machine-readable code, a message for people, problems per field."""

    code: str = Field(examples=["invalid"])
    message: str
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="Problems per input field (empty when none)."
    )


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Declare error responses of an operation, for the OpenAPI document."""
    return dict.fromkeys(statuses, ErrorOut)


# Auth -----------------------------------------------------------------------------------------


class TokenIn(InputSchema):
    login: Text = Field(min_length=1, max_length=254, description="Username, email or phone.")
    password: Text = Field(min_length=1, max_length=1024)
    name: Text = Field(
        default="", max_length=100, description="The device or client, to tell tokens apart."
    )


class TokenOut(Schema):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown only once.")
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    name: str
    expires: datetime | None = Field(
        default=None,
        description="Always null: tokens do not expire; revoke them with DELETE /auth/token.",
    )


# Categories and areas -------------------------------------------------------------------------


class CategoryOut(Schema):
    code: str = Field(description="Also the Open311 service_code.")
    name: str
    name_en: str
    description: str
    group: str
    attributes: list[dict[str, Any]] = Field(description="Open311 service-definition attributes.")
    default_priority: Priority

    @classmethod
    def of(cls, category: Category) -> CategoryOut:
        return cls(
            code=category.code,
            name=category.name,
            name_en=category.name_en,
            description=category.description,
            group=category.group,
            attributes=list(category.attributes or []),
            default_priority=Priority(category.default_priority),
        )


class PointOut(Schema):
    lat: float
    lon: float


class AreaQuery(Schema):
    include: Literal["boundary"] | None = Field(
        None, description="'boundary' adds each area's GeoJSON polygon (large)."
    )


class AreaOut(Schema):
    code: str
    name: str
    kind: AreaKind
    centroid: PointOut
    boundary: dict[str, Any] | None = Field(
        default=None,
        description="GeoJSON Polygon or MultiPolygon; present only with include=boundary.",
    )

    @classmethod
    def of(cls, area: Area, *, boundary: bool) -> AreaOut:
        out = cls(
            code=area.code,
            name=area.name,
            kind=AreaKind(area.kind),
            centroid=PointOut(lat=area.centroid_lat, lon=area.centroid_lon),
        )
        if boundary:
            out.boundary = area.boundary
        return out


# Reports: input -------------------------------------------------------------------------------


class ReportIn(InputSchema):
    category: Text = Field(
        min_length=1,
        max_length=60,
        description="A code from GET /categories.",
        examples=["sanitation"],
    )
    description: Text = Field(
        min_length=1, max_length=5000, examples=["Rác thải đổ trộm bên bờ sông Hương"]
    )
    title: Text = Field(default="", max_length=200, examples=["Rác bờ sông"])
    lat: Latitude = Field(default=None, examples=[16.4637])
    lon: Longitude = Field(default=None, examples=[107.5909])
    address: Text = Field(
        "",
        max_length=300,
        description="Required when lat/lon are not given.",
        examples=["Đường Lê Lợi, Huế"],
    )
    is_anonymous: bool = Field(
        default=False, description="Hide the reporter's name from the public."
    )
    contact_name: Text = Field(default="", max_length=150)
    contact_phone: Text = Field(
        default="",
        max_length=30,
        description="A Vietnamese phone number as people write it (0905 123 456, "
        "+84 905 123 456); stored as 0xxxxxxxxx. Anything else is a 400 naming contact_phone.",
    )
    contact_email: Annotated[Text, AfterValidator(_email)] = Field(default="", max_length=254)
    device_id: Text = Field(default="", max_length=100)


class RatingIn(InputSchema):
    value: RatingValue
    comment: Text = Field(default="", max_length=2000, examples=["Đã sạch, cảm ơn"])


class ReopenIn(InputSchema):
    reason: Text = Field(
        min_length=1,
        max_length=2000,
        description="Why it is not solved.",
        examples=["Rác vẫn còn nguyên"],
    )


class PageQuery(Schema):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


# What ReportFilter accepts; any other year is answered 400.
_IN_RANGE = f" in the years {clock.FIRST_DAY.year} to {clock.LAST_DAY.year} (else 400)"


def _filter(description: str, example: str) -> Any:
    return Field(
        default=None,
        max_length=2000,
        description=description,
        json_schema_extra={"example": example},
    )


class ReportQuery(PageQuery):
    """The parameters of ``cityops.reports.filters.ReportFilter``, as they are, plus paging."""

    id: Text | None = _filter("Comma-separated report ids.", "1,2,3")
    category: Text | None = _filter("Comma-separated category codes.", "sanitation,other")
    status: Text | None = _filter(
        "Comma-separated statuses or groups: "
        + ", ".join([*StatusGroup.values, *ReportStatus.values]),
        "open",
    )
    area: Text | None = _filter("Comma-separated area codes.", "19774")
    agency: Text | None = _filter("Comma-separated agency codes.", "so-xay-dung")
    bbox: Text | None = _filter("min_lon,min_lat,max_lon,max_lat", "107.5,16.4,107.7,16.5")
    submitted_from: Text | None = _filter(
        f"ISO-8601 date or date-time{_IN_RANGE}: submitted at or after.", "2026-07-01"
    )
    submitted_to: Text | None = _filter(
        f"ISO-8601 date or date-time{_IN_RANGE}: submitted at or before.",
        "2026-07-31T17:00:00+07:00",
    )
    updated_after: Text | None = _filter(
        f"ISO-8601 date or date-time{_IN_RANGE}: changed after.", "2026-07-01T08:00:00+07:00"
    )
    updated_before: Text | None = _filter(
        f"ISO-8601 date or date-time{_IN_RANGE}: changed at or before.", "2026-12-31"
    )
    q: Text | None = _filter(
        "Words that must all appear in the title, description or address, with or without "
        "accents, as the public reads them (masked personal data is not searched).",
        "rác",
    )

    def filter_params(self) -> dict[str, str | None]:
        return self.model_dump(exclude={"page", "page_size"})


# Reports: output ------------------------------------------------------------------------------


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment is not None else None


class CategoryRef(Schema):
    code: str
    name: str
    name_en: str


class NamedRef(Schema):
    code: str
    name: str


class DeadlineOut(Schema):
    due_at: datetime | None = Field(description="When the agency must have resolved it.")
    overdue: bool = Field(description="Still being handled after due_at.")
    extended: bool = Field(description="The agency extended the deadline (at most once).")
    original_due_at: datetime | None
    extension_reason: str


class PhotoOut(Schema):
    kind: AttachmentKind = Field(description="report: the problem; result: the agency's result.")
    url: str
    thumbnail_url: str
    width: int
    height: int

    @classmethod
    def of(cls, attachment: Attachment, *, request: HttpRequest) -> PhotoOut:
        urls = attachment_urls(attachment=attachment)
        return cls(
            kind=AttachmentKind(attachment.kind),
            url=request.build_absolute_uri(urls["url"]),
            thumbnail_url=request.build_absolute_uri(urls["thumbnail_url"]),
            width=attachment.width,
            height=attachment.height,
        )


class RatingOut(Schema):
    value: RatingValue
    label: str
    comment: str = Field(
        description=(
            "The reporter's words, only for the reporter, IOC staff, leaders and the agency in "
            "charge (personal data masked for the last two); empty for anyone else."
        )
    )
    rated_at: datetime

    @classmethod
    def of(cls, rating: Rating, *, reader: Reader) -> RatingOut:
        value = RatingValue(rating.value)
        return cls(
            value=value,
            label=str(value.label),
            comment=rating_comment_for(rating=rating, reader=reader),
            rated_at=timezone.localtime(rating.created_at),
        )


class EventOut(Schema):
    kind: EventKind
    kind_label: str
    status: ReportStatus = Field(description="The report's status after this step.")
    status_label: str
    note: str = Field(
        description=(
            "Staff's public words as written; a citizen's (a rating comment, a reopening "
            "reason) only for the reporter, IOC staff, leaders and the agency in charge "
            "(personal data masked for the last two), empty for anyone else."
        )
    )
    time: datetime
    agency: str | None = Field(description="The agency's name.")

    @classmethod
    def of(cls, event: ReportEvent, *, reader: Reader) -> EventOut:
        kind, status = EventKind(event.kind), ReportStatus(event.to_status)
        return cls(
            kind=kind,
            kind_label=str(kind.label),
            status=status,
            status_label=str(status.label),
            note=event_note_for(event=event, reader=reader),  # reports.visibility
            time=timezone.localtime(event.created_at),
            agency=event.agency.name if event.agency else None,
        )


class ReportOut(Schema):
    """A report as the public sees it: never who reported it."""

    id: int
    title: str
    description: str
    category: CategoryRef
    status: ReportStatus
    status_label: str
    status_group: StatusGroup = Field(description="hidden, open or closed.")
    priority: Priority
    channel: Channel
    lat: float | None
    lon: float | None
    address: str
    area: NamedRef | None
    agency: NamedRef | None = Field(description="The agency handling it.")
    submitted_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    deadline: DeadlineOut
    result: str = Field(description="The agency's public answer.")
    duplicate_of: int | None
    rating: RatingOut | None = Field(description="The reporter's latest rating.")
    photos: list[PhotoOut]

    @classmethod
    def fields_of(
        cls, report: Report, *, request: HttpRequest, mask: bool = True
    ) -> dict[str, Any]:
        """Needs ``category``, ``area`` and ``agency`` selected and ``attachments`` and
        ``ratings`` prefetched (``routers.reports.with_details``) to stay at a fixed number
        of queries. ``mask``: personal data written in the texts is masked (public output)."""
        status = ReportStatus(report.status)
        ratings = list(report.ratings.all())
        text = mask_personal_data if mask else str
        reader = reader_of(caller_of(request).user)
        return {
            "id": report.pk,
            "title": text(report.title),
            "description": text(report.description),
            "category": CategoryRef(
                code=report.category.code,
                name=report.category.name,
                name_en=report.category.name_en,
            ),
            "status": status,
            "status_label": str(status.label),
            "status_group": status.group,
            "priority": Priority(report.priority),
            "channel": Channel(report.channel),
            "lat": report.lat,
            "lon": report.lon,
            "address": text(report.address),
            "area": NamedRef(code=report.area.code, name=report.area.name) if report.area else None,
            "agency": NamedRef(code=report.agency.code, name=report.agency.name)
            if report.agency
            else None,
            "submitted_at": timezone.localtime(report.submitted_at),
            "updated_at": timezone.localtime(report.updated_at),
            "resolved_at": _local(report.resolved_at),
            "closed_at": _local(report.closed_at),
            "deadline": DeadlineOut(
                due_at=_local(report.due_at),
                overdue=report.is_overdue(clock.now()),
                extended=report.extended_at is not None,
                original_due_at=_local(report.original_due_at),
                extension_reason=report.extension_reason,
            ),
            "result": report.result_text,  # the agency's public answer, as written
            "duplicate_of": report.duplicate_of_id,
            "rating": RatingOut.of(ratings[-1], reader=reader) if ratings else None,
            "photos": [
                PhotoOut.of(a, request=request)
                for a in report.attachments.all()
                if attachment_is_public(attachment=a)  # blurred copies only, none before
            ],
        }

    @classmethod
    def of(cls, report: Report, *, request: HttpRequest) -> ReportOut:
        # Built just above from the model, of the declared types (its parts are validated):
        # validating the whole again for each report of a page cost more than building it.
        return cls.model_construct(**cls.fields_of(report, request=request))


class ReportDetailOut(ReportOut):
    timeline: list[EventOut] = Field(description="The public steps, oldest first.")

    @classmethod
    def with_timeline(
        cls, report: Report, *, events: list[ReportEvent], request: HttpRequest
    ) -> ReportDetailOut:
        reader = reader_of(caller_of(request).user)
        return cls(
            **cls.fields_of(report, request=request),
            timeline=[EventOut.of(e, reader=reader) for e in events],
        )


class MyReportOut(ReportOut):
    """One of the caller's own reports: also what they told us about themselves."""

    is_anonymous: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    rejection_reason: RejectionReason | None

    @classmethod
    def of(cls, report: Report, *, request: HttpRequest) -> MyReportOut:
        return cls(
            **cls.fields_of(report, request=request, mask=False),  # their own words
            is_anonymous=report.is_anonymous,
            contact_name=report.contact_name,
            contact_phone=report.contact_phone,
            contact_email=report.contact_email,
            rejection_reason=RejectionReason(report.rejection_reason)
            if report.rejection_reason
            else None,
        )


class ReportPage(Schema):
    count: int = Field(
        description=(
            "How many reports match, on all pages: exact on the page that shows the end of "
            f"the list; on other pages counted at most {PUBLIC_COUNT_MAX_AGE.seconds} seconds "
            "before, so it may miss the latest reports."
        )
    )
    page: int
    page_size: int
    results: list[ReportOut]


class MyReportPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MyReportOut]


class FollowOut(Schema):
    report: int
    following: bool


# Text intelligence: category suggestion and similar reports ------------------------------------


class ClassifyIn(InputSchema):
    model_config = ConfigDict(extra="forbid", strict=True)  # JSON has types: 1 is not "1"

    text: Text = Field(
        max_length=5000,
        description="The report's words (title and description); may be empty.",
        examples=["Ổ gà lớn giữa đường Lê Lợi, xe máy té mấy lần rồi"],
    )


class CandidateOut(Schema):
    category: str = Field(description="A category code (GET /categories).")
    score: float = Field(ge=0, le=1, description="The model's probability.")


class PrioritySuggestionOut(Schema):
    level: Literal["urgent", "normal", "complex"] = Field(
        description=(
            "The suggested priority: 'urgent' (danger to life, fire, a fallen tree or wire, "
            "deep flooding, a gas leak, injured people, a child in danger), 'complex' (a land "
            "dispute, a long history, many households, an inspection across agencies), else "
            "'normal'."
        )
    )
    cues: list[str] = Field(
        description="The words that decided it, in Vietnamese (e.g. 'ngập sâu'); empty for normal."
    )


class ClassifyOut(Schema):
    """A suggestion only: CityOps suggests, people decide."""

    category: str | None = Field(description="The suggested category code; null for no words.")
    confidence: float = Field(ge=0, le=1)
    candidates: list[CandidateOut] = Field(description="The top 3, best first.")
    reason: Literal["", "empty", "too_short"] = Field(
        description=(
            "Why the confidence is low: 'empty' (no words), 'too_short' (one word or a few "
            "letters: do not pre-select); empty when the suggestion is a normal one."
        )
    )
    priority: PrioritySuggestionOut = Field(
        description=(
            "The priority suggested by transparent cue rules over the words (with or without "
            "diacritics; negations such as 'không ai bị thương' are understood)."
        )
    )


class SimilarDraftIn(InputSchema):
    model_config = ConfigDict(extra="forbid", strict=True)  # false is not a longitude

    lat: float = Field(ge=-90, le=90, examples=[16.4637])
    lon: float = Field(ge=-180, le=180, examples=[107.5909])
    text: Text = Field(default="", max_length=5000, examples=["Ổ gà lớn trên đường Lê Lợi"])
    category: Text | None = Field(
        default=None, max_length=60, description="A category code, if chosen.", examples=[None]
    )


class SimilarOut(Schema):
    report: ReportOut
    distance_m: float = Field(ge=0, description="Metres from the point or report.")
    score: float = Field(ge=0, le=1, description="Distance, time, words and category, 0–1.")
