"""GET /api/v1/reports/mine: the signed-in citizen's own reports."""

import pytest

from cityops.api.tests.conftest import API, bearer
from cityops.reports.choices import ReportStatus

URL = f"{API}/reports/mine"
S = ReportStatus


@pytest.mark.django_db
def test_mine_lists_my_reports_in_every_status_with_my_contact_details(
    api_client, make_report, citizen, neighbour, token
):
    rejected = make_report(S.REJECTED, reporter=citizen, contact_phone="0901234567")
    waiting = make_report(S.SUBMITTED, reporter=citizen, is_anonymous=True)
    make_report(S.ACCEPTED, reporter=neighbour)
    make_report(S.ACCEPTED)
    response = api_client.get(URL, headers=bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["id"] for r in body["results"]] == [waiting.pk, rejected.pk]
    mine = {r["id"]: r for r in body["results"]}
    assert mine[rejected.pk]["status"] == "rejected"
    assert mine[rejected.pk]["status_group"] == "hidden"
    assert mine[rejected.pk]["rejection_reason"] == "spam"
    assert mine[rejected.pk]["contact_phone"] == "0901234567"
    assert mine[waiting.pk]["is_anonymous"] is True
    assert mine[waiting.pk]["rejection_reason"] is None


@pytest.mark.django_db
def test_mine_is_paged_like_the_public_list(api_client, make_report, citizen, token):
    for _ in range(3):
        make_report(S.SUBMITTED, reporter=citizen)
    body = api_client.get(URL, {"page_size": 2, "page": 2}, headers=bearer(token)).json()
    assert (body["count"], body["page"], body["page_size"], len(body["results"])) == (3, 2, 2, 1)
    too_big = api_client.get(URL, {"page_size": 500}, headers=bearer(token))
    assert too_big.status_code == 400
    assert list(too_big.json()["fields"]) == ["page_size"]


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, bearer("cot_forged"), {"X-API-Key": "co_anything"}])
def test_mine_needs_a_citizens_token(api_client, headers):
    response = api_client.get(URL, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_an_api_key_alone_has_no_reports_of_its_own(api_client, api_key):
    assert api_client.get(URL, headers={"X-API-Key": api_key}).status_code == 401
