"""The staff's upload pages and the leaders' indicator pages: what a user sees, and every figure
traced to its upload and row."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityops.indicators.choices import Source
from cityops.indicators.models import Upload, Value
from cityops.indicators.services import upload_import

pytestmark = pytest.mark.django_db

HISTORY = (
    "indicator;period;area;value\n"
    "ho-so-suc-khoe-dien-tu;2021;;52\n"
    "ho-so-suc-khoe-dien-tu;2022;;66\n"
    "ho-so-suc-khoe-dien-tu;2023;;78,5\n"
    "ho-so-suc-khoe-dien-tu;2023;19753;93,41\n"
    "ho-so-suc-khoe-dien-tu;2021;19789;45\n"
    "ho-so-suc-khoe-dien-tu;2023;19789;47\n"
)


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # English pages: the msgids themselves
    return client


@pytest.fixture
def history(ehealth, phu_xuan, thuan_hoa, operator):
    return upload_import(
        source=Source.CSV, content=HISTORY.encode(), actor=operator, file_name="y-te.csv"
    )


def test_staff_upload_a_file_and_see_the_refused_rows(client, operator, ehealth):
    client.force_login(operator)
    content = "indicator;period;area;value\nho-so-suc-khoe-dien-tu;2024;;88,5\nx;2024;;1\n"
    answer = client.post(
        reverse("console:indicators:upload_new"),
        {"file": SimpleUploadedFile("so-lieu.csv", content.encode(), "text/csv")},
        follow=True,
    )
    upload = Upload.objects.get()
    assert answer.redirect_chain[-1][0] == reverse("console:indicators:upload", args=[upload.pk])
    page = answer.content.decode()
    assert "1 of 2 rows accepted" in page
    assert "unknown indicator “x”" in page
    assert 'id="row-2"' in page


def test_an_upload_of_the_wrong_kind_is_refused_with_a_reason(client, operator, ehealth):
    client.force_login(operator)
    answer = client.post(
        reverse("console:indicators:upload_new"),
        {"file": SimpleUploadedFile("so-lieu.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert answer.status_code == 400
    assert "Choose a .csv or .xlsx file." in answer.content.decode()
    answer = client.post(
        reverse("console:indicators:upload_new"),
        {"file": SimpleUploadedFile("so-lieu.csv", b"a;b\n1;2\n", "text/csv")},
    )
    assert answer.status_code == 400
    assert "missing: indicator, period, area, value" in answer.content.decode()
    assert not Upload.objects.exists()


def test_leaders_see_a_tile_per_indicator_with_its_status_in_words(client, leader, history):
    client.force_login(leader)
    page = client.get(reverse("dashboard:indicators")).content.decode()
    # Baseline 40 (2020), target 95 by 2025: required (95/40)^(1/5) − 1 = 18.89 % a year;
    # 78.5 in 2023: (78.5/40)^(1/3) − 1 = 25.20 %: on track.
    tile = re.search(r'<article class="tile status-on_track".*?</article>', page, re.S)
    assert tile is not None
    assert "On track" in tile.group()
    assert "78.5" in tile.group()
    assert "+12.5" in tile.group()  # from 66 in 2022
    assert "95 %" in tile.group()
    assert "3 figures, from 52 (2021) to 78.5 (2023)" in tile.group()  # the sparkline's text
    assert "<polyline" in tile.group()
    assert "Stale" in tile.group()  # 2024's figure was due before the end of January 2025


def test_the_indicator_page_traces_each_figure_and_drills_down_by_area(
    client, leader, history, ehealth
):
    client.force_login(leader)
    page = client.get(reverse("dashboard:indicator", args=[ehealth.code])).content.decode()
    latest = Value.objects.get(period=date(2023, 1, 1), area=None)
    row_link = reverse("console:indicators:upload", args=[history.pk]) + f"#row-{latest.row}"
    assert row_link in page
    assert f"Upload {history.pk}, row {latest.row}" in page
    areas = re.search(r'<table class="areas">.*?</table>', page, re.S).group()
    # Phú Xuân has one figure (93.41, no growth to judge); Thuận Hóa 45 → 47 in two years:
    # (47/45)^(1/2) − 1 = 2.2 % a year against the province's 18.89 %: off track.
    assert "Phường Phú Xuân" in areas
    assert "93.41" in areas
    assert "Not enough data" in areas
    assert re.search(r"Phường Thuận Hóa.*?Off track", areas, re.S)
    # The upload's page lists the figure at that row.
    upload_page = client.get(reverse("console:indicators:upload", args=[history.pk])).content
    assert f'id="row-{latest.row}"'.encode() in upload_page


def test_an_unknown_indicator_is_not_found(client, leader, db):
    client.force_login(leader)
    assert client.get(reverse("dashboard:indicator", args=["khong-co"])).status_code == 404


def test_the_tiles_page_asks_the_database_a_fixed_number_of_times(
    client, leader, history, schools, django_assert_max_num_queries
):
    client.force_login(leader)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("dashboard:indicators")).status_code == 200


def test_figures_are_written_the_vietnamese_way_on_vietnamese_pages(client, leader, history):
    client.force_login(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    page = client.get(reverse("dashboard:indicators")).content.decode()
    assert "78,5" in page
    assert 'cx="117.0"' in page  # the drawing's coordinates stay numbers


def test_the_demo_seeds_indicators_with_traceable_figures_once(client, leader, health):
    from cityops.agencies.tests.factories import AreaFactory
    from cityops.demo.indicators import indicators_seed_demo

    AreaFactory(code="19753", name="Phường Phú Xuân")
    first = indicators_seed_demo()
    assert first["indicators"] == 5
    assert first["indicator_figures"] == Value.objects.count() > 30
    upload = Upload.objects.get()
    assert upload.errors == []
    assert indicators_seed_demo() == {"indicators": 0, "indicator_figures": 0}
    client.force_login(leader)
    page = client.get(reverse("dashboard:indicators")).content.decode()
    assert "Residents with an electronic health record" in page
    assert page.count('class="tile ') == 5
    assert "Stale" in page  # GRDP growth: last year's figure is late


def test_agency_staff_upload_their_own_departments_figures_only(
    client, agency, agency_staff, other_agency_staff, ehealth, schools
):
    ehealth.department = agency
    ehealth.save()
    client.force_login(agency_staff)
    form = client.get(reverse("console:indicators:upload_new")).content.decode()
    assert ehealth.code in form
    assert schools.code not in form  # another department's indicator is not offered
    content = (
        "indicator;period;area;value\n"
        "ho-so-suc-khoe-dien-tu;2024;;88,5\n"
        "truong-hoc-thong-minh;2024-Q3;;40\n"
    )
    answer = client.post(
        reverse("console:indicators:upload_new"),
        {"file": SimpleUploadedFile("y-te.csv", content.encode(), "text/csv")},
        follow=True,
    )
    page = answer.content.decode()
    assert "1 of 2 rows accepted" in page
    assert "the indicator “truong-hoc-thong-minh” belongs to another department" in page
    upload = Upload.objects.get()
    assert list(upload.values.values_list("indicator__code", flat=True)) == [ehealth.code]
    # Another agency's staff neither list nor open it.
    client.force_login(other_agency_staff)
    assert client.get(reverse("console:indicators:upload", args=[upload.pk])).status_code == 404
    listing = client.get(reverse("console:indicators:uploads")).content.decode()
    assert "y-te.csv" not in listing


def test_ioc_staff_import_from_an_api_address_agency_staff_cannot(
    client, operator, agency_staff, ehealth, fake_api, settings
):
    settings.CITYOPS_INDICATORS_API_HOSTS = [urlsplit(fake_api.url("/")).netloc]
    fake_api.routes["/y-te.json"] = (
        200,
        b'[{"indicator": "ho-so-suc-khoe-dien-tu", "period": "2024", "area": "", "value": 88.5}]',
    )
    client.force_login(operator)
    answer = client.post(
        reverse("console:indicators:upload_new"), {"url": fake_api.url("/y-te.json")}, follow=True
    )
    assert "1 of 1 rows accepted" in answer.content.decode()
    assert Upload.objects.get().url == fake_api.url("/y-te.json")
    client.force_login(agency_staff)
    form = client.get(reverse("console:indicators:upload_new")).content.decode()
    assert 'name="url"' not in form
    answer = client.post(
        reverse("console:indicators:upload_new"), {"url": fake_api.url("/y-te.json")}
    )
    assert answer.status_code == 400
    assert Upload.objects.count() == 1


def test_only_the_configured_api_hosts_are_fetched(client, operator, fake_api, settings):
    client.force_login(operator)
    settings.CITYOPS_INDICATORS_API_HOSTS = []  # nothing configured: no address field at all
    assert 'name="url"' not in client.get(reverse("console:indicators:upload_new")).content.decode()
    settings.CITYOPS_INDICATORS_API_HOSTS = ["thongke.thuathienhue.gov.vn"]
    answer = client.post(
        reverse("console:indicators:upload_new"),
        {"url": fake_api.url("/y-te.json")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400
    assert "Only the configured statistics APIs may be fetched" in answer.content.decode()
    assert fake_api.asked == []
    assert Upload.objects.count() == 0
