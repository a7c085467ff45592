"""POST /api/v1/cameras/{code}/events, and the MQTT entry point with the same payload."""

from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image

from cityops.accounts.services import apikey_create
from cityops.alerts.choices import AlarmType, Severity
from cityops.alerts.models import Alarm
from cityops.alerts.services import camera_event_receive
from cityops.platform.errors import Conflict, InvalidInput, NotFound
from cityops.reports.tests.helpers import jpeg_with_gps

URL = "/api/v1/cameras/{code}/events"


@pytest.fixture
def key(db) -> str:
    return apikey_create(name="Hệ thống phân tích video").secret


def event(**changes):
    body = {
        "type": "illegal_parking",
        "observed_at": "2026-11-20T08:00:00+07:00",
        "confidence": 0.87,
    }
    body.update(changes)
    return body


def post(client, body, *, key=None, code="hue-cam-01"):
    headers = {"HTTP_X_API_KEY": key} if key else {}
    return client.post(
        URL.format(code=code), data=json.dumps(body), content_type="application/json", **headers
    )


def png_base64() -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_an_event_with_a_snapshot_becomes_an_alarm(api_client, camera, key):
    snapshot = base64.b64encode(jpeg_with_gps()).decode()
    response = post(api_client, event(snapshot=snapshot), key=key)

    assert response.status_code == 201, response.content
    body = response.json()
    alarm = Alarm.objects.get()
    assert body == {
        "alarm": alarm.pk,
        "created": True,
        "count": 1,
        "severity": "warning",
        "state": "active",
    }
    assert alarm.type == AlarmType.ILLEGAL_PARKING
    assert alarm.sensor == camera
    assert alarm.confidence == 0.87
    assert "87%" in alarm.message
    assert alarm.snapshot
    assert alarm.snapshot_thumbnail
    with alarm.snapshot.open("rb") as stored:
        assert b"SecretPhone" not in stored.read()  # re-encoded without the camera's EXIF


def test_the_same_event_again_repeats_the_active_alarm(api_client, camera, key):
    post(api_client, event(), key=key)
    response = post(api_client, event(observed_at="2026-11-20T08:03:00+07:00"), key=key)
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert Alarm.objects.count() == 1


def test_a_data_url_png_snapshot_is_accepted(api_client, camera, key):
    data_url = "data:image/png;base64," + png_base64()
    response = post(api_client, event(type="fire_smoke", snapshot=data_url), key=key)
    assert response.status_code == 201
    assert response.json()["severity"] == Severity.CRITICAL


def test_without_a_key_or_with_a_wrong_one_the_event_is_refused(api_client, camera, key):
    assert post(api_client, event()).status_code == 401
    assert post(api_client, event(), key="not-a-key").status_code == 401
    assert not Alarm.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "alien_landing"}, "type"),
        ({"confidence": 1.5}, "confidence"),
        ({"confidence": -0.1}, "confidence"),
        ({"observed_at": "2026-11-20T08:00:00"}, "observed_at"),  # no offset: ambiguous
        ({"observed_at": "yesterday"}, "observed_at"),
        ({"observed_at": "2099-01-01T00:00:00+07:00"}, "observed_at"),  # a broken clock
        ({"observed_at": "0001-01-01T00:00:00+07:00"}, "observed_at"),  # before year 1 in UTC
        ({"observed_at": "9999-12-31T23:59:59-07:00"}, "observed_at"),  # after 9999 in UTC
        ({"colour": "red"}, "colour"),
        ({"confidence": False}, "confidence"),  # a yes/no is no confidence
        ({"observed_at": 1763600000}, "observed_at"),  # a Unix time: the document says text
    ],
)
def test_an_invalid_event_is_refused_with_the_field_named(api_client, camera, key, changes, field):
    response = post(api_client, event(**changes), key=key)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not Alarm.objects.exists()


@pytest.mark.parametrize(
    "snapshot",
    [
        "bm90IGFuIGltYWdl",  # base64 of "not an image"
        "%%% not base64 %%%",
        base64.b64encode(b"GIF89a" + b"\x00" * 40).decode(),  # a format we do not take
    ],
)
def test_a_bad_snapshot_is_refused(api_client, camera, key, snapshot):
    response = post(api_client, event(snapshot=snapshot), key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_image"
    assert "snapshot" in response.json()["fields"]
    assert not Alarm.objects.exists()


def test_an_unknown_camera_or_a_sensor_that_is_no_camera_is_not_found(
    api_client, camera, station, key
):
    assert post(api_client, event(), key=key, code="hue-cam-99").status_code == 404
    assert post(api_client, event(), key=key, code=station.code).status_code == 404


def test_an_inactive_camera_is_refused(api_client, camera, key):
    camera.is_active = False
    camera.save()
    assert post(api_client, event(), key=key).status_code == 409


def test_the_endpoint_is_in_the_openapi_document(api_client):
    spec = api_client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/cameras/{code}/events"]["post"]
    assert operation["security"] == [{"ApiKeyAuth": []}]
    assert "CameraEventIn" in json.dumps(operation["requestBody"])


# --- MQTT: the function the ingest worker calls for cityops/cameras/{code}/events ---------------


def test_an_mqtt_payload_raises_the_same_alarm(camera):
    raised = camera_event_receive(camera.code, json.dumps(event(type="crowd")).encode())
    assert raised.created
    assert raised.alarm.type == AlarmType.CROWD


@pytest.mark.parametrize(
    ("code", "payload", "error", "reason"),
    [
        ("hue-cam-01", b"{not json", InvalidInput, "invalid"),
        ("hue-cam-01", json.dumps(event(type="x")).encode(), InvalidInput, "invalid"),
        ("hue-cam-01", json.dumps(event(snapshot="AAAA")).encode(), InvalidInput, "invalid_image"),
        ("hue-cam-77", json.dumps(event()).encode(), NotFound, "unknown_camera"),
    ],
)
def test_a_bad_mqtt_payload_raises_a_domain_error_with_a_reason(
    camera, code, payload, error, reason
):
    with pytest.raises(error) as refused:
        camera_event_receive(code, payload)
    assert refused.value.code == reason
    assert not Alarm.objects.exists()


def test_an_inactive_camera_over_mqtt_is_a_conflict(camera):
    camera.is_active = False
    camera.save()
    with pytest.raises(Conflict):
        camera_event_receive(camera.code, json.dumps(event()).encode())
