"""Every refusal has the same shape: {"code", "message", "fields"}."""

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
