"""Cameras' violation events over MQTT (``cityops/cameras/{code}/violations``): the same JSON
as the API, kept as detections; refusals counted and acknowledged."""

from __future__ import annotations

import json
import uuid

import pytest

from cityops.monitoring.hooks import violation_event_handlers
from cityops.monitoring.ingest.cameras import VIOLATION_EVENTS_TOPIC, CameraEventWorker
from cityops.monitoring.tests.conftest import mqtt_broker  # noqa: F401 - the broker fixture
from cityops.monitoring.tests.mqtt_helpers import Publisher, unique_root, wait_until
from cityops.violations.models import Detection

from .factories import CameraFactory, b64, event_body

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(mqtt_broker):  # noqa: F811 - the fixture imported above
    root = unique_root()
    worker = CameraEventWorker(
        broker=mqtt_broker,
        client_id=f"test-violations-{uuid.uuid4().hex[:8]}",
        topic=f"{root}/cameras/+/violations",
        group=root,
        session_expiry=60,
        handlers=violation_event_handlers,
    )
    worker.start()
    assert worker.subscribed.wait(10), "the violations worker did not subscribe"
    publisher = Publisher(mqtt_broker)
    yield worker, root, publisher
    publisher.close()
    worker.stop()


def test_the_violations_topic_is_the_cameras_own():
    assert VIOLATION_EVENTS_TOPIC == "cityops/cameras/+/violations"


def test_an_event_published_over_mqtt_is_kept_and_refusals_are_counted(worker):
    worker, root, publisher = worker
    camera = CameraFactory(code="cam-truong-tien")
    publisher.publish(
        [
            (f"{root}/cameras/cam-truong-tien/violations", json.dumps(event_body()).encode()),
            (f"{root}/cameras/cam-nowhere/violations", json.dumps(event_body()).encode()),
            (f"{root}/cameras/cam-truong-tien/violations", b"{not json"),
            (
                f"{root}/cameras/cam-truong-tien/violations",
                json.dumps(event_body(frames=[b64(b"x")] * 3)).encode(),
            ),
        ]
    )
    publisher.wait()
    wait_until(lambda: sum(worker.stats().values()) == 4, what="four messages seen")
    stats = worker.stats()
    assert stats["handled"] == 1
    assert stats["unknown_camera"] == 1
    assert stats["invalid"] == 1
    assert stats["invalid_image"] == 1
    assert Detection.objects.get().camera == camera
