"""Warning bulletins: the public pages, and writing or withdrawing one in the console."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from cityops.agencies.tests.factories import AreaFactory
from cityops.alerts.choices import BulletinKind, CapSeverity
from cityops.alerts.models import Bulletin
from cityops.alerts.services import bulletin_cancel, bulletin_create
from cityops.platform.errors import InvalidInput, NotPermitted

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ward(db):
    return AreaFactory(name="Phường Phú Xuân", centroid_lat=16.47, centroid_lon=107.58)


def write(operator, **changes):
    values = {
        "actor": operator,
        "kind": BulletinKind.FLOOD,
        "headline": "Cảnh báo ngập úng tại Phú Xuân",
        "severity": CapSeverity.SEVERE,
        "expires": NOW + timedelta(hours=12),
        "description": "Mưa lớn kéo dài.\n\nNhiều tuyến đường ngập sâu 0,3–0,5 m.",
        "instruction": "Hạn chế di chuyển qua khu vực ngập.",
        "area_description": "Các tuyến đường trũng thấp",
    }
    values.update(changes)
    return bulletin_create(**values)


# The console's bulletin form, filled in but for its dates and areas.
FLOOD_FORM = {
    "kind": "flood",
    "headline": "Lũ",
    "severity": "severe",
    "urgency": "immediate",
    "certainty": "observed",
    "language": "vi",
}


def test_the_warnings_page_lists_bulletins_in_force_most_severe_first(client, operator, ward):
    minor = write(operator, headline="Nắng nóng", kind="weather", severity="minor")
    severe = write(operator, areas=[ward])
    write(operator, headline="Đã hết hạn", expires=NOW + timedelta(minutes=1))

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        page = client.get("/warnings/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(severe.headline) < html.index(minor.headline)
    assert "Đã hết hạn" not in html  # expired: dropped off
    assert "Các tuyến đường trũng thấp" in html  # where, in words
    assert 'id="warnings-map"' in html


def test_withdrawn_and_updated_bulletins_are_not_listed(client, operator):
    withdrawn = write(operator, headline="Rút lại")
    bulletin_cancel(bulletin=withdrawn, actor=operator)
    old = write(operator, headline="Bản cũ")
    new = write(operator, headline="Bản mới")
    Bulletin.objects.filter(pk=old.pk).update(superseded_by=new)

    html = client.get("/warnings/").content.decode()
    assert "Rút lại" not in html
    assert "Bản cũ" not in html
    assert "Bản mới" in html


def test_with_no_warning_the_page_says_so(client, db):
    html = client.get("/warnings/").content.decode()
    assert "Hiện không có cảnh báo nào đang có hiệu lực" in html
    assert 'id="warnings-map"' not in html


def test_the_detail_page_shows_what_to_do_and_where(client, operator, ward):
    bulletin = write(operator, areas=[ward])
    html = client.get(f"/warnings/{bulletin.pk}").content.decode()
    assert "Hạn chế di chuyển qua khu vực ngập." in html
    assert "Nhiều tuyến đường ngập sâu" in html
    assert "Phường Phú Xuân" in html
    assert 'id="warning-areas"' in html  # the ward's boundary for the map


def test_an_expired_bulletin_still_opens_and_says_it_expired(client, operator):
    bulletin = write(operator)
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        html = client.get(f"/warnings/{bulletin.pk}").content.decode()
    assert "đã hết hiệu lực lúc" in html
    assert client.get("/warnings/999999").status_code == 404


def test_the_area_map_data_has_the_shapes_of_the_bulletins_in_force(client, operator, ward):
    square = {
        "type": "Polygon",
        "coordinates": [[[107.5, 16.4], [107.6, 16.4], [107.6, 16.5], [107.5, 16.4]]],
    }
    write(operator, geometry=square, headline="Có vùng")
    write(operator, areas=[ward], area_description="", headline="Theo phường")
    data = client.get("/warnings/areas.geojson").json()
    titles = sorted(f["properties"]["title"] for f in data["features"])
    assert titles == ["Có vùng", "Theo phường"]
    assert all(f["properties"]["url"].startswith("/warnings/") for f in data["features"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"headline": " "}, "headline"),
        ({"expires": NOW - timedelta(minutes=1)}, "expires"),
        ({"onset": NOW + timedelta(days=2)}, "expires"),
        ({"area_description": ""}, "areas"),
        ({"geometry": {"type": "Point", "coordinates": [107.5, 16.4]}}, "geometry"),
        ({"severity": "apocalyptic"}, "severity"),
    ],
)
def test_an_incomplete_bulletin_is_refused(operator, changes, field):
    with pytest.raises(InvalidInput) as refused:
        write(operator, **changes)
    assert field in refused.value.fields


def test_only_operators_write_bulletins(leader):
    with pytest.raises(NotPermitted):
        write(leader)


# --- the console -------------------------------------------------------------------------------


def test_an_operator_publishes_a_bulletin_from_the_console(client, operator, ward):
    client.force_login(operator)
    assert client.get("/console/bulletins/new").status_code == 200
    response = client.post(
        "/console/bulletins/new",
        {
            "kind": "flood",
            "headline": "Lũ trên sông Bồ",
            "description": "Mực nước lên nhanh.",
            "instruction": "Sơ tán người dân vùng trũng.",
            "severity": "severe",
            "urgency": "immediate",
            "certainty": "observed",
            "expires": "2026-11-20T21:00",
            "areas": [ward.pk],
            "language": "vi",
        },
    )
    bulletin = Bulletin.objects.get()
    assert response["Location"] == reverse("warnings:detail", args=[bulletin.pk])
    assert bulletin.created_by == operator
    assert bulletin.expires == datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 21:00 in Huế
    assert list(bulletin.areas.all()) == [ward]
    assert "Lũ trên sông Bồ" in client.get("/warnings/").content.decode()


def test_the_console_form_shows_the_domains_problems_on_their_fields(client, operator):
    client.force_login(operator)
    response = client.post(
        "/console/bulletins/new",
        {**FLOOD_FORM, "expires": "2026-11-19T08:00"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert Bulletin.objects.count() == 0


@pytest.mark.parametrize(
    ("onset", "expires", "field"),
    [
        ("0001-01-01T00:00", "2026-11-20T21:00", "onset"),
        ("", "9999-12-31T23:59", "expires"),
    ],
)
def test_a_bulletin_dated_beyond_the_accepted_years_is_refused_on_its_field(
    client, operator, onset, expires, field
):
    client.force_login(operator)
    response = client.post(
        "/console/bulletins/new",
        {
            **FLOOD_FORM,
            "onset": onset,
            "expires": expires,
            "area_description": "Vùng trũng",
            "language": "en",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [
        "Use a date between 1900-01-01 and 2999-12-31."
    ]
    assert Bulletin.objects.count() == 0


def test_an_operator_withdraws_a_bulletin_and_leaders_may_only_look(client, operator, leader):
    bulletin = write(operator)
    client.force_login(leader)
    assert client.get("/console/bulletins/").status_code == 200
    assert client.get("/console/bulletins/new").status_code == 403
    assert client.post(f"/console/bulletins/{bulletin.pk}/cancel").status_code == 403

    client.force_login(operator)
    client.post(f"/console/bulletins/{bulletin.pk}/cancel")
    bulletin.refresh_from_db()
    assert bulletin.cancelled_at is not None


def test_citizens_cannot_open_the_console_bulletins(client, citizen):
    client.force_login(citizen)
    assert client.get("/console/bulletins/").status_code == 403


def test_a_deeply_nested_polygon_is_refused_on_its_field_not_with_a_500(client, operator, ward):
    client.force_login(operator)
    client.raise_request_exception = False
    response = client.post(
        "/console/bulletins/new",
        {
            **FLOOD_FORM,
            "expires": "2026-11-20T21:00",
            "areas": [ward.pk],
            "geometry": "[" * 100_000 + "]" * 100_000,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["geometry"] == ["Nội dung này không phải JSON hợp lệ."]
    assert Bulletin.objects.count() == 0
