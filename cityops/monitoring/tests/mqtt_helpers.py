"""Publishing and waiting helpers for the MQTT tests."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.db import OperationalError
from paho.mqtt.enums import MQTTErrorCode

from cityops.monitoring.ingest.mqtt import Broker, client_for

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def unique_root() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def payload(i: int, **values: float) -> bytes:
    return json.dumps(
        {
            "observed_at": (T0 + timedelta(seconds=i)).isoformat(),
            # pm25 tells messages apart, within its physical range (0–1000 µg/m³).
            "values": values or {"pm25": i / 10, "pm10": 2.0, "o3": 3.0, "no2": 4.0},
        }
    ).encode()


class Publisher:
    """A QoS 1 publisher that respects paho's queue limit and waits for every PUBACK."""

    def __init__(self, broker: Broker) -> None:
        self.client = client_for(broker, persistent=False)
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        self.pending: list = []

    def publish(self, messages: Iterable[tuple[str, bytes]]) -> None:
        for topic, body in messages:
            while True:
                info = self.client.publish(topic, body, qos=1)
                if info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS:
                    break
                if info.rc != MQTTErrorCode.MQTT_ERR_QUEUE_SIZE:
                    raise RuntimeError(f"publish failed: {info.rc}")
                time.sleep(0.005)  # back-pressure: paho's queue is full
            self.pending.append(info)

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for info in self.pending:
            info.wait_for_publish(max(0.1, deadline - time.monotonic()))
            assert info.is_published(), "the broker did not acknowledge a message"
        self.pending.clear()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def wait_until(condition: Callable[[], bool], timeout: float = 30, what: str = "") -> None:
    """Poll ``condition``. One reading the database while the ingest thread writes to the
    tests' shared in-memory SQLite may find a table locked (SQLite does not wait there): it is
    asked again."""
    deadline = time.monotonic() + timeout
    while not _holds(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.05)


def _holds(condition: Callable[[], bool]) -> bool:
    try:
        return condition()
    except OperationalError as error:
        if "locked" in str(error):
            return False
        raise
