"""The one-process run's MQTT side: an embedded amqtt broker, the ingest worker and, with demo
data, the simulated feed and buses — all threads inside ``cityops run``.

amqtt speaks MQTT 3.1.1 only: against it the worker uses a plain persistent subscription (one
worker, no ``$share``). With ``MQTT_URL`` set, no broker is embedded and the worker joins the
external broker's shared subscription as ``cityops ingest`` would.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from cityops.monitoring.ingest.cameras import (
    CameraEventWorker,
    vehicle_position_worker,
    violation_event_worker,
)
from cityops.monitoring.ingest.mqtt import Broker, broker_of
from cityops.monitoring.ingest.worker import IngestWorker

logger = logging.getLogger(__name__)

PORT_ATTEMPTS = 50


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port_from(host: str, port: int) -> int:
    """``port`` if nothing listens there, else the next free one."""
    for candidate in range(port, port + PORT_ATTEMPTS):
        if port_is_free(host, candidate):
            return candidate
    raise OSError(f"no free port in {port}–{port + PORT_ATTEMPTS - 1}")


class EmbeddedBroker:
    """An amqtt broker on its own event loop in a daemon thread."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 1883) -> None:
        self.host, self.requested_port = host, port
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broker: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> int:
        """Listen on the requested port, or the next free one; returns the port."""
        self.port = free_port_from(self.host, self.requested_port)
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            from amqtt.broker import Broker as AmqttBroker

            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            config = {
                "listeners": {"default": {"type": "tcp", "bind": f"{self.host}:{self.port}"}},
                "plugins": {
                    "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}
                },
            }
            try:
                self._broker = AmqttBroker(config, loop=loop)
                loop.run_until_complete(self._broker.start())
            except BaseException as error:  # reported to start()'s caller
                failure.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()

        for noisy in ("amqtt", "transitions"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        self._thread = threading.Thread(target=serve, name="mqtt-broker", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("the embedded MQTT broker did not start")
        if failure:
            raise failure[0]
        return self.port

    def stop(self) -> None:
        loop, broker = self._loop, self._broker
        if loop is None or broker is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(broker.shutdown(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)


@dataclass
class MonitoringRuntime:
    """What ``cityops run`` started for monitoring, to report and to stop."""

    broker_url: str
    embedded: EmbeddedBroker | None = None
    worker: IngestWorker | None = None
    cameras: CameraEventWorker | None = None
    vehicles: CameraEventWorker | None = None
    violations: CameraEventWorker | None = None
    feed: Any = None
    buses: Any = None
    notes: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.feed is not None:
            self.feed.stop()
        if self.buses is not None:
            self.buses.stop()
        if self.worker is not None:
            self.worker.stop()
        if self.cameras is not None:
            self.cameras.stop()
        if self.vehicles is not None:
            self.vehicles.stop()
        if self.violations is not None:
            self.violations.stop()
        if self.embedded is not None:
            self.embedded.stop()


def monitoring_start(*, mqtt_port: int, demo: bool, host: str = "127.0.0.1") -> MonitoringRuntime:
    """Start the broker (unless ``MQTT_URL`` names one), the ingest worker, and the demo feed."""
    embedded = None
    if settings.MQTT_URL:
        broker: Broker = broker_of(settings.MQTT_URL)
        protocol5 = True
    else:
        embedded = EmbeddedBroker(host=host, port=mqtt_port)
        embedded.start()
        broker = broker_of(embedded.url)
        protocol5 = False
    runtime = MonitoringRuntime(broker_url=broker.url, embedded=embedded)
    if embedded is not None and embedded.port != mqtt_port:
        runtime.notes.append(f"port {mqtt_port} is taken: the MQTT broker took {embedded.port}")
    worker = IngestWorker(
        broker=broker,
        client_id=f"cityops-run-{socket.gethostname()}",
        mqtt5=protocol5,
        stats_interval=300.0,
    )
    worker.start()
    runtime.worker = worker
    runtime.cameras = CameraEventWorker(
        broker=broker, client_id=f"cityops-run-cameras-{socket.gethostname()}", mqtt5=protocol5
    )
    runtime.cameras.start()
    runtime.vehicles = vehicle_position_worker(
        broker=broker, client_id=f"cityops-run-vehicles-{socket.gethostname()}", mqtt5=protocol5
    )
    runtime.vehicles.start()
    runtime.violations = violation_event_worker(
        broker=broker, client_id=f"cityops-run-violations-{socket.gethostname()}", mqtt5=protocol5
    )
    runtime.violations.start()
    if demo:
        from cityops.monitoring.services import sensors_simulated_backfill
        from cityops.monitoring.simulation import SimulatedFeed

        sensors_simulated_backfill(hours=24)  # the hours the demo was not running

        runtime.feed = SimulatedFeed(broker=broker, mqtt5=protocol5)
        runtime.feed.start()
        from cityops.transit.simulation import SimulatedBuses

        runtime.buses = SimulatedBuses(broker=broker, mqtt5=protocol5)  # demo Huế bus routes
        runtime.buses.start()
    return runtime
