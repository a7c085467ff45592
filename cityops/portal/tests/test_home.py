"""The home page: counts, the list with its filters and paging, and the map's points."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityops.agencies.tests.factories import AreaFactory
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import CategoryFactory

S = ReportStatus


@pytest.mark.django_db
def test_home_page_shows_the_public_counts_map_and_list(client, make_report):
    make_report(S.ACCEPTED, description="Rác tồn đọng ở chợ Đông Ba")
    make_report(S.SUBMITTED, description="Chưa kiểm duyệt")

    page = client.get("/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Rác tồn đọng ở chợ Đông Ba" in html
    assert "Chưa kiểm duyệt" not in html
    assert 'id="map"' in html
    assert "tile.openstreetmap.org" in html
    assert reverse("portal:points") in html
    assert page.context["figures"].kpis.received == 2
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert '<html lang="vi">' in html
    assert 'class="skip" href="#main"' in html


@pytest.mark.django_db
def test_the_map_tiles_come_from_the_setting(client, settings):
    settings.CITYOPS_MAP_TILES_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    assert "https://tiles.example.vn/{z}/{x}/{y}.png" in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_list_filters_by_category_status_area_date_and_words(client, make_report):
    area = AreaFactory(code="19999", name="Phường Thử", centroid_lat=16.46, centroid_lon=107.59)
    roads = CategoryFactory(code="traffic-infrastructure", name="Hạ tầng giao thông")
    make_report(S.ACCEPTED, description="Rác bên bờ sông Hương")
    make_report(S.ACCEPTED, description="Ổ gà đường Lê Lợi", category=roads)
    make_report(S.CLOSED, description="Rác đã dọn xong")
    AreaFactory(code="19998", centroid_lat=16.50, centroid_lon=107.65)  # another ward
    elsewhere = make_report(S.ACCEPTED, description="Rác ở nơi khác", lat=16.50, lon=107.65)

    def shown(**params):
        response = client.get("/", params)
        assert response.status_code == 200
        return {report.description for report in response.context["page"]}

    assert shown(category="traffic-infrastructure") == {"Ổ gà đường Lê Lợi"}
    assert shown(status="closed") == {"Rác đã dọn xong"}
    assert "Rác đã dọn xong" not in shown(status="open")
    assert elsewhere.description not in shown(area=area.code)
    assert shown(q="sông Hương") == {"Rác bên bờ sông Hương"}
    assert shown(submitted_to="2000-01-01") == set()
    assert len(shown(submitted_from="2000-01-01")) == 4


@pytest.mark.django_db
def test_bad_filters_are_explained_next_to_their_field_and_the_list_stays(client, make_report):
    make_report(S.ACCEPTED, description="Đèn đường hỏng")

    response = client.get("/", {"submitted_from": "hôm qua", "status": "maybe"})

    assert response.status_code == 200
    form = response.context["form"]
    assert "submitted_from" in form.errors
    assert "status" in form.errors
    assert [r.description for r in response.context["page"]] == ["Đèn đường hỏng"]
    assert "Nhập một ngày hợp lệ." in response.content.decode()


@pytest.mark.django_db
def test_htmx_gets_only_the_list(client, make_report):
    make_report(S.ACCEPTED, description="Cây xanh đổ")

    response = client.get("/", {"q": "cây"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "Cây xanh đổ" in html
    assert "<html" not in html
    assert 'data-points="/reports.geojson?q=c%C3%A2y"' in html


@pytest.mark.django_db
def test_the_list_is_paged_and_keeps_its_filters(client, make_report):
    for number in range(23):
        make_report(S.ACCEPTED, description=f"Rác số {number}")

    first = client.get("/", {"q": "Rác"})
    second = client.get("/", {"q": "Rác", "page": 2})

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 3
    assert "?q=R%C3%A1c&amp;page=2" in first.content.decode()


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_many_reports(client, make_report):
    make_report(S.ACCEPTED)
    with CaptureQueriesContext(connection) as few:
        client.get("/", headers={"HX-Request": "true"})
    for _ in range(10):
        make_report(S.ASSIGNED)
    with CaptureQueriesContext(connection) as many:
        client.get("/", headers={"HX-Request": "true"})
    assert len(many) == len(few)
    assert len(many) <= 6


@pytest.mark.django_db
def test_map_points_are_geojson_of_public_reports_with_the_same_filters(client, make_report):
    shown = make_report(S.ACCEPTED, description="Nước ngập đường Trần Hưng Đạo")
    make_report(S.SUBMITTED, description="Chưa kiểm duyệt")
    make_report(S.ACCEPTED, description="Không có vị trí", lat=None, lon=None, address="Huế")

    data = client.get(reverse("portal:points")).json()
    narrowed = client.get(reverse("portal:points"), {"q": "không khớp"}).json()

    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in data["features"]] == [shown.pk]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [107.59, 16.46]}
    assert feature["properties"]["status"] == "Đã tiếp nhận"
    assert set(feature["properties"]) == {"id", "title", "status", "tone"}
    assert narrowed["features"] == []


@pytest.mark.django_db
def test_user_text_is_escaped_everywhere_on_the_home_page(client, make_report):
    make_report(S.ACCEPTED, description='<script>alert("x")</script>')
    html = client.get("/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_the_language_switch_posts_with_csrf_and_comes_back(client):
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="csrfmiddlewaretoken"' in html

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/?q=x"})

    assert response.status_code == 302
    assert response["Location"] == "/?q=x"
    assert '<html lang="en">' in client.get("/").content.decode()
