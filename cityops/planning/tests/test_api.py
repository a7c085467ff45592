"""GET /api/v1/planning/lookup: the page's answer as JSON."""

import pytest

from .conftest import INSIDE_BLOCK

pytestmark = pytest.mark.django_db
LON, LAT = INSIDE_BLOCK


def test_the_api_answers_every_published_layer_at_the_point(en_client, phu_hoi, district):
    answer = en_client.get("/api/v1/planning/lookup", {"lat": LAT, "lon": LON})
    assert answer.status_code == 200
    zones = answer.json()["zones"]
    assert [(z["layer"], z["use_code"], z["zone_code"]) for z in zones] == [
        ("phan-khu-phu-hoi", "ODT", "ODT-12"),
        ("quy-hoach-chung", "TMD", "TM-1"),
    ]
    first = zones[0]
    assert first["decision_number"] == "1234/QĐ-UBND"
    assert first["decision_date"] == "2024-05-02"
    assert first["as_of"] == "2025-01-15"
    assert first["plan_version"] == "Điều chỉnh lần 2"
    assert first["attributes"] == {"dien_tich": 9000, "ghi_chu": "Mật độ xây dựng 60%"}


def test_a_bad_point_is_refused_with_the_reason(en_client, phu_hoi):
    answer = en_client.get("/api/v1/planning/lookup", {"lat": "abc", "lon": "107.59"})
    assert answer.status_code == 400
    assert "decimal degrees" in answer.json()["message"]
    far = en_client.get("/api/v1/planning/lookup", {"lat": "48.85", "lon": "2.35"})
    assert far.status_code == 400
    assert "outside Vietnam" in far.json()["message"]
