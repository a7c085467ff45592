"""Every refusal has the same shape: {"code", "message", "fields"}."""

import re

import pytest
from django.test import Client

from cityops.api.routers import categories
from cityops.api.tests.conftest import API
from cityops.reports.tests.factories import CategoryFactory


def assert_error_shape(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["fields"], dict)
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/nothing", "/reports/1/comments", "/reports/"])
def test_an_unknown_path_under_the_api_is_a_json_404(api_client, path):
    assert_error_shape(api_client.get(f"{API}{path}"), 404, "not_found")


@pytest.mark.django_db
def test_an_unsupported_method_is_a_json_405_naming_the_allowed_ones(api_client):
    response = api_client.patch(f"{API}/reports/1")
    assert_error_shape(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.django_db
def test_validation_errors_are_400_not_422_with_messages_per_field(api_client):
    body = assert_error_shape(api_client.get(f"{API}/reports", {"page": "x"}), 400, "invalid")
    assert body["fields"] == {
        "page": ["Input should be a valid integer, unable to parse string as an integer"]
    }


@pytest.mark.django_db
def test_an_unexpected_failure_is_a_json_500_and_is_logged(monkeypatch, caplog):
    def broken(category):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(categories.CategoryOut, "of", broken)
    CategoryFactory()
    client = Client(raise_request_exception=False)
    response = client.get(f"{API}/categories")
    body = assert_error_shape(response, 500, "server_error")
    assert "fire" not in body["message"]
    assert "database on fire" in caplog.text


@pytest.mark.django_db
def test_a_malformed_multipart_body_is_a_400(api_client):
    response = api_client.generic(
        "POST",
        f"{API}/reports",
        b"--nope\r\nbroken",
        content_type="multipart/form-data",
    )
    assert_error_shape(response, 400, "invalid")


@pytest.mark.django_db
def test_the_api_root_points_to_its_description_and_docs(api_client):
    body = api_client.get(f"{API}/").json()
    assert body == {
        "title": "CityOps API",
        "version": "1",
        "openapi": "http://testserver/api/v1/openapi.json",
        "docs": "http://testserver/api/v1/docs",
    }


# Bodies that are not JSON, or are nested absurdly deep: a 400 that says so, on every route
# that reads JSON, with and without an Idempotency-Key (whose guard reads the body first).

DEEP = "[" * 100_000 + "]" * 100_000
JSON_ROUTES = ["/reports", "/cameras/hue-cam-01/events", "/sensors/hue-aq-01/readings"]


@pytest.fixture
def json_routes_ready(db, category):
    from cityops.monitoring.tests.factories import SensorFactory

    SensorFactory(code="hue-aq-01")
    SensorFactory(code="hue-cam-01", kind="camera")


@pytest.mark.django_db
@pytest.mark.parametrize("idempotency", [{}, {"Idempotency-Key": "deep-1"}])
@pytest.mark.parametrize("path", [*JSON_ROUTES, "/auth/token"])
@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (DEEP, r"nested more than 32 levels|recursion limit exceeded"),  # the readings' parser
        ('{"description": "Rác", ', r"not valid JSON|Invalid JSON"),
        (b"\xff\xfe{", r"JSON"),
    ],
)
def test_a_body_that_is_not_usable_json_is_a_400_saying_why(
    api_key, json_routes_ready, path, idempotency, body, problem
):
    client = Client(raise_request_exception=False)
    response = client.post(
        f"{API}{path}",
        body,
        content_type="application/json",
        headers={"X-API-Key": api_key, **idempotency},
    )
    found = assert_error_shape(response, 400, response.json().get("code"))
    assert found["code"] in ("invalid", "malformed")
    assert re.search(problem, found["message"])
    assert re.search(problem, " ".join(found["fields"]["body"]))


@pytest.mark.django_db
def test_json_nested_a_little_deeper_than_any_payload_is_refused_before_it_reaches_the_route(
    api_client, category
):
    body = '{"category": "sanitation", "description": "Rác", "extra": ' + DEEP[:990]
    body += "]" * 990 + "}"
    response = api_client.post(
        f"{API}/reports", body, content_type="application/json", headers={"Idempotency-Key": "k"}
    )
    found = assert_error_shape(response, 400, "invalid")
    assert found["message"] == "The JSON is nested more than 32 levels deep."
