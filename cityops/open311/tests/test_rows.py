"""The request list's written rows: the same document, byte for byte, as the serializer's."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from cityops.open311 import serializers
from cityops.open311.render import to_json, to_xml
from cityops.open311.rows import request_list_body, written_rows
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus, Visibility
from cityops.reports.models import Report
from cityops.reports.selectors import reports_public
from cityops.reports.tests.helpers import jpeg_with_gps, report_in

pytestmark = pytest.mark.django_db

S = ReportStatus
PERSONAL = "gọi 0905 123 456 hoặc nguyen.van.a@gmail.com"


@pytest.fixture
def reports(operator, agency, agency_staff, citizen, potholes):
    """Requests of every kind a page holds: personal data to mask, a merged twin, a photo, a
    public note, a rating, a rejected one (never listed)."""
    original = report_in(
        S.IN_PROGRESS,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        reporter=citizen,
        category=potholes,
        description=f"Ổ gà lớn, {PERSONAL}",
        address=f"Số 12 Lê Lợi, {PERSONAL}",
        photos=[jpeg_with_gps()],
    )
    workflow.report_add_note(
        report=original, actor=agency_staff, text="Đội đã đến.", visibility=Visibility.PUBLIC
    )
    twin = report_in(S.ACCEPTED, operator=operator, category=potholes, description=PERSONAL)
    workflow.report_merge(report=twin, original=original, actor=operator)
    rated = report_in(
        S.RESOLVED, operator=operator, agency=agency, staff=agency_staff, reporter=citizen
    )
    workflow.report_rate(report=rated, actor=citizen, value=RatingValue.SATISFIED)
    report_in(S.REJECTED, operator=operator, category=potholes)
    return Report.objects.all()


def _absolute(url: str) -> str:
    return RequestFactory().get("/").build_absolute_uri(url)


def _as_the_serializer_writes(*, lang, fmt, extensions) -> bytes:
    ordered = reports_public().order_by("-submitted_at", "-pk")
    document = [
        serializers.request(report, lang=lang, absolute=_absolute, extensions=extensions)
        for report in serializers.with_request_relations(ordered, extensions=extensions)
    ]
    if fmt == "json":
        return to_json(document)
    return to_xml(document, root="service_requests", item="request")


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("extensions", [False, True])
def test_written_rows_make_the_serializers_document(reports, fmt, lang, extensions):
    expected = _as_the_serializer_writes(lang=lang, fmt=fmt, extensions=extensions)
    ordered = reports_public().order_by("-submitted_at", "-pk")

    def written() -> bytes:
        return request_list_body(
            ordered, start=0, stop=1000, lang=lang, fmt=fmt, extensions=extensions,
            absolute=_absolute,
        )  # fmt: skip

    assert written() == expected  # every row written now
    assert written() == expected  # every row as kept
    assert PERSONAL.split()[1] not in expected.decode()
    # Three requests (the twin too), not the rejected one; XML names each field twice.
    assert expected.count(b"service_request_id") == {"json": 3, "xml": 6}[fmt]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_empty_page_is_the_serializers_empty_document(db, fmt):
    body = request_list_body(
        reports_public(), start=0, stop=10, lang="vi", fmt=fmt, extensions=False,
        absolute=_absolute,
    )  # fmt: skip

    expected = to_json([]) if fmt == "json" else to_xml([], root="service_requests", item="request")
    assert body == expected


def test_a_change_of_the_report_is_written_again(reports, operator, agency_staff):
    ordered = reports_public().order_by("-submitted_at", "-pk")
    page = {"start": 0, "stop": 1000, "lang": "en", "fmt": "json", "extensions": False}
    before = request_list_body(ordered, absolute=_absolute, **page)
    report = Report.objects.get(status=S.IN_PROGRESS)

    workflow.report_resolve(report=report, actor=agency_staff, result="Đã vá.")

    after = request_list_body(ordered, absolute=_absolute, **page)
    assert after != before
    assert after == _as_the_serializer_writes(lang="en", fmt="json", extensions=False)
    assert written_rows() is written_rows()  # kept between pages
