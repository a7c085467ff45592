"""Exports of reports and timelines (staff) and open data (everyone): formats, filters, and who
gets personal data."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils.http import http_date

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import RejectionReason
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in, submit

pytestmark = pytest.mark.django_db

PHONE = "0905 123 456"
OCTOBER = datetime(2026, 10, 6, 9, tzinfo=VIETNAM_TZ)


@pytest.fixture
def reports(operator, agency, agency_staff, citizen):
    with clock.frozen_at(OCTOBER):
        handled = report_in(
            "resolved",
            operator=operator,
            agency=agency,
            staff=agency_staff,
            reporter=citizen,
            description=f"Cống bị tắc, gọi tôi số {PHONE}",
            contact_phone="0912345678",
        )
        other = report_in("accepted", operator=operator, category=CategoryFactory(code="tourism"))
        spam = workflow.report_reject(
            report=submit(description="Quảng cáo"), actor=operator, reason=RejectionReason.SPAM
        )
        fresh = submit(description="Chưa được xem xét")
    return {"handled": handled, "other": other, "spam": spam, "fresh": fresh}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def rows_of(response) -> list[dict[str, str]]:
    text = body(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def export(client, user, fmt="csv", **params):
    client.force_login(user)
    return client.get(reverse("dashboard:export", args=[fmt]), params)


def test_operators_export_reports_with_the_reporters_contact(client, operator, reports):
    response = export(client, operator)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = {row["id"]: row for row in rows_of(response)}
    handled = rows[str(reports["handled"].pk)]
    assert handled["reporter_username"] == "citizen"
    assert handled["contact_phone"] == "0912345678"
    assert PHONE in handled["description"]
    assert len(rows) == 4


def test_leaders_export_no_reporter_and_read_the_text_masked(client, leader, reports):
    rows = rows_of(export(client, leader))
    assert "reporter_username" not in rows[0]
    assert "contact_phone" not in rows[0]
    handled = next(row for row in rows if row["id"] == str(reports["handled"].pk))
    assert PHONE not in handled["description"]
    assert "•" in handled["description"]


def test_the_export_takes_the_console_filters(client, operator, reports, agency):
    rows = rows_of(export(client, operator, agency=agency.code, status="resolved"))
    assert [row["id"] for row in rows] == [str(reports["handled"].pk)]
    assert rows_of(export(client, operator, submitted_from="2026-11-01")) == []


def test_a_bad_filter_is_refused_with_the_reason(client, operator):
    response = export(client, operator, status="nonsense")
    assert response.status_code == 400
    assert "status" in response.content.decode()


def test_agency_staff_and_citizens_may_not_export(client, agency_staff, citizen):
    assert export(client, agency_staff).status_code == 403
    assert export(client, citizen).status_code == 403


def test_the_spreadsheet_is_a_real_xlsx_with_a_header_and_a_row_per_report(
    client, operator, reports
):
    response = export(client, operator, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(body(response))) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<row ") == 1 + 4
    assert "submitted_at" in sheet  # constant_memory writes inline strings
    assert "contact_phone" in sheet


def test_the_geojson_has_a_point_feature_per_located_report(client, leader, reports):
    response = export(client, leader, "geojson")
    collection = json.loads(body(response))
    assert collection["type"] == "FeatureCollection"
    feature = next(
        f for f in collection["features"] if f["properties"]["id"] == reports["handled"].pk
    )
    assert feature["geometry"] == {"type": "Point", "coordinates": [107.59, 16.46]}
    assert feature["properties"]["status"] == "resolved"


def test_the_timeline_export_lists_every_event_of_the_chosen_reports(
    client, operator, leader, reports
):
    client.force_login(operator)
    handled = reports["handled"]
    response = client.get(reverse("dashboard:export_events"), {"id": str(handled.pk)})
    rows = rows_of(response)
    assert [row["kind"] for row in rows] == [
        "submitted",
        "accepted",
        "assigned",
        "agency_accepted",
        "resolved",
    ]
    assert rows[0]["actor"] == "citizen"
    client.force_login(leader)
    response = client.get(reverse("dashboard:export_events"), {"id": str(handled.pk)})
    assert "actor" not in rows_of(response)[0]


# --- open data ---------------------------------------------------------------------------------


def open_data(client, fmt="csv", **params):
    return client.get(reverse("public_stats:open_data", args=[fmt]), params, REMOTE_ADDR="10.1.2.3")


def test_open_data_lists_reviewed_public_reports_without_personal_data(client, reports):
    response = open_data(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    rows = rows_of(response)
    assert sorted(int(row["id"]) for row in rows) == sorted(
        [reports["handled"].pk, reports["other"].pk]
    )
    content = body(open_data(client)).decode()
    for personal in ("0912345678", PHONE, "citizen", "contact", "reporter"):
        assert personal not in content


def test_open_data_geojson_is_a_feature_collection_of_the_same_reports(client, reports):
    collection = json.loads(body(open_data(client, "geojson")))
    assert {f["properties"]["id"] for f in collection["features"]} == {
        reports["handled"].pk,
        reports["other"].pk,
    }


def test_open_data_answers_not_modified_when_nothing_changed(client, reports):
    first = open_data(client)
    assert first.status_code == 200
    again = client.get(
        reverse("public_stats:open_data", args=["csv"]),
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
        REMOTE_ADDR="10.1.2.3",
    )
    assert again.status_code == 304
    stale = client.get(
        reverse("public_stats:open_data", args=["csv"]),
        HTTP_IF_MODIFIED_SINCE=http_date(0),
        REMOTE_ADDR="10.1.2.3",
    )
    assert stale.status_code == 200


def test_open_data_is_rate_limited_per_client(client, reports, settings):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "open_data_per_ip": "2/m"}
    assert open_data(client).status_code == 200
    assert open_data(client).status_code == 200
    refused = open_data(client)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    other = client.get(reverse("public_stats:open_data", args=["csv"]), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_open_data_takes_the_same_filters(client, reports):
    rows = rows_of(open_data(client, category="tourism"))
    assert [int(row["id"]) for row in rows] == [reports["other"].pk]
