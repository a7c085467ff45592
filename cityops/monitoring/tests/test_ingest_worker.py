"""The MQTT ingest worker against a real broker: storing, refusing, counting, surviving."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from cityops.monitoring import hooks
from cityops.monitoring.ingest.mqtt import broker_of
from cityops.monitoring.ingest.worker import IngestWorker, _Message
from cityops.monitoring.models import LatestReading, Reading
from cityops.monitoring.tests.factories import SensorFactory
from cityops.monitoring.tests.mqtt_helpers import Publisher, payload, unique_root, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ingest(mqtt_broker):
    """Start a worker on a topic root of its own; yields (worker, root)."""
    started = []

    def start(**options):
        root = unique_root()
        worker = IngestWorker(
            broker=mqtt_broker,
            client_id=f"test-ingest-{uuid.uuid4().hex[:8]}",
            topic=f"{root}/sensors/+/readings",
            group=root,
            session_expiry=60,
            **options,
        )
        worker.start()
        started.append(worker)
        assert worker.wait_subscribed(), "the worker did not subscribe"
        return worker, root

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def publisher(mqtt_broker):
    publisher = Publisher(mqtt_broker)
    yield publisher
    publisher.close()


def test_readings_published_over_mqtt_are_stored(ingest, publisher):
    sensor = SensorFactory(code="hue-aq-01")
    worker, root = ingest()
    publisher.publish((f"{root}/sensors/hue-aq-01/readings", payload(i)) for i in range(50))
    publisher.wait()
    wait_until(lambda: worker.stats()["acked"] == 50, what="50 acknowledgements")
    assert Reading.objects.filter(sensor=sensor).count() == 200
    assert LatestReading.objects.get(sensor=sensor, metric="pm25").value == 4.9
    assert worker.stats()["stored"] == 200


def test_a_list_payload_is_stored_too(ingest, publisher):
    SensorFactory(code="hue-aq-01")
    worker, root = ingest()
    body = b"[" + payload(1) + b"," + payload(2) + b"]"
    publisher.publish([(f"{root}/sensors/hue-aq-01/readings", body)])
    publisher.wait()
    wait_until(lambda: worker.stats()["acked"] == 1)
    assert Reading.objects.count() == 8


def test_bad_messages_are_counted_by_reason_and_the_worker_lives_on(ingest, publisher, caplog):
    SensorFactory(code="hue-aq-01")
    SensorFactory(code="hue-aq-02", is_active=False)
    worker, root = ingest()
    topic = f"{root}/sensors/hue-aq-01/readings"
    publisher.publish(
        [
            (topic, b"not json"),
            (topic, b'{"observed_at": "2026-11-20T08:00:00", "values": {"pm25": 1}}'),
            (topic, b'{"observed_at": "2999-11-20T08:00:00+07:00", "values": {"pm25": 1}}'),
            (topic, payload(1, dust=3.0)),
            (f"{root}/sensors/nope/readings", payload(1)),
            (f"{root}/sensors/hue-aq-02/readings", payload(1)),
            (topic, b"\xff\xfe binary"),
            (topic, payload(7)),  # a good one after all that
        ]
    )
    publisher.wait()
    wait_until(lambda: worker.stats()["acked"] == 8, what="every message acknowledged")
    stats = worker.stats()
    assert {
        k: stats[k]
        for k in ("malformed", "bad_time", "unknown_metric", "unknown_sensor", "inactive")
    } == {
        "malformed": 3,
        "bad_time": 1,
        "unknown_metric": 1,
        "unknown_sensor": 1,
        "inactive": 1,
    }
    assert Reading.objects.count() == 4  # only the good message's values
    assert "unknown_sensor" in caplog.text
    assert "no sensor with code 'nope'" in caplog.text


def test_a_message_delivered_twice_is_stored_once(ingest, publisher):
    SensorFactory(code="hue-aq-01")
    worker, root = ingest()
    topic = f"{root}/sensors/hue-aq-01/readings"
    publisher.publish([(topic, payload(1)), (topic, payload(1)), (topic, payload(2))])
    publisher.wait()
    wait_until(lambda: worker.stats()["acked"] == 3)
    assert Reading.objects.count() == 8
    assert worker.stats()["duplicates"] == 4


def test_rules_registered_in_the_hook_see_new_readings_during_ingest(ingest, publisher):
    SensorFactory(code="hue-aq-01")
    got = []
    unregister = hooks.readings_stored_register(lambda readings: got.extend(readings))
    try:
        worker, root = ingest()
        topic = f"{root}/sensors/hue-aq-01/readings"
        publisher.publish([(topic, payload(1)), (topic, payload(1))])
        publisher.wait()
        wait_until(lambda: worker.stats()["acked"] == 2)
    finally:
        unregister()
    assert sorted((r.sensor_code, r.metric) for r in got) == [
        ("hue-aq-01", "no2"),
        ("hue-aq-01", "o3"),
        ("hue-aq-01", "pm10"),
        ("hue-aq-01", "pm25"),
    ]


def test_a_sensor_registered_while_running_is_picked_up(ingest, publisher):
    worker, root = ingest()
    worker.sensors.miss_interval = 0
    topic = f"{root}/sensors/hue-aq-09/readings"
    publisher.publish([(topic, payload(1))])
    publisher.wait()
    wait_until(lambda: worker.stats()["unknown_sensor"] == 1)
    SensorFactory(code="hue-aq-09")
    publisher.publish([(topic, payload(2))])
    publisher.wait()
    wait_until(lambda: worker.stats()["stored"] == 4)


def test_a_value_outside_its_physical_range_is_refused_over_mqtt_and_the_worker_goes_on(
    ingest, publisher, caplog
):
    SensorFactory(code="hue-aq-01")
    worker, root = ingest()
    topic = f"{root}/sensors/hue-aq-01/readings"
    publisher.publish(
        [
            (topic, payload(1, pm25=1.7e308)),
            (topic, payload(2, pm25=1.7e308)),
            (topic, payload(3, pm25=35.0)),
        ]
    )
    publisher.wait()
    wait_until(lambda: worker.stats()["acked"] == 3, what="every message acknowledged")
    assert worker.stats()["out_of_range"] == 2
    assert list(Reading.objects.values_list("value", flat=True)) == [35.0]
    assert "outside what pm25 can measure (0 to 1000 µg/m³)" in caplog.text


def test_a_burst_of_small_and_large_messages_with_properties_is_stored_whole(ingest, publisher):
    # The worker reads the socket in 64 KiB pieces: 100 KB payloads are cut across reads, small
    # ones arrive by the hundred in one read, and MQTT 5 properties sit between topic and body.
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    sensor = SensorFactory(code="hue-aq-01")
    worker, root = ingest()
    topic = f"{root}/sensors/hue-aq-01/readings"
    properties = Properties(PacketTypes.PUBLISH)
    properties.UserProperty = ("station", "Đông Ba")
    properties.MessageExpiryInterval = 3600
    values = {"pm25": 12.5, "pm10": 20.0, "o3": 30.0, "no2": 40.0}
    big = [
        b"[" + b",".join(payload(10_000 + k * 1000 + i, **values) for i in range(1000)) + b"]"
        for k in range(3)
    ]
    infos = []
    for i in range(3000):
        infos.append(publisher.client.publish(topic, payload(i), qos=1, properties=properties))
        if i % 1000 == 500:
            infos.append(publisher.client.publish(topic, big[i // 1000], qos=1))
    publisher.client.publish(topic, payload(9_999), qos=0)
    for info in infos:
        info.wait_for_publish(30)
    wait_until(lambda: worker.stats()["messages"] == 3004, what="every message handled")
    assert Reading.objects.filter(sensor=sensor).count() == (3001 + 3000) * 4
    assert worker.stats()["acked"] == 3003  # the QoS 1 ones
    assert worker.stats()["duplicates"] == 0


def test_a_sensor_deleted_while_its_readings_wait_does_not_block_the_ingest():
    # The worker validated the batch against its sensor cache; the database then refuses the
    # deleted sensor's rows (foreign key). The retry must check again, not fail forever.
    kept, deleted = SensorFactory(code="hue-aq-01"), SensorFactory(code="hue-aq-02")
    worker = IngestWorker(broker=broker_of("mqtt://127.0.0.1:1"), client_id="test-deleted")
    worker.retry_delay = 0.01
    worker.sensors.reload()
    batch = [
        _Message(0, 0, 1, 1, "cityops/sensors/hue-aq-01/readings", payload(1)),
        _Message(0, 0, 2, 1, "cityops/sensors/hue-aq-02/readings", payload(1)),
    ]
    deleted.delete()

    def write() -> None:
        try:
            worker._process(batch)
        finally:
            connection.close()  # this thread's own

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    writer.join(60)
    worker._stop.set()  # ends the retries of a worker that would never get through
    assert not writer.is_alive(), "the batch was retried again and again"
    assert Reading.objects.filter(sensor=kept).count() == 4
    assert worker.stats()["unknown_sensor"] == 1
    assert worker.stats()["acked"] == 2
