"""Searching reports: words are found whatever their accents and case, and a search never
confirms personal data that a page masks for the one who searches (Law 91/2025).

Each report keeps two folded search texts (``services.report_search_fields``): as written, for
IOC staff, and as the public reads it, without the masked words, for everyone else.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.cache import cache

from cityops.intel.duplicates import similar_reports, similar_to_report
from cityops.intel.text import fold
from cityops.reports.choices import ReportStatus
from cityops.reports.filters import ReportFilter
from cityops.reports.models import Report
from cityops.reports.selectors import reports_for_console, reports_public
from cityops.reports.services import report_search_fields
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

PHONE = "0905 123 456"
EMAIL = "tran.thi.hoa@gmail.com"
CITIZEN_ID = "046 099 012 345"
PERSONAL = f"gọi {PHONE} hoặc {EMAIL}, CCCD {CITIZEN_ID}"
# Whole, in fragments, and in the masked forms a page prints ("090•••••56", "t•••@gmail.com").
SEARCHES = (
    "0905123456",
    "0905 123 456",
    "0905",
    "123456",
    "456",
    "tran.thi.hoa",
    "hoa@gmail",
    "gmail.com",
    "046099012345",
    "099012",
    "345",
    "090•••••56",
)


@pytest.fixture(autouse=True)
def _no_counts_kept():
    cache.clear()  # the public count of a search is kept for a while (report_count_public)
    yield
    cache.clear()


@pytest.fixture
def leaky(db, operator):
    """A reviewed report with a phone number, an e-mail and a citizen ID in its texts."""
    return report_in(
        ReportStatus.ACCEPTED,
        operator=operator,
        title="Đèn đường hỏng",
        description=f"Đèn đường trước nhà tắt cả tuần, {PERSONAL}",
        address=f"Số 12 kiệt 3 Lê Lợi, {PHONE}",
    )


def test_fold_drops_accents_and_case():
    assert fold("ĐÈN ĐƯỜNG Hỏng") == "den duong hong"
    assert fold("Ổ gà") == fold("o GA") == "o ga"


def test_the_public_search_text_leaves_out_every_masked_word():
    fields = report_search_fields(title="Ổ gà", description=PERSONAL, address="Số 12 Lê Lợi")

    assert fields["search_text_public"] == "o ga\ngoi hoac cccd\nso 12 le loi"
    assert "0905 123 456" in fields["search_text"]
    assert EMAIL in fields["search_text"]


@pytest.mark.parametrize("words", SEARCHES)
def test_anonymous_searches_for_personal_data_find_nothing_on_any_channel(leaky, client, words):
    portal = client.get("/", {"q": words})
    assert portal.status_code == 200
    assert list(portal.context["page"]) == []
    assert client.get("/reports.geojson", {"q": words}).json()["features"] == []
    assert client.get("/api/v1/reports", {"q": words}).json()["count"] == 0
    assert client.get("/open311/v2/requests.json", {"search": words}).json() == []
    assert (
        "<request>"
        not in client.get("/open311/v2/requests.xml", {"search": words}).content.decode()
    )


def test_the_words_the_public_reads_still_find_the_report(leaky, client):
    page = client.get("/", {"q": "đèn tắt"}).context["page"]
    assert [report.pk for report in page] == [leaky.pk]
    assert client.get("/api/v1/reports", {"q": "Lê Lợi kiệt"}).json()["count"] == 1
    found = client.get("/open311/v2/requests.json", {"search": "CCCD"}).json()
    assert [request["service_request_id"] for request in found] == [str(leaky.pk)]


@pytest.mark.parametrize(
    "words", ["den duong", "ĐÈN ĐƯỜNG", "đèn", "Đèn", "DEN", "duong truoc nha", "le loi"]
)
def test_search_ignores_accents_and_case_on_every_database(leaky, words):
    found = ReportFilter.from_params({"q": words}).apply(reports_public())
    assert list(found) == [leaky]


def test_ioc_staff_search_the_texts_as_written(leaky, operator):
    for words in ("0905 123 456", "tran.thi.hoa", "046 099", "Den Duong"):
        found = reports_for_console(filters=ReportFilter.from_params({"q": words}), reader=operator)
        assert list(found) == [leaky], words


def test_a_leader_searching_the_console_finds_no_personal_data(leaky, leader, client):
    found = reports_for_console(filters=ReportFilter.from_params({"q": "0905"}), reader=leader)
    assert list(found) == []
    client.force_login(leader)
    queue = client.get("/console/", {"q": "0905", "status": "open"})
    assert queue.status_code == 200
    assert list(queue.context["page"]) == []
    points = client.get("/console/map.geojson", {"q": "0905", "status": "open"})
    assert points.json()["features"] == []
    assert list(client.get("/console/", {"q": "đèn", "status": "open"}).context["page"]) == [leaky]


def test_a_leader_s_export_searched_for_personal_data_is_empty(leaky, leader, operator, client):
    client.force_login(leader)
    export = b"".join(client.get("/dashboard/export/reports.csv", {"q": "0905"}).streaming_content)
    assert len(export.decode("utf-8-sig").strip().splitlines()) == 1  # the header alone
    client.force_login(operator)
    export = b"".join(client.get("/dashboard/export/reports.csv", {"q": "0905"}).streaming_content)
    assert len(export.decode("utf-8-sig").strip().splitlines()) == 2


def test_open_data_searched_for_personal_data_is_empty(leaky, client):
    data = b"".join(client.get("/open-data/reports.csv", {"q": "0905"}).streaming_content)
    assert len(data.decode("utf-8-sig").strip().splitlines()) == 1


def test_duplicate_scores_shown_to_the_public_do_not_read_masked_words(db, operator):
    near = {"lat": 16.46, "lon": 107.59}
    report_in(
        ReportStatus.ACCEPTED,
        operator=operator,
        description=f"Cây đổ chắn lối, liên hệ {EMAIL}",
        **near,
    )
    draft = "tran thi hoa"  # the e-mail's own words, which the public never reads

    public = similar_reports(text=draft, among=reports_public(), **near)
    staff = similar_reports(text=draft, as_written=True, **near)

    assert public[0].text_similarity == 0
    assert staff[0].text_similarity > 0


def test_the_similar_reports_of_a_stored_report_compare_masked_texts(db, operator):
    near = {"lat": 16.46, "lon": 107.59, "category": CategoryFactory()}
    first = report_in(ReportStatus.ACCEPTED, operator=operator, description=EMAIL, **near)
    report_in(ReportStatus.ACCEPTED, operator=operator, description=f"Hỏi {EMAIL}", **near)

    public = similar_to_report(report=first, among=reports_public())
    staff = similar_to_report(report=first, as_written=True)

    assert staff[0].text_similarity > public[0].text_similarity


def test_the_migration_fills_the_search_texts_of_existing_reports(leaky):
    Report.objects.update(search_text="", search_text_public="")
    migration = importlib.import_module("cityops.reports.migrations.0004_report_search_text")

    migration.fill_search_texts(apps, None)

    leaky.refresh_from_db()
    assert leaky.search_text_public.startswith("den duong hong\nden duong truoc nha")
    assert "0905" not in leaky.search_text_public
    assert "0905 123 456" in leaky.search_text
