"""Open311's parameters turned into CityOps terms; every problem is reported at once.

List filters are renamed to the canonical names of ``ReportFilter`` (the one filter definition),
and problems are renamed back, so a client reads ``end_date: …`` rather than ``submitted_to``.
A POST's form is checked against the service definition here, before anything is written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.dateparse import parse_date, parse_datetime

from cityops.accounts.names import name_of
from cityops.accounts.phones import phone_clean
from cityops.open311.serializers import attribute_specs
from cityops.platform.errors import InvalidInput
from cityops.reports.filters import ReportFilter
from cityops.reports.models import Category

MAX_WINDOW = timedelta(days=90)
UPDATES_WINDOW = timedelta(hours=24)
MAX_PAGE_SIZE = 1000
MAX_DESCRIPTION = 4000
MAX_ADDRESS = 300  # Report.address

# Open311 name → ReportFilter name.
FILTER_NAMES = {
    "service_request_id": "id",
    "service_code": "category",
    "start_date": "submitted_from",
    "end_date": "submitted_to",
    "status": "status",
    "search": "q",
    "bbox": "bbox",
    "updated_after": "updated_after",
    "updated_before": "updated_before",
}
OPEN311_NAMES = {canonical: name for name, canonical in FILTER_NAMES.items()}
_DATE_PARAMS = ("start_date", "end_date", "updated_after", "updated_before")

# "2026-07-01T08:00:00+07:00" sent unencoded in a query string arrives with a space for the "+".
_LOST_PLUS = re.compile(r"^(\d{4}-\d\d-\d\dT[\d:.]+) (\d\d(?::?\d\d)?)$")

Problems = dict[str, list[str]]


_MAX_ID = 2**63 - 1  # a database's big integer
_MAX_PAGE = 1_000_000


def as_id(text: str) -> int | None:
    """A row id written in ASCII digits (``"²".isdigit()`` is true, yet no id), else None."""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= _MAX_ID:
        return None
    return int(text)


def restore_plus(text: str) -> str:
    return _LOST_PLUS.sub(r"\1+\2", text)


def raise_if_any(problems: Problems) -> None:
    if problems:
        summary = "; ".join(f"{name}: {' '.join(texts)}" for name, texts in problems.items())
        raise InvalidInput(f"Invalid request: {summary}", fields=problems)


def _merge(problems: Problems, error: InvalidInput, names: Mapping[str, str]) -> None:
    for field, messages in error.fields.items():
        for message in messages:
            for canonical, name in names.items():
                if "_" in canonical:  # only names that cannot be ordinary words in a message
                    message = message.replace(canonical, name)
            problems.setdefault(names.get(field, field), []).append(message)


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = MAX_PAGE_SIZE

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return self.number * self.size


def _page(params: Mapping[str, str], problems: Problems) -> Page:
    values = {}
    for name, default, high in (
        ("page", 1, _MAX_PAGE),
        ("page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    ):
        text = params.get(name, "")
        if not text:
            values[name] = default
            continue
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            problems.setdefault(name, []).append("Must be a whole number, 1 or more.")
        elif int(text) > high:
            problems.setdefault(name, []).append(f"Must be at most {high}.")
        else:
            values[name] = int(text)
    return Page(values.get("page", 1), values.get("page_size", MAX_PAGE_SIZE))


@dataclass(frozen=True)
class RequestQuery:
    filter: ReportFilter
    page: Page


def request_query(params: Mapping[str, str], *, now: datetime) -> RequestQuery:
    """GET requests: ``service_request_id`` overrides every other filter (the spec says so).

    Otherwise the window on ``requested_datetime`` spans at most 90 days: only ``start_date``
    gives 90 days from it, only ``end_date`` the 90 days before it, and neither (nor any
    ``updated_*`` bound, which clients use to sync changes of older reports) the last 90 days.
    """
    problems: Problems = {}
    page = _page(params, problems)
    if "service_request_id" in params:
        wanted = {"id": params["service_request_id"]}
        if not all(as_id(part.strip()) for part in wanted["id"].split(",") if part.strip()):
            problems["service_request_id"] = ["Ids are whole numbers separated by commas."]
            raise_if_any(problems)
    else:
        wanted = {
            canonical: restore_plus(params[name]) if name in _DATE_PARAMS else params[name]
            for name, canonical in FILTER_NAMES.items()
            if name in params
        }
    try:
        found = ReportFilter.from_params(wanted)
    except InvalidInput as error:
        _merge(problems, error, OPEN311_NAMES)
        raise_if_any(problems)
        raise
    if "service_request_id" not in params:
        found = _windowed(found, now=now, problems=problems)
    raise_if_any(problems)
    return RequestQuery(found, page)


def _windowed(found: ReportFilter, *, now: datetime, problems: Problems) -> ReportFilter:
    start, end = found.submitted_from, found.submitted_to
    if start and end:
        if end - start > MAX_WINDOW:
            problems["end_date"] = ["At most 90 days after start_date."]
        return found
    if start:
        return replace(found, submitted_to=start + MAX_WINDOW)
    if end:
        return replace(found, submitted_from=end - MAX_WINDOW)
    if found.updated_after or found.updated_before:
        return found
    return replace(found, submitted_from=now - MAX_WINDOW)


@dataclass(frozen=True)
class UpdateQuery:
    start: datetime
    end: datetime
    page: Page


def update_query(params: Mapping[str, str], *, now: datetime) -> UpdateQuery:
    """servicerequestupdates: by default the last 24 hours; at most 90 days in one window.

    Only ``start_date``: the 90 days from it; only ``end_date``: the 24 hours before it.
    """
    problems: Problems = {}
    page = _page(params, problems)
    moments: dict[str, datetime | None] = {}
    for name in ("start_date", "end_date"):
        moments[name] = _moment(params.get(name, ""), name, problems, end_of_day=name == "end_date")
    start, end = moments["start_date"], moments["end_date"]
    if start and end and end < start:
        problems.setdefault("end_date", []).append("Must not be before start_date.")
    elif start and end and end - start > MAX_WINDOW:
        problems.setdefault("end_date", []).append("At most 90 days after start_date.")
    raise_if_any(problems)
    if start is None:
        start = (end or now) - UPDATES_WINDOW
    if end is None:
        end = now if moments["start_date"] is None else start + MAX_WINDOW
    return UpdateQuery(start, end, page)


def _moment(text: str, name: str, problems: Problems, *, end_of_day: bool) -> datetime | None:
    if not text:
        return None
    try:
        canonical = "submitted_to" if end_of_day else "submitted_from"
        found = ReportFilter.from_params({canonical: restore_plus(text)})
    except InvalidInput as error:
        _merge(problems, error, {"submitted_to": name, "submitted_from": name})
        return None
    return found.submitted_to if end_of_day else found.submitted_from


# A new request -------------------------------------------------------------------------------

_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
_HTTP_URL = URLValidator(schemes=["http", "https"])


def attribute_values(form: Any) -> dict[str, list[str]]:
    """``attribute[code]=v`` and ``attribute[code][]=v1&attribute[code][]=v2`` by code."""
    values: dict[str, list[str]] = {}
    for key in form:
        if match := _ATTRIBUTE_KEY.match(key):
            given = [value.strip() for value in form.getlist(key) if value.strip()]
            values.setdefault(match.group(1), []).extend(given)
    return values


@dataclass(frozen=True)
class Submission:
    """A POST's content, checked; what ``report_submit`` is called with."""

    description: str
    lat: float | None
    lon: float | None
    address: str
    attributes: dict[str, str | list[str]]
    contact_name: str
    contact_phone: str
    contact_email: str
    device_id: str

    def fingerprint_payload(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "lat": self.lat,
            "lon": self.lon,
            "address": self.address,
            "attributes": self.attributes,
            "contact": [self.contact_name, self.contact_phone, self.contact_email],
        }


def submission(
    params: Mapping[str, str],
    *,
    attributes: Mapping[str, Sequence[str]],
    category: Category | None,
    area_name: Callable[[str], str | None],
    extra: Problems | None = None,
) -> Submission:
    """Check a POST form; ``category`` is None when ``service_code`` is missing."""
    problems: Problems = dict(extra or {})

    def problem(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if category is None:
        problem("service_code", "Required: the code of one of the services.")
    lat, lon = _coordinates(params, problem)
    address = params.get("address_string", "")
    if address_id := params.get("address_id", ""):
        name = area_name(address_id)
        if name is None:
            problem("address_id", "Unknown: use the code of a ward or commune (e.g. 19753).")
        else:
            address = f"{address}, {name}" if address else name
    if len(address) > MAX_ADDRESS:  # with the ward's name, when address_id added it
        problem("address_string", f"At most {MAX_ADDRESS} characters in all.")
    if lat is None and not address and not {"lat", "long", "address_id"} & params.keys():
        problem("location", "Give lat and long, or address_string, or address_id.")

    description = params.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        problem("description", f"At most {MAX_DESCRIPTION} characters.")
    if media_url := params.get("media_url", ""):
        try:
            _HTTP_URL(media_url)
        except ValidationError:
            problem("media_url", "Must be an http or https URL.")
    if email := params.get("email", ""):
        try:
            validate_email(email)
        except ValidationError:
            problem("email", "Not an email address.")
    # Vietnamese order: the family name (``last_name``) first, "Nguyễn" + "Văn Bình".
    contact_name = name_of(family=params.get("last_name", ""), given=params.get("first_name", ""))
    phone = params.get("phone", "")
    for name, text, limit in (
        ("first_name", contact_name, 150),
        ("email", email, 254),
        ("phone", phone, 30),
        ("device_id", params.get("device_id", ""), 100),
    ):
        if len(text) > limit:
            problem(name, f"At most {limit} characters.")
    if phone and "phone" not in problems:
        try:
            phone = phone_clean(phone)
        except ValidationError as invalid:
            problem("phone", " ".join(invalid.messages))
    answers = _answers(category, attributes, problem) if category else {}
    raise_if_any(problems)
    assert category is not None

    text = description or category.name
    if media_url:  # we do not fetch others' files; the operator can follow the link
        text = f"{text}\n\nẢnh / Photo: {media_url}"
    return Submission(
        description=text,
        lat=lat,
        lon=lon,
        address=address,
        attributes=answers,
        contact_name=contact_name,
        contact_phone=phone,
        contact_email=email,
        device_id=params.get("device_id", ""),
    )


def _coordinates(
    params: Mapping[str, str], problem: Callable[[str, str], None]
) -> tuple[float | None, float | None]:
    given = {name: params.get(name, "") for name in ("lat", "long")}
    if not any(given.values()):
        return None, None
    if not all(given.values()):
        problem("location", "Give both lat and long, or neither.")
        return None, None
    numbers: dict[str, float] = {}
    for name, limit in (("lat", 90), ("long", 180)):
        try:
            number = float(given[name])
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or abs(number) > limit:
            problem(name, f"Must be a number from -{limit} to {limit}.")
        else:
            numbers[name] = number
    if len(numbers) < 2:
        return None, None
    return numbers["lat"], numbers["long"]


def _answers(
    category: Category,
    given: Mapping[str, Sequence[str]],
    problem: Callable[[str, str], None],
) -> dict[str, str | list[str]]:
    """The values of the category's attributes, checked; codes it does not define are ignored."""
    answers: dict[str, str | list[str]] = {}
    for spec in attribute_specs(category):
        code = str(spec.get("code", ""))
        if not code or spec.get("variable", True) is False:
            continue
        name = f"attribute[{code}]"
        datatype = str(spec.get("datatype", "string"))
        values = list(given.get(code, []))
        if not values:
            if spec.get("required"):
                problem(name, f"Required: {spec.get('description') or code}.")
            continue
        if datatype == "multivaluelist":
            answers[code] = values
        elif len(values) > 1:
            problem(name, "Give one value.")
            continue
        else:
            answers[code] = values[0]
        if message := _check(datatype, values, spec):
            problem(name, message)
    return answers


def _check(datatype: str, values: list[str], spec: Mapping[str, Any]) -> str | None:
    keys = [str(value.get("key", "")) for value in spec.get("values") or []]
    if datatype in ("singlevaluelist", "multivaluelist"):
        unknown = [value for value in values if value not in keys]
        if unknown:
            return f"Unknown value {unknown[0]!r}; use one of: {', '.join(keys)}."
    elif datatype == "number":
        try:
            if not math.isfinite(float(values[0])):
                raise ValueError
        except ValueError:
            return "Must be a number."
    elif datatype == "datetime":
        text = restore_plus(values[0])
        try:
            valid = parse_datetime(text) is not None or parse_date(text) is not None
        except ValueError:
            valid = False
        if not valid:
            return "Use an ISO-8601 date or date-time, e.g. 2026-07-01T08:00:00+07:00."
    elif len(values[0]) > (MAX_DESCRIPTION if datatype == "text" else 300):
        return "Too long."
    return None
