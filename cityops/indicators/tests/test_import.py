"""Uploads of figures: CSV (UTF-8 with a BOM, semicolons, Vietnamese decimals), Excel and an
HTTP API; every bad row refused with its reason, the good ones kept and traceable."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook

from cityops.indicators.choices import Source
from cityops.indicators.importing import BadNumber, ImportRefused, number_parse
from cityops.indicators.models import Value
from cityops.indicators.selectors import series
from cityops.indicators.services import upload_fetch, upload_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The refusals read in English here (the page's language; the catalogue says them in
    Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("93,41", 93.41),
        ("93.41", 93.41),
        ("1.234.567", 1234567),
        ("1.234.567,5", 1234567.5),
        ("1,234,567.5", 1234567.5),
        ("0,125", 0.125),
        ("-2,5", -2.5),
        ("12 %", 12),
        (93.41, 93.41),
        (7, 7),
    ],
)
def test_figures_are_read_in_vietnamese_or_english_notation(text, number):
    assert number_parse(text) == pytest.approx(number)


@pytest.mark.parametrize("text", ["1.234", "93,410", "abc", "", "1.2.3", "1,23.4", "nan"])
def test_ambiguous_or_bad_figures_are_refused(text):
    with pytest.raises(BadNumber):
        number_parse(text)


CSV = (
    "\ufeffchỉ tiêu;kỳ;địa bàn;giá trị\n"
    "ho-so-suc-khoe-dien-tu;2024;;88,5\n"
    "ho-so-suc-khoe-dien-tu;2025;;93,41\n"
    "ho-so-suc-khoe-dien-tu;2025;19753;96,2\n"
    "chi-tieu-la;2025;;10\n"
    "ho-so-suc-khoe-dien-tu;2025-Q3;;90\n"
    "ho-so-suc-khoe-dien-tu;2025;99999;90\n"
    "ho-so-suc-khoe-dien-tu;2023;;nhiều\n"
    "ho-so-suc-khoe-dien-tu;2025;;94\n"
    "\n"
    "ho-so-suc-khoe-dien-tu;2023;19789;80\n"
)


def test_a_csv_upload_keeps_the_good_rows_and_says_why_each_bad_one_was_refused(
    ehealth, phu_xuan, thuan_hoa, operator
):
    content = CSV.encode("utf-8")
    upload = upload_import(
        source=Source.CSV, content=content, actor=operator, file_name="y-te 2025.csv"
    )
    assert (upload.rows_total, upload.rows_accepted) == (9, 4)
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.uploaded_by == operator
    assert upload.file.read() == content
    refused = {error["row"]: error["message"] for error in upload.errors}
    assert set(refused) == {5, 6, 7, 8, 9}
    assert "unknown indicator “chi-tieu-la”" in refused[5]
    assert "2025-Q3" in refused[6]
    assert "yearly" in refused[6]
    assert "unknown area code “99999”" in refused[7]
    assert "not a number" in refused[8]
    assert "same indicator, period and area as row 3" in refused[9]
    assert series(ehealth) == [(date(2024, 1, 1), 88.5), (date(2025, 1, 1), 93.41)]
    ward = Value.objects.get(area=phu_xuan)
    assert (ward.value, ward.row, ward.upload) == (96.2, 4, upload)
    assert Value.objects.get(area=thuan_hoa).row == 11  # the blank line still counts


def test_a_comma_separated_csv_with_english_headers_is_read(ehealth):
    content = b'indicator,period,area,value\nho-so-suc-khoe-dien-tu,2025-06-30,,"93,41"\n'
    upload = upload_import(source=Source.CSV, content=content, actor=None, file_name="a.csv")
    assert upload.rows_accepted == 1
    assert series(ehealth) == [(date(2025, 1, 1), 93.41)]


def test_a_later_upload_supersedes_a_figure_without_changing_the_first(ehealth):
    first = upload_import(
        source=Source.CSV,
        content=b"indicator,period,area,value\nho-so-suc-khoe-dien-tu,2024,,80\n",
        actor=None,
    )
    second = upload_import(
        source=Source.CSV,
        content=b"indicator,period,area,value\nho-so-suc-khoe-dien-tu,2024,,81\n",
        actor=None,
    )
    assert series(ehealth) == [(date(2024, 1, 1), 81.0)]
    assert list(first.values.values_list("value", flat=True)) == [80.0]
    assert list(second.values.values_list("value", flat=True)) == [81.0]


def test_a_file_without_the_four_columns_is_refused_whole(ehealth):
    with pytest.raises(ImportRefused, match="missing: area, value"):
        upload_import(source=Source.CSV, content=b"indicator;period\nx;2025\n", actor=None)
    with pytest.raises(ImportRefused, match="UTF-8"):
        upload_import(source=Source.CSV, content=b"gi\xe1 tr\xef\n", actor=None)
    assert not Value.objects.exists()


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_upload_reads_number_cells_dates_and_codes(ehealth, schools, phu_xuan):
    content = _workbook(
        [
            ["Mã chỉ tiêu", "Kỳ", "Mã địa bàn", "Giá trị"],
            ["ho-so-suc-khoe-dien-tu", 2025, 19753, 93.41],
            ["truong-hoc-thong-minh", "2025-Q3", None, 64],
            ["truong-hoc-thong-minh", date(2025, 11, 15), None, "70"],
            ["truong-hoc-thong-minh", 2025, None, 70],
        ]
    )
    upload = upload_import(source=Source.XLSX, content=content, actor=None, file_name="b.xlsx")
    assert upload.rows_accepted == 3
    assert [error["row"] for error in upload.errors] == [5]  # a year for a quarterly one
    assert series(schools) == [(date(2025, 7, 1), 64.0), (date(2025, 10, 1), 70.0)]
    assert series(ehealth, area=phu_xuan) == [(date(2025, 1, 1), 93.41)]


def test_a_file_that_is_no_workbook_is_refused(ehealth):
    with pytest.raises(ImportRefused, match="not an Excel workbook"):
        upload_import(source=Source.XLSX, content=b"PK\x03\x04 nope", actor=None)


def test_an_api_answer_is_imported_with_the_same_checks(ehealth, phu_xuan, fake_api, operator):
    rows = [
        {"indicator": "ho-so-suc-khoe-dien-tu", "period": "2025", "area": "19753", "value": 95.1},
        {"indicator": "ho-so-suc-khoe-dien-tu", "period": "2025", "area": "", "value": "93,41"},
        {"indicator": "ho-so-suc-khoe-dien-tu", "period": "2031", "area": "", "value": 99},
    ]
    fake_api.routes["/indicators.json"] = (200, json.dumps({"rows": rows}).encode())
    upload = upload_fetch(url=fake_api.url("/indicators.json"), actor=operator)
    assert (upload.source, upload.url) == (Source.HTTP, fake_api.url("/indicators.json"))
    assert upload.rows_accepted == 2
    assert upload.errors == [{"row": 3, "message": "the period 2031 has not begun"}]
    assert series(ehealth) == [(date(2025, 1, 1), 93.41)]


def test_an_api_that_fails_or_answers_too_much_is_refused(ehealth, fake_api, monkeypatch):
    fake_api.routes["/broken"] = (500, b"oops")
    with pytest.raises(ImportRefused, match="HTTP 500"):
        upload_fetch(url=fake_api.url("/broken"), actor=None)
    fake_api.routes["/big"] = (200, b"[" + b"{}," * 100 + b"{}]")
    monkeypatch.setattr("cityops.indicators.importing.MAX_FILE_BYTES", 100)
    with pytest.raises(ImportRefused, match="too large"):
        upload_fetch(url=fake_api.url("/big"), actor=None)
    with pytest.raises(ImportRefused, match="http"):
        upload_fetch(url="file:///etc/passwd", actor=None)


def test_the_command_imports_a_file_and_an_api(ehealth, fake_api, tmp_path, capsys):
    path = tmp_path / "so-lieu.csv"
    path.write_bytes(b"indicator;period;area;value\nho-so-suc-khoe-dien-tu;2024;;88,5\n")
    call_command("indicators_import", str(path))
    fake_api.routes["/v.json"] = (
        200,
        b'[{"indicator": "ho-so-suc-khoe-dien-tu", "period": 2025, "area": null, "value": 93.41}]',
    )
    call_command("indicators_import", "--url", fake_api.url("/v.json"))
    out = capsys.readouterr().out
    assert "1 of 1 rows" in out
    assert series(ehealth) == [(date(2024, 1, 1), 88.5), (date(2025, 1, 1), 93.41)]
