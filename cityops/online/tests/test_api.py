"""The API: the catalogue, a submission as JSON or multipart, my applications, one of them."""

import base64

import pytest

from cityops.accounts.services import token_issue
from cityops.accounts.tests.factories import UserFactory
from cityops.online.tests.factories import PDF, photo_bytes

pytestmark = pytest.mark.django_db
API = "/api/v1/online"


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user).secret}"}


def test_the_catalogue_lists_services_with_todays_fee(api_client, monday, paid_service):
    body = api_client.get(f"{API}/services").json()
    assert body[0]["code"] == "trich-luc-ho-tich"
    assert body[0]["fee_vnd"] == 8000
    assert body[0]["documents"][0] == {"key": "cccd", "name": "Căn cước công dân", "required": True}


def test_submit_as_json_then_read_it_with_its_events(api_client, monday, free_service, citizen):
    auth = bearer(citizen)
    created = api_client.post(
        f"{API}/services/{free_service.code}/applications",
        {"details": "Xin xác nhận", "documents": {"cccd": base64.b64encode(PDF).decode()}},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert created.json()["status"] == "submitted"
    detail = api_client.get(f"{API}/applications/{number}", **auth).json()
    assert [e["kind"] for e in detail["events"]] == ["created", "submitted"]
    assert [a["number"] for a in api_client.get(f"{API}/applications", **auth).json()] == [number]
    neighbour = UserFactory(username="neighbour")
    assert api_client.get(f"{API}/applications/{number}", **bearer(neighbour)).status_code == 404


def test_submit_as_multipart_and_a_bad_document_is_refused(
    api_client, monday, paid_service, citizen
):
    auth = bearer(citizen)
    url = f"{API}/services/{paid_service.code}/applications"
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = api_client.post(
        url, {"cccd": SimpleUploadedFile("a.pdf", b"hello")}, HTTP_ACCEPT_LANGUAGE="en", **auth
    )
    assert bad.status_code == 400
    assert bad.json()["fields"]["cccd"][0].endswith(
        "neither a PDF nor a photo (JPEG, PNG or WebP)."
    )
    good = api_client.post(url, {"cccd": SimpleUploadedFile("a.png", photo_bytes())}, **auth)
    assert good.status_code == 201
    assert good.json()["status"] == "awaiting_payment"
    assert good.json()["fee_vnd"] == 8000


def test_submitting_needs_a_token(api_client, free_service):
    response = api_client.post(
        f"{API}/services/{free_service.code}/applications", {}, content_type="application/json"
    )
    assert response.status_code == 401
