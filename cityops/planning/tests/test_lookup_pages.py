"""The public lookup: the form without JavaScript, the map's answer, the extract, the limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from cityops.agencies.tests.factories import AreaFactory
from cityops.planning import public_views
from cityops.platform.ratelimit import Rate

from .conftest import INSIDE_BLOCK, OUTSIDE

pytestmark = pytest.mark.django_db
LON, LAT = INSIDE_BLOCK
STATIC = Path(public_views.__file__).parent / "static" / "planning"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_empty_page_offers_the_form_the_map_and_the_layers(en_client, phu_hoi):
    page = en_client.get(reverse("planning:lookup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="q"' in html
    assert 'id="planning-map"' in html
    assert 'data-slug="phan-khu-phu-hoi"' in html  # the layer offered on the map
    assert "1 published plan" in _text(page)
    assert "planning/lookup.js" in html
    assert "<script>" not in html
    assert "There is no street-address search" in html


def test_typed_coordinates_answer_with_use_zone_plan_decision_version_and_date(en_client, phu_hoi):
    page = en_client.get(reverse("planning:lookup"), {"q": f"{LAT}, {LON}"})
    assert page.status_code == 200
    text = _text(page)
    for expected in ("ODT", "Đất ở tại đô thị", "ODT-12",
                     "Quy hoạch phân khu khu vực Phú Hội", "No. 1234/QĐ-UBND of 02/05/2024",
                     "UBND tỉnh Thừa Thiên Huế",
                     "Điều chỉnh lần 2", "15/01/2025", "not a planning certificate"):  # fmt: skip
        assert expected in text, expected
    assert 'fill="#ffa0aa"' in page.content.decode()  # the colour swatch of ODT
    assert f"extract?lat={LAT:.6f}&amp;lon={LON:.6f}" in page.content.decode()


def test_every_overlapping_layer_is_listed(en_client, phu_hoi, district):
    text = _text(en_client.get(reverse("planning:lookup"), {"lat": LAT, "lon": LON}))
    assert "2 published layers cover this spot" in text
    assert text.index("ODT-12") < text.index("TM-1")  # the newer plan first
    assert "649/QĐ-TTg" in text


def test_a_spot_no_plan_covers_says_so(en_client, phu_hoi):
    text = _text(en_client.get(reverse("planning:lookup"), {"lat": OUTSIDE[1], "lon": OUTSIDE[0]}))
    assert "No published zoning map covers this spot" in text


def test_a_bad_position_is_refused_with_its_reason_and_the_form_kept(en_client, phu_hoi):
    page = en_client.get(reverse("planning:lookup"), {"q": "16 75 0 N 107 0 0 E"})
    assert page.status_code == 400
    assert "Minutes and seconds must be below 60." in _text(page)
    assert 'aria-invalid="true"' in page.content.decode()
    far = en_client.get(reverse("planning:lookup"), {"q": "48.85, 2.35"})
    assert "outside Vietnam" in _text(far)


def test_a_ward_name_answers_at_its_centre_and_a_zone_code_inside_the_zone(en_client, phu_hoi):
    AreaFactory(name="Phường Phú Hội", centroid_lat=LAT, centroid_lon=LON)
    text = _text(en_client.get(reverse("planning:lookup"), {"q": "Phú Hội"}))
    assert "Phường Phú Hội" in text
    assert "ODT-12" in text
    text = _text(en_client.get(reverse("planning:lookup"), {"q": "DGT-03"}))
    assert "Đất công trình giao thông" in text


def test_a_name_found_nowhere_says_what_the_search_can_find(en_client, phu_hoi):
    text = _text(en_client.get(reverse("planning:lookup"), {"q": "12 Lê Lợi"}))
    assert "No ward, commune or zone code matches this name" in text


def test_the_map_s_answer_is_the_answer_alone(en_client, phu_hoi):
    part = en_client.get(reverse("planning:answer"), {"lat": LAT, "lon": LON})
    assert part.status_code == 200
    assert "<html" not in part.content.decode()
    assert "ODT-12" in _text(part)
    assert en_client.get(reverse("planning:answer"), {"lat": "x", "lon": "1"}).status_code == 400


def test_the_extract_draws_the_zone_and_the_point_with_the_disclaimer(en_client, phu_hoi):
    page = en_client.get(reverse("planning:extract"), {"lat": LAT, "lon": LON})
    assert page.status_code == 200
    html, text = page.content.decode(), _text(page)
    assert re.search(r'<path d="M[\d.]+,[\d.]+ L', html)  # the zone's outline
    assert "<circle" in html  # the point
    assert "Printed:" in text
    assert "ODT-12" in text
    assert "No. 1234/QĐ-UBND of 02/05/2024" in text
    assert "It is not a planning certificate and has no legal value" in text
    assert "Department of Construction" in text  # where to get the official one
    assert "planning/planning.css" in html
    assert "@media print" in (STATIC / "planning.css").read_text()


def test_lookups_are_rate_limited_per_address(en_client, phu_hoi, monkeypatch):
    monkeypatch.setattr(public_views, "PER_IP", Rate(3, 60))
    url = reverse("planning:answer")
    answers = [en_client.get(url, {"lat": LAT, "lon": LON}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert en_client.get(reverse("planning:lookup")).status_code == 200  # the empty page is free
