"""Bring a report to any status through the real workflow, never by writing ``status``."""

from __future__ import annotations

import io
from typing import Any

from PIL import ExifTags, Image

from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.reports import workflow
from cityops.reports.choices import RejectionReason, ReportStatus
from cityops.reports.models import Category, Report
from cityops.reports.tests.factories import CategoryFactory

S = ReportStatus

# The main road of the lifecycle; every other status branches off it.
_ROAD = [S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED]


def submit(
    *, reporter: User | None = None, category: Category | None = None, **kwargs: Any
) -> Report:
    """A report received on the web at the centre of the test area (16.46, 107.59)."""
    values: dict[str, Any] = {
        "description": "Ổ gà lớn giữa đường Lê Lợi",
        "lat": 16.46,
        "lon": 107.59,
    }
    values.update(kwargs)
    return workflow.report_submit(
        category=category or CategoryFactory(), reporter=reporter, **values
    )


def report_in(
    status: ReportStatus,
    *,
    operator: User,
    reporter: User | None = None,
    agency: Agency | None = None,
    staff: User | None = None,
    category: Category | None = None,
    original: Report | None = None,
    merged_from: ReportStatus = S.SUBMITTED,
    **submit_kwargs: Any,
) -> Report:
    """A fresh report that reached ``status`` by the usual moves.

    ``agency`` and ``staff`` (a member of ``agency``) are needed from ``assigned`` on. A
    ``duplicate`` is merged from ``merged_from`` (an active status) into ``original``, or
    into a new report when none is given; a ``rejected`` one was rejected as spam on arrival;
    a ``closed`` one was closed by the IOC after the result.
    """
    status = S(status)
    if status == S.DUPLICATE:
        if merged_from not in S.active():
            raise ValueError(
                f"a report can only be merged from an active status, not {merged_from}"
            )
        report = report_in(
            merged_from,
            operator=operator,
            reporter=reporter,
            agency=agency,
            staff=staff,
            category=category,
            **submit_kwargs,
        )
        target = original or submit(category=report.category)
        return workflow.report_merge(report=report, original=target, actor=operator)

    report = submit(reporter=reporter, category=category, **submit_kwargs)
    if status == S.REJECTED:
        return workflow.report_reject(report=report, actor=operator, reason=RejectionReason.SPAM)

    steps = _ROAD[1 : _ROAD.index(status) + 1]
    if S.ASSIGNED in steps and (agency is None or staff is None or staff.agency_id != agency.pk):
        raise ValueError(f"a report {status.label.lower()} needs an agency and one of its staff")
    for step in steps:
        if step == S.ACCEPTED:
            report = workflow.report_accept(report=report, actor=operator)
        elif step == S.ASSIGNED:
            report = workflow.report_assign(report=report, agency=agency, actor=operator)
        elif step == S.IN_PROGRESS:
            report = workflow.report_agency_accept(report=report, actor=staff)
        elif step == S.RESOLVED:
            report = workflow.report_resolve(
                report=report, actor=staff, result="Đã vá ổ gà bằng bê tông nhựa."
            )
        elif step == S.CLOSED:
            report = workflow.report_close(report=report, actor=operator)
    assert report.status == status
    return report


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A real JPEG whose EXIF says where and with what it was taken."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "SecretPhone 9000"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (16.0, 27.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (107.0, 35.0, 24.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
