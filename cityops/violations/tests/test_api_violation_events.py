"""POST /api/v1/cameras/{code}/violations: 202 with the detection, clear 4xx refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine

from cityops.accounts.services import apikey_create
from cityops.violations.choices import DetectionStatus
from cityops.violations.models import Case, Detection

from .factories import b64, event_body, mp4_bytes

URL = "/api/v1/cameras/{code}/violations"


@pytest.fixture
def key(db) -> str:
    return apikey_create(name="Hệ thống camera giao thông").secret


def post(client, body, *, key=None, code="hue-cam-01", **headers):
    if key:
        headers["HTTP_X_API_KEY"] = key
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL.format(code=code), data=data, content_type="application/json", **headers)


def test_an_event_is_accepted_with_its_detection_and_becomes_a_case(
    api_client, camera, key, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, event_body(clip=b64(mp4_bytes())), key=key)

    assert response.status_code == 202, response.content
    detection = Detection.objects.get()
    assert response.json() == {"detection": detection.pk, "status": "pending"}
    detection.refresh_from_db()
    assert detection.status == DetectionStatus.CASED
    assert Case.objects.get().plate == "75A-123.45"


def test_the_event_needs_an_api_key(api_client, camera, key):
    assert post(api_client, event_body()).status_code == 401
    refused = post(api_client, event_body(), key="co_nope_nope")
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"
    assert not Detection.objects.exists()


def test_an_unknown_camera_is_404_and_an_inactive_one_409(api_client, camera, key):
    unknown = post(api_client, event_body(), key=key, code="hue-cam-99")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_camera")
    camera.is_active = False
    camera.save()
    inactive = post(api_client, event_body(), key=key)
    assert (inactive.status_code, inactive.json()["code"]) == (409, "inactive")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"frames": [b64(b"a"), b64(b"b")]}, "frames"),  # exactly three
        ({"frames": [b64(b"a")] * 4}, "frames"),
        ({"rule": "speeding"}, "rule"),
        ({"confidence": True}, "confidence"),  # strict: true is no confidence
        ({"confidence": 1.5}, "confidence"),
        ({"observed_at": 1764547200}, "observed_at"),  # a number is no ISO time
        ({"observed_at": "2026-11-20T08:00:00"}, "observed_at"),  # no offset
        ({"plate": ""}, "plate"),
        ({"plate": 75}, "plate"),
        ({"vehicle_type": "tank"}, "vehicle_type"),
        ({"speed": 80}, "speed"),  # unknown fields are refused, not ignored
    ],
)
def test_a_malformed_event_is_refused_per_field(api_client, camera, key, changes, field):
    body = event_body(**changes)
    response = post(api_client, body, key=key)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["code"] == "invalid"
    assert any(name.split(".")[0] == field for name in answer["fields"]), answer
    assert not Detection.objects.exists()


def test_a_frame_that_is_not_an_image_is_refused_with_its_index(api_client, camera, key):
    body = event_body()
    body["frames"][2] = b64(b"%PDF-1.4 not an image")
    response = post(api_client, body, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_image"
    assert "frames.2" in response.json()["fields"]


def test_a_clip_that_is_not_a_video_is_refused(api_client, camera, key):
    response = post(api_client, event_body(clip=b64(b"\xff\xd8\xff a photo")), key=key)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_clip")


def test_an_implausible_time_is_refused(api_client, camera, key):
    response = post(api_client, event_body(observed_at="1990-01-01T00:00:00+07:00"), key=key)
    assert response.status_code == 400
    assert "observed_at" in response.json()["fields"]


def test_a_body_that_is_not_json_is_refused(api_client, camera, key):
    response = post(api_client, "{not json", key=key)
    assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_events_are_rate_limited_like_the_other_camera_events(api_client, camera, key, settings):
    settings.CITYOPS_RATE_LIMITS = dict.fromkeys(settings.CITYOPS_RATE_LIMITS, "2/m")
    with time_machine.travel(datetime(2026, 11, 20, 1, 0, 10, tzinfo=UTC), tick=False):
        body = event_body()
        assert post(api_client, body, key=key).status_code == 202
        assert post(api_client, body, key=key).status_code == 202
        refused = post(api_client, body, key=key)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert refused["Retry-After"] == "50"
    assert Detection.objects.count() == 2


def test_a_retry_with_the_same_idempotency_key_keeps_one_detection(api_client, camera, key):
    body = event_body()
    first = post(api_client, body, key=key, HTTP_IDEMPOTENCY_KEY="cam-01-000042")
    again = post(api_client, body, key=key, HTTP_IDEMPOTENCY_KEY="cam-01-000042")
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Detection.objects.count() == 1


def test_the_endpoint_is_in_the_openapi_document(api_client):
    document = api_client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/cameras/{code}/violations"]["post"]
    assert "202" in operation["responses"]
    assert "ApiKeyAuth" in json.dumps(operation["security"])
