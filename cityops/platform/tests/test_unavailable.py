"""A database that cannot be reached is a 503 with Retry-After, in each API's own shape.

The real fault (PostgreSQL killed under load) is test_database_faults.py; here each delivery
path meets the error it would raise, on both databases, in milliseconds.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from cityops.accounts.services import apikey_create
from cityops.api.routers import categories
from cityops.open311 import views as open311_views
from cityops.portal.views import pages
from cityops.reports.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

MESSAGE = "The service cannot reach its database; try again in a few seconds."


def _down(*args, **kwargs):
    raise OperationalError("consuming input failed: server closed the connection unexpectedly")


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def key() -> str:
    CategoryFactory(code="sanitation")
    return apikey_create(name="unavailable").secret


def _report_form(key: str) -> dict[str, str]:
    return {
        "api_key": key,
        "service_code": "sanitation",
        "lat": "16.4637",
        "long": "107.5909",
        "description": "Rác tồn đọng ở chợ Đông Ba",
    }


def test_an_open311_client_gets_an_open311_error_document_in_json(client, key, monkeypatch, caplog):
    monkeypatch.setattr(open311_views, "apikey_authenticate", _down)
    response = client.post("/open311/v2/requests.json", _report_form(key))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == [{"code": 503, "description": MESSAGE}]
    assert "server closed the connection unexpectedly" in caplog.text  # logged, not hidden


def test_an_open311_client_asking_for_xml_gets_its_error_in_xml(client, key, monkeypatch):
    monkeypatch.setattr(open311_views, "apikey_authenticate", _down)
    response = client.post("/open311/v2/requests.xml", _report_form(key))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    error = ET.fromstring(response.content).find("error")  # noqa: S314 (our own server's output)
    assert error is not None
    assert (error.findtext("code"), error.findtext("description")) == ("503", MESSAGE)


def test_an_api_route_that_loses_the_database_answers_503_unavailable(client, monkeypatch):
    monkeypatch.setattr(categories.CategoryOut, "of", _down)
    CategoryFactory()
    response = client.get("/api/v1/categories")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"code": "unavailable", "message": MESSAGE, "fields": {}}


def test_an_api_write_whose_guard_loses_the_database_answers_503_unavailable(
    client, key, monkeypatch
):
    # The write guard looks the key up before the route runs, outside Ninja's error handlers.
    monkeypatch.setattr("cityops.api.auth.apikey_authenticate", _down)
    response = client.post(
        "/api/v1/reports",
        {"category": "sanitation", "description": "Ổ gà", "lat": 16.46, "lon": 107.59},
        content_type="application/json",
        HTTP_X_API_KEY=key,
        HTTP_IDEMPOTENCY_KEY="unavailable-1",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable"


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_answers_a_short_503_page_that_needs_no_database(client, monkeypatch, error):
    def down(*args, **kwargs):
        raise error("connection already closed")

    monkeypatch.setattr(pages, "reports_public_list", down)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert MESSAGE in response.content.decode()


def test_other_failures_stay_500s(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("not the database")

    monkeypatch.setattr(pages, "reports_public_list", broken)
    assert client.get("/").status_code == 500
