"""Camera analytics events from MQTT (``cityops/cameras/{code}/events``), one at a time.

Cameras send a few events a minute, not thousands of readings a second: each message is handed
to the registered handlers (the alerts app) in paho's thread and acknowledged afterwards, so a
worker killed before that gets it again. A message that can never succeed (a ``CityOpsError``) is
logged, counted and acknowledged; a database error leaves it unacknowledged for redelivery.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from django.db import close_old_connections
from paho.mqtt.subscribeoptions import SubscribeOptions

from cityops.monitoring.hooks import (
    CameraEventCallback,
    camera_event_handlers,
    vehicle_position_handlers,
    violation_event_handlers,
)
from cityops.monitoring.ingest.mqtt import SHARE_GROUP, Broker, client_for, session_properties
from cityops.platform.errors import CityOpsError

logger = logging.getLogger(__name__)

CAMERA_EVENTS_TOPIC = "cityops/cameras/+/events"
VEHICLE_POSITIONS_TOPIC = "cityops/vehicles/+/position"  # the same worker, transit's handlers
VIOLATION_EVENTS_TOPIC = "cityops/cameras/+/violations"  # the same worker, violations' handlers


class CameraEventWorker:
    def __init__(
        self,
        *,
        broker: Broker,
        client_id: str,
        topic: str = CAMERA_EVENTS_TOPIC,
        group: str = SHARE_GROUP,
        mqtt5: bool = True,
        session_expiry: int = 3600,
        handlers: Callable[[], list[CameraEventCallback]] = camera_event_handlers,
    ) -> None:
        self.broker, self.mqtt5, self.session_expiry = broker, mqtt5, session_expiry
        self.handlers = handlers
        self.topic, self.group = topic, group
        self._code_level = topic.split("/").index("+")
        self.subscribed = threading.Event()
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.client = client_for(broker, client_id=client_id, manual_ack=True, mqtt5=mqtt5)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    @property
    def subscription(self) -> str:
        return f"$share/{self.group}/{self.topic}" if self.mqtt5 else self.topic

    def start(self) -> None:
        if self.mqtt5:
            self.client.connect_async(
                self.broker.host,
                self.broker.port,
                keepalive=30,
                clean_start=False,
                properties=session_properties(expiry_seconds=self.session_expiry),
            )
        else:
            self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        try:
            self.client.disconnect()
        finally:
            self.client.loop_stop()

    def stats(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def _count(self, outcome: str) -> None:
        with self._lock:
            self._counts[outcome] += 1

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, p: Any
    ) -> None:
        if reason.is_failure:
            logger.error("camera events: broker %s refused: %s", self.broker.url, reason)
            return
        if self.mqtt5:
            client.subscribe(self.subscription, options=SubscribeOptions(qos=1))
        else:
            client.subscribe(self.subscription, qos=1)

    def _on_subscribe(
        self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any, p: Any
    ) -> None:
        if not any(reason.is_failure for reason in reasons):
            self.subscribed.set()

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        levels = message.topic.split("/")
        code = levels[self._code_level] if len(levels) > self._code_level else ""
        # As Django does around a request: this thread's connection does not outlive the
        # message (once the worker stops, nothing else would close it).
        close_old_connections()
        try:
            self._handle(client, message, code)
        finally:
            close_old_connections()

    def _handle(self, client: mqtt.Client, message: mqtt.MQTTMessage, code: str) -> None:
        try:
            for handler in self.handlers():
                handler(code, message.payload)
        except CityOpsError as refused:
            self._count(refused.code)
            logger.warning("camera events: refused a message on %s: %s", message.topic, refused)
        except Exception:
            # The database or a bug: keep it unacknowledged, the broker redelivers it.
            self._count("errors")
            logger.exception("camera events: could not handle a message on %s", message.topic)
            return
        else:
            self._count("handled")
        if message.qos:
            client.ack(message.mid, message.qos)


def vehicle_position_worker(
    *, broker: Broker, client_id: str, mqtt5: bool = True
) -> CameraEventWorker:
    """Vehicles' positions (``cityops/vehicles/{id}/position``), one message at a time."""
    return CameraEventWorker(
        broker=broker,
        client_id=client_id,
        topic=VEHICLE_POSITIONS_TOPIC,
        mqtt5=mqtt5,
        handlers=vehicle_position_handlers,
    )


def violation_event_worker(
    *, broker: Broker, client_id: str, mqtt5: bool = True
) -> CameraEventWorker:
    """Cameras' violation events (``cityops/cameras/{code}/violations``), one at a time."""
    return CameraEventWorker(
        broker=broker,
        client_id=client_id,
        topic=VIOLATION_EVENTS_TOPIC,
        mqtt5=mqtt5,
        handlers=violation_event_handlers,
    )
