"""PUT and DELETE /api/v1/reports/{id}/follow."""

import pytest

from cityops.api.tests.conftest import API, bearer
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Follow

S = ReportStatus


def url(report_id):
    return f"{API}/reports/{report_id}/follow"


@pytest.mark.django_db
def test_a_citizen_follows_a_public_report_once_however_often_they_ask(
    api_client, make_report, neighbour, neighbour_token
):
    report = make_report(S.IN_PROGRESS)
    for _ in range(2):
        response = api_client.put(url(report.pk), headers=bearer(neighbour_token))
        assert response.status_code == 200
        assert response.json() == {"report": report.pk, "following": True}
    assert Follow.objects.filter(report=report, user=neighbour).count() == 1


@pytest.mark.django_db
def test_a_citizen_stops_following(api_client, make_report, neighbour, neighbour_token):
    report = make_report(S.IN_PROGRESS)
    api_client.put(url(report.pk), headers=bearer(neighbour_token))
    response = api_client.delete(url(report.pk), headers=bearer(neighbour_token))
    assert response.status_code == 200
    assert response.json() == {"report": report.pk, "following": False}
    assert not Follow.objects.filter(user=neighbour).exists()
    again = api_client.delete(url(report.pk), headers=bearer(neighbour_token))
    assert again.json()["following"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete"])
def test_following_needs_a_token(api_client, make_report, method):
    report = make_report(S.ACCEPTED)
    response = getattr(api_client, method)(url(report.pk))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete"])
def test_unpublished_reports_of_others_cannot_be_followed(
    api_client, make_report, citizen, neighbour_token, method
):
    report = make_report(S.SUBMITTED, reporter=citizen)
    response = getattr(api_client, method)(url(report.pk), headers=bearer(neighbour_token))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_report_number_must_be_a_number(api_client, token):
    response = api_client.put(url("latest"), headers=bearer(token))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["report_id"]


@pytest.mark.django_db
def test_following_is_rate_limited(api_client, make_report, neighbour_token, tight_limits):
    report = make_report(S.ACCEPTED)
    assert api_client.put(url(report.pk), headers=bearer(neighbour_token)).status_code == 200
    assert api_client.delete(url(report.pk), headers=bearer(neighbour_token)).status_code == 200
    refused = api_client.put(url(report.pk), headers=bearer(neighbour_token))
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "50"
