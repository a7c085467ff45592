"""The text intelligence endpoints: a category suggestion, and similar reports."""

from __future__ import annotations

import pytest

from cityops.api.tests.conftest import API, bearer
from cityops.reports.choices import ReportStatus

pytestmark = pytest.mark.django_db

S = ReportStatus
LAT, LON = 16.4637, 107.5909
POTHOLE = "Ổ gà lớn giữa đường Lê Lợi, xe máy té mấy lần rồi"


def classify(client, text, **headers):
    return client.post(
        f"{API}/classify", {"text": text}, content_type="application/json", headers=headers
    )


def test_classify_suggests_the_category_of_an_unaccented_report(api_client, trained):
    response = classify(api_client, "rac thai do trom ben bo song huong boc mui hoi thoi qua")

    body = response.json()
    assert response.status_code == 200
    assert body["category"] == "sanitation"
    assert 0.5 < body["confidence"] <= 1
    assert body["reason"] == ""
    assert len(body["candidates"]) == 3
    assert body["candidates"][0] == {"category": "sanitation", "score": body["confidence"]}
    scores = [c["score"] for c in body["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_classify_answers_an_empty_text_with_no_category_instead_of_an_error(api_client, trained):
    response = classify(api_client, "  🙏 ")

    assert response.status_code == 200
    assert response.json() == {
        "category": None,
        "confidence": 0.0,
        "candidates": [],
        "reason": "empty",
        "priority": {"level": "normal", "cues": []},
    }


@pytest.mark.parametrize(
    ("text", "level", "cues"),
    [
        ("Nước ngập sâu đến đầu gối ở kiệt 12 Nguyễn Trãi", "urgent", ["ngập sâu"]),
        ("cay do chan ngang duong Hung Vuong", "urgent", ["cây đổ, gãy cành"]),
        ("Va chạm giao thông nhẹ, không ai bị thương", "normal", []),
    ],
)
def test_classify_also_suggests_a_priority_with_its_cues(api_client, trained, text, level, cues):
    body = classify(api_client, text).json()

    assert body["priority"] == {"level": level, "cues": cues}


def test_classify_gives_a_one_word_text_a_low_confidence(api_client, trained):
    body = classify(api_client, "rác").json()

    assert body["reason"] == "too_short"
    assert body["confidence"] <= 0.35
    assert len(body["candidates"]) == 3


def test_classify_refuses_a_missing_text_or_unknown_fields(api_client):
    response = api_client.post(f"{API}/classify", {"txt": "rác"}, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"text", "txt"}


def test_classify_is_rate_limited_per_address(api_client, trained, tight_limits):
    statuses = [classify(api_client, "rác ở chợ Đông Ba").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.fixture
def pothole(make_report, citizen):
    return make_report(S.ACCEPTED, description=POTHOLE, lat=LAT, lon=LON, reporter=citizen)


def test_similar_to_a_report_lists_public_reports_nearby_best_first(
    api_client, make_report, pothole
):
    same = make_report(
        S.IN_PROGRESS, description="Ổ gà giữa đường Lê Lợi", lat=LAT + 0.0002, lon=LON
    )
    make_report(S.SUBMITTED, description=POTHOLE, lat=LAT, lon=LON)  # not reviewed yet
    make_report(S.REJECTED, description=POTHOLE, lat=LAT, lon=LON)  # hidden
    far = make_report(S.ACCEPTED, description=POTHOLE, lat=LAT + 0.01, lon=LON)  # 1.1 km

    response = api_client.get(f"{API}/reports/{pothole.pk}/similar")

    body = response.json()
    assert response.status_code == 200
    assert [found["report"]["id"] for found in body] == [same.pk]
    assert body[0]["distance_m"] == pytest.approx(22.3, abs=0.5)
    assert 0 < body[0]["score"] <= 1
    assert body[0]["report"]["description"] == "Ổ gà giữa đường Lê Lợi"
    assert far.pk not in [found["report"]["id"] for found in body]


def test_similar_to_a_report_the_caller_may_not_see_is_not_found(api_client, make_report):
    waiting = make_report(S.SUBMITTED, description=POTHOLE, lat=LAT, lon=LON)

    response = api_client.get(f"{API}/reports/{waiting.pk}/similar")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_similar_masks_personal_data_in_the_reports_it_lists(api_client, make_report, pothole):
    make_report(S.ACCEPTED, description="Ổ gà Lê Lợi, gọi 0905 123 456", lat=LAT, lon=LON)

    body = api_client.get(f"{API}/reports/{pothole.pk}/similar").json()

    assert body[0]["report"]["description"] == "Ổ gà Lê Lợi, gọi 090•••••56"


def test_similar_to_a_draft_lists_public_reports_and_the_callers_own(
    api_client, make_report, pothole, citizen, token
):
    waiting = make_report(S.SUBMITTED, description=POTHOLE, lat=LAT, lon=LON, reporter=citizen)
    draft = {"lat": LAT, "lon": LON, "text": "o ga le loi", "category": "sanitation"}

    anonymous = api_client.post(f"{API}/reports/similar", draft, content_type="application/json")
    signed_in = api_client.post(
        f"{API}/reports/similar", draft, content_type="application/json", headers=bearer(token)
    )

    assert anonymous.status_code == 200
    assert [found["report"]["id"] for found in anonymous.json()] == [pothole.pk]
    assert {found["report"]["id"] for found in signed_in.json()} == {pothole.pk, waiting.pk}
    assert anonymous.json()[0]["distance_m"] == 0.0


def test_similar_to_a_draft_needs_a_place(api_client):
    response = api_client.post(
        f"{API}/reports/similar", {"text": "ổ gà"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"lat", "lon"}


def test_similar_to_a_draft_is_rate_limited_per_address(api_client, tight_limits):
    draft = {"lat": LAT, "lon": LON, "text": "ổ gà"}
    statuses = [
        api_client.post(
            f"{API}/reports/similar", draft, content_type="application/json"
        ).status_code
        for _ in range(3)
    ]

    assert statuses == [200, 200, 429]
