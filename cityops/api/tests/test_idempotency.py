"""The Idempotency-Key guard, the same for every write route."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cityops.api.routers import reports as reports_router
from cityops.api.tests.conftest import API, bearer
from cityops.reports.choices import EventKind, ReportStatus
from cityops.reports.models import Follow, Rating, Report, ReportEvent

S = ReportStatus


@pytest.fixture
def writes(category, resolved_report, make_report):
    """Each write route: (method, path, JSON body, another body, how many effects so far)."""
    public = make_report(S.ACCEPTED)
    other = make_report(S.ACCEPTED)
    return {
        "submit": (
            "post",
            f"{API}/reports",
            {"category": "sanitation", "description": "Rác", "address": "Lê Lợi"},
            {"category": "sanitation", "description": "Nước", "address": "Lê Lợi"},
            lambda: Report.objects.filter(channel="app").count(),
        ),
        "rate": (
            "post",
            f"{API}/reports/{resolved_report.pk}/rating",
            {"value": "unsatisfied"},
            {"value": "satisfied"},
            lambda: Rating.objects.count(),
        ),
        "reopen": (
            "post",
            f"{API}/reports/{resolved_report.pk}/reopen",
            {"reason": "Chưa xong"},
            {"reason": "Vẫn còn"},
            lambda: ReportEvent.objects.filter(kind=EventKind.REOPENED).count(),
        ),
        "follow": (
            "put",
            f"{API}/reports/{public.pk}/follow",
            None,
            f"{API}/reports/{other.pk}/follow",
            lambda: Follow.objects.filter(report=public).count(),
        ),
        "unfollow": (
            "delete",
            f"{API}/reports/{public.pk}/follow",
            None,
            f"{API}/reports/{other.pk}/follow",
            lambda: 0,
        ),
    }


def call(client, method, path, body, headers):
    if body is None:
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(path, body, content_type="application/json", headers=headers)


ROUTES = ["submit", "rate", "reopen", "follow", "unfollow"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_a_retry_with_the_same_key_gets_the_first_response_and_writes_nothing(
    api_client, token, writes, route
):
    method, path, body, _, effects = writes[route]
    headers = {**bearer(token), "Idempotency-Key": f"key-{route}"}
    first = call(api_client, method, path, body, headers)
    assert first.status_code < 300, first.json()
    done = effects()
    retry = call(api_client, method, path, body, headers)
    assert retry.status_code == first.status_code
    assert retry.content == first.content
    assert retry["Content-Type"] == first["Content-Type"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert effects() == done


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_the_same_key_for_another_request_is_refused(api_client, token, writes, route):
    method, path, body, other, _ = writes[route]
    headers = {**bearer(token), "Idempotency-Key": f"key-{route}"}
    call(api_client, method, path, body, headers)
    if body is None:
        response = call(api_client, method, other, None, headers)
    else:
        response = call(api_client, method, path, other, headers)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "k" * 256])
def test_a_key_must_be_1_to_255_characters(api_client, category, key):
    response = api_client.post(
        f"{API}/reports",
        {"category": "sanitation", "description": "Rác", "address": "Lê Lợi"},
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["Idempotency-Key"]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_keys_belong_to_their_caller(api_client, token, neighbour_token, category):
    body = {"category": "sanitation", "description": "Rác", "address": "Lê Lợi"}
    for who in (token, neighbour_token):
        response = api_client.post(
            f"{API}/reports",
            body,
            content_type="application/json",
            headers={**bearer(who), "Idempotency-Key": "shared"},
        )
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response.headers
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_a_failure_on_our_side_releases_the_key_so_the_retry_runs(
    api_client, token, category, monkeypatch
):
    real_receive = reports_router.report_receive
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        return real_receive(**kwargs)

    monkeypatch.setattr(reports_router, "report_receive", flaky)
    api_client.raise_request_exception = False
    headers = {**bearer(token), "Idempotency-Key": "after-crash"}
    body = {"category": "sanitation", "description": "Rác", "address": "Lê Lợi"}
    first = api_client.post(
        f"{API}/reports", body, content_type="application/json", headers=headers
    )
    assert first.status_code == 500
    retry = api_client.post(
        f"{API}/reports", body, content_type="application/json", headers=headers
    )
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_refusal_for_bad_credentials_is_not_kept(api_client, token, category):
    body = {"category": "sanitation", "description": "Rác", "address": "Lê Lợi"}
    refused = api_client.post(
        f"{API}/reports",
        body,
        content_type="application/json",
        headers={**bearer("cot_typo"), "Idempotency-Key": "k"},
    )
    assert refused.status_code == 401
    fixed = api_client.post(
        f"{API}/reports",
        body,
        content_type="application/json",
        headers={**bearer(token), "Idempotency-Key": "k"},
    )
    assert fixed.status_code == 201


@pytest.mark.django_db
def test_validation_refusals_are_kept_and_replayed(api_client, category):
    headers = {"Idempotency-Key": "invalid-once"}
    body = {"category": "sanitation", "description": ""}
    first = api_client.post(
        f"{API}/reports", body, content_type="application/json", headers=headers
    )
    retry = api_client.post(
        f"{API}/reports", body, content_type="application/json", headers=headers
    )
    assert first.status_code == retry.status_code == 400
    assert retry.content == first.content
    assert retry.headers["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_without_a_key_every_request_writes(api_client, category):
    body = {"category": "sanitation", "description": "Rác", "address": "Lê Lợi"}
    for _ in range(2):
        api_client.post(f"{API}/reports", body, content_type="application/json")
    assert Report.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_requests_sent_at_once_with_one_key_write_once_and_get_one_answer(
    token, category, monkeypatch
):
    """The second waits on the first's reservation until it commits, then gets its answer."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (the PostgreSQL pass runs this)")
    real_receive = reports_router.report_receive
    inside = threading.Event()

    def slow(**kwargs):
        inside.set()
        time.sleep(0.5)  # the second request arrives while the first is writing
        return real_receive(**kwargs)

    monkeypatch.setattr(reports_router, "report_receive", slow)
    headers = {**bearer(token), "Idempotency-Key": "twice-at-once"}
    body = {"category": "sanitation", "description": "Rác", "address": "Lê Lợi"}
    answers = {}

    def send(name):
        try:
            answers[name] = Client().post(
                f"{API}/reports", body, content_type="application/json", headers=headers
            )
        finally:
            connection.close()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert inside.wait(timeout=10)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    first.join(timeout=20)
    second.join(timeout=20)

    assert (answers["first"].status_code, answers["second"].status_code) == (201, 201)
    assert answers["second"]["Idempotent-Replayed"] == "true"
    assert answers["second"].content == answers["first"].content
    assert Report.objects.count() == 1


# Authentication comes before any replay, and a key belongs to the credentials that used it.


@pytest.fixture
def station(db):
    from cityops.monitoring.tests.factories import SensorFactory

    return SensorFactory(code="hue-aq-01")


def _readings(client, headers):
    observed_at = (timezone.now() - timedelta(minutes=5)).replace(second=0, microsecond=0)
    body = {"observed_at": observed_at.isoformat(), "values": {"pm25": 35.2}}
    return client.post(
        f"{API}/sensors/hue-aq-01/readings", body, content_type="application/json", headers=headers
    )


@pytest.mark.django_db
def test_a_kept_answer_is_not_replayed_to_a_request_without_the_api_key(
    api_client, station, api_key, token
):
    first = _readings(
        api_client, {"X-API-Key": api_key, **bearer(token), "Idempotency-Key": "gateway-1"}
    )
    assert first.status_code == 202

    without_key = _readings(api_client, {**bearer(token), "Idempotency-Key": "gateway-1"})
    assert without_key.status_code == 401
    assert without_key.json()["code"] == "unauthenticated"
    assert "Idempotent-Replayed" not in without_key.headers


@pytest.mark.django_db
def test_a_revoked_key_gets_401_not_the_answer_it_was_given(api_client, station):
    from cityops.accounts.services import apikey_create, apikey_revoke

    created = apikey_create(name="gateway")
    headers = {"X-API-Key": created.secret, "Idempotency-Key": "gateway-2"}
    assert _readings(api_client, headers).status_code == 202
    apikey_revoke(api_key=created.api_key)

    assert _readings(api_client, headers).status_code == 401


@pytest.mark.django_db
def test_the_same_key_from_another_api_key_is_another_request(api_client, station, api_key, token):
    from cityops.accounts.services import apikey_create

    other_key = apikey_create(name="another gateway").secret
    _readings(api_client, {"X-API-Key": api_key, **bearer(token), "Idempotency-Key": "shared"})

    other = _readings(
        api_client, {"X-API-Key": other_key, **bearer(token), "Idempotency-Key": "shared"}
    )
    assert other.status_code == 202
    assert "Idempotent-Replayed" not in other.headers
    assert other.json()["duplicates"] == 1  # it ran: the reading was already stored


@pytest.mark.django_db
def test_the_same_key_from_another_token_of_the_same_person_is_another_request(
    api_client, citizen, token, category
):
    from cityops.accounts.services import token_issue

    tablet = token_issue(user=citizen, name="tablet").secret
    body = {"category": "sanitation", "description": "Rác", "address": "Lê Lợi"}
    for who in (token, tablet):
        response = api_client.post(
            f"{API}/reports",
            body,
            content_type="application/json",
            headers={**bearer(who), "Idempotency-Key": "one-key"},
        )
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response.headers
    assert Report.objects.count() == 2
