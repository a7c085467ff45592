"""A citizen's report arrives, from any channel."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec

from django.core.exceptions import ValidationError
from django.db import transaction

from cityops.accounts.models import User
from cityops.accounts.names import name_tidy
from cityops.accounts.phones import phone_clean
from cityops.agencies.models import Area
from cityops.agencies.selectors import area_at, areas_mapped
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.platform.inserts import Child, insert_together, inserts_together_supported
from cityops.reports.choices import AttachmentKind, Channel, EventKind, Priority
from cityops.reports.models import Attachment, Category, Follow, Report, ReportEvent
from cityops.reports.services import (
    Upload,
    attachment_create,
    follow_create,
    photos_clean,
    report_search_fields,
)
from cityops.reports.workflow.rules import (
    S,
    announce,
    deadlines_refresh,
    event_for,
    record_event,
)

P = ParamSpec("P")

OUTSIDE_THE_CITY = (
    "This place is outside the city's areas: choose a point within the city on the map, or "
    "give an address."
)


@dataclass(frozen=True)
class Received:
    """What intake wrote: the report, its submitted event and its photos."""

    report: Report
    event: ReportEvent
    attachments: list[Attachment]


def report_receive(
    *,
    description: str,
    category: Category,
    channel: Channel = Channel.WEB,
    reporter: User | None = None,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    title: str = "",
    is_anonymous: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    device_id: str = "",
    photos: Sequence[Upload] = (),
    attributes: Mapping[str, str | list[str]] | None = None,
    recorded_by: User | None = None,
    is_demo: bool = False,
    priority: Priority | None = None,
) -> Received:
    """Receive a citizen's report from any channel; it waits in the IOC queue as submitted.

    ``attributes`` are the answers to the category's extra questions (Open311 service
    attributes, already validated by the channel); they are kept in the submitted event.
    ``recorded_by`` is the staff member who typed the report in (a hotline call, an alarm
    turned into a report): the actor of the submission, unless the reporter sent it themself.
    ``priority`` is the category's default unless the source knows better (an alarm's rule).
    A located report must lie within one of the city's areas (when their boundaries are known).
    """
    problems: dict[str, list[str]] = {}
    area: Area | None = None
    if not description.strip():
        problems["description"] = ["Describe the problem."]
    if not category.is_active:
        problems["category"] = ["This category no longer accepts reports."]
    if (lat is None) != (lon is None):
        problems["location"] = ["Give both latitude and longitude, or neither."]
    elif lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems["location"] = ["Latitude must be within ±90 and longitude within ±180."]
    elif lat is not None and lon is not None:
        area = area_at(lat=lat, lon=lon)
        if area is None and areas_mapped():
            problems["location"] = [OUTSIDE_THE_CITY]
    if lat is None and not address.strip():
        problems.setdefault("location", []).append("Give a location on the map or an address.")
    texts = {"description": description, "address": address, "title": title,
             "contact_name": contact_name, "contact_phone": contact_phone,
             "contact_email": contact_email, "device_id": device_id}  # fmt: skip
    for field, text in texts.items():
        if "\x00" in text:  # PostgreSQL cannot store it; no person types it
            problems.setdefault(field, []).append("Contains a NUL character.")
    if contact_phone.strip() and "contact_phone" not in problems:
        try:  # every channel: the portal, the hotline, API v1, Open311
            contact_phone = phone_clean(contact_phone)
        except ValidationError as invalid:
            problems["contact_phone"] = list(invalid.messages)
    if problems:
        raise InvalidInput(
            "The report could not be accepted: "
            + " ".join(message for messages in problems.values() for message in messages),
            fields=problems,
        )
    images = photos_clean(photos=photos)

    now = clock.now()
    title, description, address = title.strip(), description.strip(), address.strip()
    report = Report(
        title=title,
        description=description,
        lat=lat,
        lon=lon,
        address=address,
        **report_search_fields(title=title, description=description, address=address),
        area=area,
        category=category,
        priority=priority or category.default_priority,
        channel=channel,
        reporter=reporter,
        is_anonymous=is_anonymous,
        contact_name=name_tidy(contact_name),
        contact_phone=contact_phone.strip(),
        contact_email=contact_email,
        device_id=device_id,
        status=S.SUBMITTED,
        submitted_at=now,
        updated_at=now,
        is_demo=is_demo,
    )
    deadlines_refresh(report)
    data: dict[str, object] = {"channel": str(channel)}
    if attributes:
        data["attributes"] = {
            code: value if isinstance(value, str) else list(value)
            for code, value in attributes.items()
        }
    submitter = reporter or recorded_by
    if images or not inserts_together_supported():
        with transaction.atomic():
            report.save(force_insert=True)
            event = record_event(
                report, kind=EventKind.SUBMITTED, actor=submitter, from_status="", data=data,
                at=now,
            )  # fmt: skip
            attachments = [
                attachment_create(
                    report=report,
                    image=image,
                    kind=AttachmentKind.REPORT,
                    uploaded_by=submitter,
                    event=event,
                )
                for image in images
            ]
            follows = [follow_create(report=report, user=reporter)] if reporter else []
    else:
        # Without photos (most reports): the same rows in one statement, one round trip
        # instead of four (docs/performance.md, intake).
        event = event_for(
            report, kind=EventKind.SUBMITTED, actor=submitter, from_status="", data=data, at=now
        )
        follows = [Follow(user=reporter, created_at=clock.now())] if reporter else []
        insert_together(report, [Child(event, "report"), *(Child(f, "report") for f in follows)])
        attachments = []
        announce(report, event)
    return Received(report=report, event=event, attachments=attachments)


def _the_report(receive: Callable[P, Received]) -> Callable[P, Report]:
    @wraps(receive)
    def submit(*args: P.args, **kwargs: P.kwargs) -> Report:
        return receive(*args, **kwargs).report

    return submit


# What most channels call: ``report_receive`` giving the new report alone.
report_submit = _the_report(report_receive)
