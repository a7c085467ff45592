"""POST /api/v1/reports/{id}/reopen."""

import pytest

from cityops.api.tests.conftest import API, bearer
from cityops.reports.choices import EventKind, ReportStatus
from cityops.reports.models import ReportEvent

S = ReportStatus


def url(report_id):
    return f"{API}/reports/{report_id}/reopen"


def reopen(client, report, token, reason="Rác vẫn còn nguyên", **headers):
    return client.post(
        url(report.pk),
        {"reason": reason},
        content_type="application/json",
        headers={**bearer(token), **headers},
    )


@pytest.mark.django_db
def test_the_reporter_reopens_an_unsolved_result_and_it_goes_back_to_the_agency(
    api_client, resolved_report, token
):
    response = reopen(api_client, resolved_report, token)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["agency"]["name"] == "Sở Xây dựng"
    last = body["timeline"][-1]
    assert (last["kind"], last["note"]) == (EventKind.REOPENED, "Rác vẫn còn nguyên")


@pytest.mark.django_db
def test_reopening_needs_a_token(api_client, resolved_report):
    response = api_client.post(
        url(resolved_report.pk), {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_another_citizen_cannot_reopen_someone_elses_report(
    api_client, resolved_report, neighbour_token
):
    response = reopen(api_client, resolved_report, neighbour_token)
    assert response.status_code == 403
    resolved_report.refresh_from_db()
    assert resolved_report.status == S.RESOLVED


@pytest.mark.django_db
def test_someone_elses_rejected_report_is_not_found(
    api_client, make_report, citizen, neighbour_token
):
    report = make_report(S.REJECTED, reporter=citizen)
    assert reopen(api_client, report, neighbour_token).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.ACCEPTED, S.IN_PROGRESS, S.CLOSED])
def test_only_a_resolved_report_can_be_reopened(api_client, make_report, citizen, token, status):
    report = make_report(status, reporter=citizen)
    response = reopen(api_client, report, token)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "reason"), ({"reason": ""}, "reason"), ({"reason": "x" * 2001}, "reason")],
)
def test_a_reason_is_required(api_client, resolved_report, token, payload, field):
    response = api_client.post(
        url(resolved_report.pk), payload, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


@pytest.mark.django_db
def test_a_blank_reason_is_refused_by_the_workflow(api_client, resolved_report, token):
    response = reopen(api_client, resolved_report, token, reason="   ")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]


@pytest.mark.django_db
def test_a_retried_reopen_is_replayed_not_done_twice(api_client, resolved_report, token):
    first = reopen(api_client, resolved_report, token, **{"Idempotency-Key": "reopen-1"})
    retry = reopen(api_client, resolved_report, token, **{"Idempotency-Key": "reopen-1"})
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.content == first.content
    assert ReportEvent.objects.filter(kind=EventKind.REOPENED).count() == 1


@pytest.mark.django_db
def test_a_refusal_is_replayed_too(api_client, make_report, citizen, token):
    report = make_report(S.ACCEPTED, reporter=citizen)
    first = reopen(api_client, report, token, **{"Idempotency-Key": "early"})
    retry = reopen(api_client, report, token, **{"Idempotency-Key": "early"})
    assert first.status_code == retry.status_code == 409
    assert retry.headers["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_reopening_is_rate_limited(api_client, make_report, citizen, token, tight_limits):
    reports = [make_report(S.RESOLVED, reporter=citizen) for _ in range(3)]
    assert reopen(api_client, reports[0], token).status_code == 200
    assert reopen(api_client, reports[1], token).status_code == 200
    refused = reopen(api_client, reports[2], token)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "50"
