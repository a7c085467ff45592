"""Open311 GeoReport v2 with CityOps' extensions (docs/open311.md): parse, ask the domain, render.

Every endpoint answers in the format of its URL suffix (``.json`` or ``.xml``); errors are
Open311 error documents in that format. Domain errors map by their ``http_status``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from cityops.accounts.services import apikey_authenticate
from cityops.agencies.models import Area
from cityops.open311 import params, rows, serializers
from cityops.open311.render import CONTENT_TYPES, Format, errors, parse_format, render
from cityops.platform import clock
from cityops.platform.errors import CityOpsError, InvalidInput, NotFound
from cityops.platform.http import client_ip
from cityops.platform.idempotency import fingerprint_of, idempotency_begin, idempotency_finish
from cityops.platform.ratelimit import Hit, rate_for, rate_limits_hit
from cityops.platform.readcache import read_cached
from cityops.reports import deadlines, workflow
from cityops.reports.choices import Channel, EventKind, Visibility
from cityops.reports.models import Category, ReportEvent
from cityops.reports.selectors import category_by_code, reports_public
from cityops.reports.services import photos_clean

DEFAULT_JURISDICTION = "hue.gov.vn"
# When this interface last changed in a way clients should notice (discovery's changeset).
CHANGESET = datetime(2026, 11, 22, tzinfo=UTC)
IDEMPOTENCY_SCOPE = "open311-device"
IDEMPOTENCY_TTL = timedelta(minutes=10)

# Domain field names → the Open311 parameter a client sent.
_FIELD_NAMES = {"photos": "media", "category": "service_code"}


@dataclass(frozen=True)
class Call:
    """One Open311 call: the HTTP request, its format, its non-empty parameters, its language."""

    request: HttpRequest
    fmt: Format
    params: dict[str, str]
    lang: serializers.Language

    def absolute(self, url: str) -> str:
        return self.request.build_absolute_uri(url)

    @property
    def extensions(self) -> bool:
        return self.params.get("extensions", "").lower() in ("true", "1")

    def render(self, document: Any, *, root: str, item: str | None = None) -> HttpResponse:
        return render(document, fmt=self.fmt, root=root, item=item)


View = Callable[..., HttpResponse]


def _given(values: QueryDict) -> dict[str, str]:
    """Open311: an empty parameter is an absent one."""
    stripped = {name: str(value).strip() for name, value in values.items()}
    return {name: value for name, value in stripped.items() if value}


def _with_nul(request: HttpRequest) -> list[str]:
    """Parameters with a NUL: PostgreSQL cannot store one and XML cannot carry one."""
    found = {
        name
        for values in (request.GET, request.POST)
        for name, texts in values.lists()
        if any("\x00" in text for text in texts)
    }
    return sorted(found)


def _language(request: HttpRequest, given: dict[str, str]) -> serializers.Language:
    """``locale=en`` or ``Accept-Language: en`` (read by LocaleMiddleware); Vietnamese otherwise."""
    wanted = given.get("locale") or getattr(request, "LANGUAGE_CODE", "") or ""
    return "en" if wanted.lower().startswith("en") else "vi"


def _problems(error: CityOpsError) -> list[str]:
    if not error.fields:
        return [error.message]
    return [
        f"{_FIELD_NAMES.get(name, name)}: {message}"
        for name, messages in error.fields.items()
        for message in messages
    ]


def endpoint(*methods: str) -> Callable[[View], View]:
    """Check the format, the method and the jurisdiction; turn domain errors into Open311's."""
    allowed = sorted({*methods, *(["HEAD"] if "GET" in methods else [])})

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
            chosen = parse_format(fmt)
            if chosen is None:
                return errors(
                    [f"Unknown format {fmt!r}: use .json or .xml."], fmt="xml", status=404
                )
            if request.method not in allowed:
                response = errors(
                    [f"Method {request.method} not allowed here."], fmt=chosen, status=405
                )
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                nul = _with_nul(request)  # reads the form: a broken body is refused here
            except RequestDataTooBig:
                return errors(["The request body is too large."], fmt=chosen, status=413)
            except (MultiPartParserError, BadRequest, SuspiciousOperation) as error:
                return errors([f"Malformed request body: {error}"], fmt=chosen, status=400)
            if nul:
                messages = [f"{name}: Null characters are not allowed." for name in nul]
                return errors(messages, fmt=chosen, status=400)
            given = {**_given(request.GET), **_given(request.POST)}
            jurisdiction = getattr(settings, "CITYOPS_OPEN311_JURISDICTION", DEFAULT_JURISDICTION)
            if given.get("jurisdiction_id", jurisdiction) != jurisdiction:
                return errors(
                    [f"Unknown jurisdiction_id; this server serves {jurisdiction!r}."],
                    fmt=chosen,
                    status=404,
                )
            call = Call(request, chosen, given, _language(request, given))
            try:
                return view(call, **kwargs)
            except CityOpsError as error:
                return errors(_problems(error), fmt=chosen, status=error.http_status)

        return wrapper

    return decorate


def _active_category(code: str) -> Category | None:
    return category_by_code(code, active_only=True)


# Discovery and services ----------------------------------------------------------------------


@endpoint("GET")
def discovery(call: Call) -> HttpResponse:
    base = reverse("open311:discovery", args=["json"]).removesuffix("discovery.json")
    document = serializers.discovery(
        url=call.absolute(base),
        changeset=CHANGESET,
        contact=getattr(
            settings,
            "CITYOPS_OPEN311_CONTACT",
            "Trung tâm Giám sát, điều hành đô thị thông minh (IOC)",
        ),
        key_service="API keys are issued by the IOC: cityops apikey create --name <client>",
    )
    return call.render(document, root="discovery")


@endpoint("GET")
def service_list(call: Call) -> HttpResponse:
    categories = Category.objects.filter(is_active=True).order_by("position", "code")
    document = [serializers.service(category, lang=call.lang) for category in categories]
    return call.render(document, root="services", item="service")


@endpoint("GET")
def service_detail(call: Call, code: str) -> HttpResponse:
    category = _active_category(code)
    if category is None:
        raise NotFound(f"Unknown service_code {code!r}.")
    return call.render(serializers.service_definition(category), root="service_definition")


# Requests ------------------------------------------------------------------------------------


@csrf_exempt  # machines authenticated by api_key, not browsers with a session
@read_cached()  # GET: the same for every anonymous caller until a report changes
@endpoint("GET", "POST")
def request_list(call: Call) -> HttpResponse:
    if call.request.method == "POST":
        return _create(call)
    query = params.request_query(call.params, now=clock.now())
    reports = query.filter.apply(reports_public()).order_by("-submitted_at", "-pk")
    body = rows.request_list_body(
        reports,
        start=query.page.start,
        stop=query.page.stop,
        lang=call.lang,
        fmt=call.fmt,
        extensions=call.extensions,
        absolute=call.absolute,
    )
    return HttpResponse(body, content_type=CONTENT_TYPES[call.fmt])


@read_cached(report="service_request_id")
@endpoint("GET")
def request_detail(call: Call, service_request_id: str) -> HttpResponse:
    found = None
    if (report_id := params.as_id(service_request_id)) is not None:
        reports = reports_public().filter(pk=report_id)
        found = serializers.with_request_relations(reports).first()
    if found is None:
        raise NotFound(f"No service request {service_request_id!r}.")
    document = [
        serializers.request(
            found, lang=call.lang, absolute=call.absolute, extensions=call.extensions
        )
    ]
    return call.render(document, root="service_requests", item="request")


@endpoint("GET")
def token_detail(call: Call, token: str) -> HttpResponse:
    number = token.removeprefix(serializers.TOKEN_PREFIX)
    report_id = params.as_id(number) if number != token else None
    if report_id is None or not reports_public().filter(pk=report_id).exists():
        raise NotFound(f"Unknown token {token!r}.")
    return call.render([serializers.token(report_id)], root="service_requests", item="request")


def _too_many(call: Call, seconds: int) -> HttpResponse:
    response = errors([f"Too many requests: retry in {seconds} seconds."], fmt=call.fmt, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _area_name(code: str) -> str | None:
    return Area.objects.filter(code=code).values_list("name", flat=True).first()


def _media_hashes(media: list[UploadedFile]) -> list[str]:
    hashes = []
    for upload in media:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        hashes.append(digest.hexdigest())
    return hashes


def _rewound(media: list[UploadedFile]) -> list[BinaryIO]:
    for upload in media:
        upload.seek(0)
    return cast(list[BinaryIO], media)


def _submission(
    call: Call, category: Category | None, media: list[UploadedFile]
) -> params.Submission:
    """The checked form; when it has problems, the photos' problems are listed with them."""
    try:
        return params.submission(
            call.params,
            attributes=params.attribute_values(call.request.POST),
            category=category,
            area_name=_area_name,
        )
    except InvalidInput as error:
        fields = dict(error.fields)
        if media:
            try:
                photos_clean(photos=_rewound(media), field="media")
            except InvalidInput as photo_error:
                fields.update(photo_error.fields)
        raise InvalidInput(error.message, fields=fields) from None


def _create(call: Call) -> HttpResponse:
    """POST requests: limits, key, form, then one report (or the first answer to a retry)."""
    secret = call.params.get("api_key", "")
    api_key = apikey_authenticate(secret=secret) if secret else None
    # Counted together, in one round trip; a request with a wrong key counts against its address.
    limits = [Hit("open311-ip", client_ip(call.request), rate_for("write_per_ip"))]
    if api_key is not None:
        limits.append(Hit("open311-key", str(api_key.pk), rate_for("write_per_key")))
    wait = rate_limits_hit(limits)
    if wait:
        return _too_many(call, wait)
    if api_key is None:
        return errors(["api_key: missing, invalid or revoked."], fmt=call.fmt, status=403)

    code = call.params.get("service_code", "")
    category = _active_category(code) if code else None
    if code and category is None:
        raise NotFound(f"Unknown service_code {code!r}.")
    media = call.request.FILES.getlist("media")
    submission = _submission(call, category, media)
    assert category is not None

    if not submission.device_id:
        document = _submitted(call, submission, category, media)
        return call.render(document, root="service_requests", item="request")
    fingerprint = fingerprint_of(
        {
            **submission.fingerprint_payload(),
            "service_code": category.code,
            "api_key": api_key.pk,
            "media": _media_hashes(media),
        }
    )
    key = f"{submission.device_id}:{fingerprint}"
    # The reservation, the report and the kept answer commit together: a failure leaves
    # nothing behind, and a concurrent retry waits for this one's answer (as api/writes.py).
    with transaction.atomic():
        replay = idempotency_begin(
            scope=IDEMPOTENCY_SCOPE, key=key, fingerprint=fingerprint, ttl=IDEMPOTENCY_TTL,
            strict=False,
        )  # fmt: skip
        if replay is not None:  # stored as JSON, replayed in the format asked for now
            return call.render(json.loads(replay.body), root="service_requests", item="request")
        document = _submitted(call, submission, category, media)
        idempotency_finish(
            scope=IDEMPOTENCY_SCOPE,
            key=key,
            status_code=200,
            body=json.dumps(document, ensure_ascii=False),
            content_type="application/json",
        )
    return call.render(document, root="service_requests", item="request")


def _submitted(
    call: Call, submission: params.Submission, category: Category, media: list[UploadedFile]
) -> list[dict[str, Any]]:
    report = workflow.report_submit(
        description=submission.description,
        category=category,
        channel=Channel.OPEN311,
        lat=submission.lat,
        lon=submission.lon,
        address=submission.address,
        contact_name=submission.contact_name,
        contact_phone=submission.contact_phone,
        contact_email=submission.contact_email,
        device_id=submission.device_id,
        photos=_rewound(media),
        attributes=submission.attributes,
    )
    ack_minutes = deadlines.limits_for(report.category).ack_minutes
    return [serializers.request_created(report, ack_minutes=ack_minutes, lang=call.lang)]


# Updates (mySociety) -------------------------------------------------------------------------


@endpoint("GET")
def update_list(call: Call) -> HttpResponse:
    query = params.update_query(call.params, now=clock.now())
    events = (
        ReportEvent.objects.filter(
            visibility=Visibility.PUBLIC,
            report__in=reports_public(),
            created_at__gte=query.start,
            created_at__lte=query.end,
        )
        .exclude(kind=EventKind.SUBMITTED)  # the request itself, not an update of it
        .order_by("created_at", "pk")
    )
    page = serializers.with_update_relations(events)[query.page.start : query.page.stop]
    document = [
        serializers.request_update(
            event, lang=call.lang, absolute=call.absolute, extensions=call.extensions
        )
        for event in page
    ]
    return call.render(document, root="service_request_updates", item="request_update")
