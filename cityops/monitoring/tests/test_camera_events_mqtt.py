"""Camera analytics events over MQTT (``cityops/cameras/{code}/events``) become alarms."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, connections

from cityops.alerts.models import Alarm
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.ingest.cameras import CameraEventWorker
from cityops.monitoring.ingest.mqtt import Broker
from cityops.monitoring.tests.factories import SensorFactory
from cityops.monitoring.tests.mqtt_helpers import Publisher, unique_root, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def running(broker: Broker, **options: Any) -> Iterator[tuple[CameraEventWorker, str, Publisher]]:
    """A camera worker subscribed under a topic root of its own, and a publisher; both stopped
    on leaving."""
    root = unique_root()
    worker = CameraEventWorker(
        broker=broker,
        client_id=f"test-cameras-{uuid.uuid4().hex[:8]}",
        topic=f"{root}/cameras/+/events",
        group=root,
        session_expiry=60,
        **options,
    )
    worker.start()
    assert worker.subscribed.wait(10), "the camera worker did not subscribe"
    publisher = Publisher(broker)
    try:
        yield worker, root, publisher
    finally:
        publisher.close()
        worker.stop()


@pytest.fixture
def cameras(mqtt_broker):
    with running(mqtt_broker) as started:
        yield started


def event(kind: str = "illegal_parking") -> bytes:
    return json.dumps(
        {"type": kind, "observed_at": "2026-11-22T08:15:00+07:00", "confidence": 0.91}
    ).encode()


def test_a_camera_event_published_over_mqtt_raises_an_alarm(cameras):
    worker, root, publisher = cameras
    camera = SensorFactory(code="cam-dong-ba", kind=SensorKind.CAMERA, metrics=[])
    publisher.publish([(f"{root}/cameras/cam-dong-ba/events", event())])
    publisher.wait()
    wait_until(lambda: worker.stats().get("handled") == 1, what="the event handled")
    alarm = Alarm.objects.get(sensor=camera)
    assert alarm.type == "illegal_parking"


def test_bad_camera_messages_are_counted_and_the_worker_goes_on(cameras):
    worker, root, publisher = cameras
    SensorFactory(code="cam-dong-ba", kind=SensorKind.CAMERA, metrics=[])
    publisher.publish(
        [
            (f"{root}/cameras/cam-nowhere/events", event()),
            (f"{root}/cameras/cam-dong-ba/events", b"{not json"),
            (f"{root}/cameras/cam-dong-ba/events", event("crowd")),
        ]
    )
    publisher.wait()
    wait_until(lambda: sum(worker.stats().values()) == 3, what="three messages seen")
    stats = worker.stats()
    assert stats["handled"] == 1
    assert stats["unknown_camera"] == 1
    assert stats["invalid"] == 1
    assert Alarm.objects.filter(type="crowd").count() == 1


def test_the_workers_thread_keeps_no_database_connection_once_a_message_is_handled(mqtt_broker):
    """As after a request, the connection is closed (back to the pool on PostgreSQL): a worker
    that stops leaves none open."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database ignores a close")
    used = []

    def handler(code: str, payload: bytes) -> None:
        used.append(connections["default"])
        SensorFactory(code=code, kind=SensorKind.CAMERA, metrics=[])

    with running(mqtt_broker, handlers=lambda: [handler]) as (worker, root, publisher):
        publisher.publish([(f"{root}/cameras/cam-thuong-tu/events", event())])
        publisher.wait()
        wait_until(lambda: worker.stats().get("handled") == 1, what="the event handled")
    (used_connection,) = used
    assert used_connection.connection is None
