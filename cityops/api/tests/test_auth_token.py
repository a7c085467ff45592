"""POST and DELETE /api/v1/auth/token."""

import pytest

from cityops.accounts.models import ApiToken
from cityops.accounts.services import token_issue
from cityops.accounts.tests.factories import UserFactory
from cityops.api.tests.conftest import API, bearer

URL = f"{API}/auth/token"
PASSWORD = "correct horse battery"  # UserFactory's


def obtain(client, login, password=PASSWORD, **extra):
    return client.post(
        URL, {"login": login, "password": password, **extra}, content_type="application/json"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["citizen", "citizen@example.vn", "+84 90 123 4567"])
def test_a_citizen_obtains_a_token_with_username_email_or_phone(api_client, login):
    UserFactory(username="citizen", email="citizen@example.vn", phone="0901234567")
    response = obtain(api_client, login, name="Zalo mini app")
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("cot_")
    assert body == {
        "token": body["token"],
        "token_type": "Bearer",
        "name": "Zalo mini app",
        "expires": None,
    }
    assert ApiToken.objects.get().name == "Zalo mini app"


@pytest.mark.django_db
def test_the_token_opens_the_citizens_own_endpoints(api_client, citizen):
    token = obtain(api_client, "citizen").json()["token"]
    assert api_client.get(f"{API}/reports/mine", headers=bearer(token)).status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(api_client, citizen):
    response = obtain(api_client, "citizen", password="wrong")
    assert response.status_code == 401
    assert response.json() == {
        "code": "invalid_credentials",
        "message": "Wrong login or password.",
        "fields": {},
    }
    assert obtain(api_client, "nobody").json()["message"] == "Wrong login or password."
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_inactive_account_gets_no_token(api_client):
    UserFactory(username="gone", is_active=False)
    assert obtain(api_client, "gone").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": PASSWORD}, "login"),
        ({"login": "citizen"}, "password"),
        ({"login": "", "password": PASSWORD}, "login"),
        ({"login": "citizen", "password": PASSWORD, "name": "x" * 101}, "name"),
        ({"login": "citizen", "password": PASSWORD, "remember": True}, "remember"),
        ({"login": "citi\x00zen", "password": PASSWORD}, "login"),
    ],
)
def test_a_malformed_sign_in_is_refused_per_field(api_client, citizen, payload, field):
    response = api_client.post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_refused(api_client):
    response = api_client.post(URL, "login=citizen", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "body": ["The body is not valid JSON: Expecting value: line 1 column 1 (char 0)."]
    }


@pytest.mark.django_db
def test_revoking_ends_the_token_used_and_only_that_one(api_client, citizen):
    first = obtain(api_client, "citizen").json()["token"]
    second = obtain(api_client, "citizen").json()["token"]
    response = api_client.delete(URL, headers=bearer(first))
    assert response.status_code == 204
    assert response.content == b""
    again = api_client.get(f"{API}/reports/mine", headers=bearer(first))
    assert again.status_code == 401
    assert again.json()["code"] == "unauthenticated"
    assert api_client.get(f"{API}/reports/mine", headers=bearer(second)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, bearer("cot_nope"), {"Authorization": "Basic eDp5"}])
def test_revoking_needs_a_valid_bearer_token(api_client, headers):
    response = api_client.delete(URL, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_sign_in_attempts_are_rate_limited_per_address(api_client, citizen, tight_limits, settings):
    # Failures per account are counted too (test_sign_in_throttling.py); here only the address.
    settings.CITYOPS_RATE_LIMITS["login_failures_per_account"] = "100/m"
    assert obtain(api_client, "citizen", password="guess-1").status_code == 401
    assert obtain(api_client, "citizen", password="guess-2").status_code == 401
    refused = obtain(api_client, "citizen")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused.headers["Retry-After"] == "50"
    other_address = api_client.post(
        URL,
        {"login": "citizen", "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert other_address.status_code == 201


@pytest.mark.django_db
def test_issuing_a_token_is_never_replayed_so_no_secret_is_stored(api_client, citizen):
    headers = {"Idempotency-Key": "same"}
    body = {"login": "citizen", "password": PASSWORD}
    first = api_client.post(URL, body, content_type="application/json", headers=headers)
    second = api_client.post(URL, body, content_type="application/json", headers=headers)
    assert first.json()["token"] != second.json()["token"]
    assert ApiToken.objects.count() == 2


@pytest.mark.django_db
def test_revoking_is_rate_limited_like_other_writes(api_client, citizen, tight_limits):
    tokens = [token_issue(user=citizen).secret for _ in range(3)]
    for token in tokens[:2]:
        assert api_client.delete(URL, headers=bearer(token)).status_code == 204
    refused = api_client.delete(URL, headers=bearer(tokens[2]))
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "50"
