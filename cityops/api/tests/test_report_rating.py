"""POST /api/v1/reports/{id}/rating."""

import pytest

from cityops.api.tests.conftest import API, bearer
from cityops.reports.choices import EventKind, ReportStatus
from cityops.reports.models import Rating

S = ReportStatus


def url(report_id):
    return f"{API}/reports/{report_id}/rating"


def rate(client, report, token, **payload):
    payload.setdefault("value", "satisfied")
    return client.post(
        url(report.pk), payload, content_type="application/json", headers=bearer(token)
    )


@pytest.mark.django_db
def test_the_reporter_rates_the_result_and_a_satisfied_rating_closes_the_report(
    api_client, resolved_report, token
):
    response = rate(api_client, resolved_report, token, comment="Cảm ơn, sạch sẽ")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "closed"
    assert body["rating"]["value"] == "satisfied"
    assert body["rating"]["comment"] == "Cảm ơn, sạch sẽ"
    assert body["timeline"][-1]["kind"] == EventKind.RATED
    assert Rating.objects.get().report == resolved_report


@pytest.mark.django_db
def test_an_unsatisfied_rating_leaves_the_report_resolved_to_be_reopened(
    api_client, resolved_report, token
):
    response = rate(api_client, resolved_report, token, value="unsatisfied")
    assert response.status_code == 201
    assert response.json()["status"] == "resolved"


@pytest.mark.django_db
def test_rating_needs_a_token(api_client, resolved_report):
    response = api_client.post(
        url(resolved_report.pk), {"value": "satisfied"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_another_citizen_cannot_rate_someone_elses_report(
    api_client, resolved_report, neighbour_token
):
    response = rate(api_client, resolved_report, neighbour_token)
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_someone_elses_unpublished_report_is_not_even_found(
    api_client, make_report, citizen, neighbour_token
):
    report = make_report(S.SUBMITTED, reporter=citizen)
    assert rate(api_client, report, neighbour_token).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.ACCEPTED, S.IN_PROGRESS, S.CLOSED])
def test_only_a_resolved_report_can_be_rated(api_client, make_report, citizen, token, status):
    report = make_report(status, reporter=citizen)
    response = rate(api_client, report, token)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"value": "great"}, "value"),
        ({"comment": "x" * 2001}, "comment"),
        ({"value": "satisfied", "stars": 5}, "stars"),
    ],
)
def test_an_invalid_rating_is_refused_per_field(api_client, resolved_report, token, payload, field):
    response = api_client.post(
        url(resolved_report.pk), payload, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]


@pytest.mark.django_db
def test_a_missing_rating_value_is_a_field_error(api_client, resolved_report, token):
    response = api_client.post(
        url(resolved_report.pk), {}, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"value": ["Field required"]}


@pytest.mark.django_db
def test_a_retried_rating_is_replayed_not_recorded_twice(api_client, resolved_report, token):
    headers = {**bearer(token), "Idempotency-Key": "rate-once"}
    payload = {"value": "satisfied"}
    first = api_client.post(
        url(resolved_report.pk), payload, content_type="application/json", headers=headers
    )
    retry = api_client.post(
        url(resolved_report.pk), payload, content_type="application/json", headers=headers
    )
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert Rating.objects.count() == 1
    other = api_client.post(
        url(resolved_report.pk),
        {"value": "acceptable"},
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"


@pytest.mark.django_db
def test_ratings_are_rate_limited(api_client, make_report, citizen, token, tight_limits):
    reports = [make_report(S.RESOLVED, reporter=citizen) for _ in range(3)]
    assert rate(api_client, reports[0], token).status_code == 201
    assert rate(api_client, reports[1], token).status_code == 201
    refused = rate(api_client, reports[2], token)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "50"
