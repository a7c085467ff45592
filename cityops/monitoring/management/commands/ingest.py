"""``cityops ingest``: the MQTT ingest worker on its own (production; ``cityops run`` embeds it)."""

from __future__ import annotations

import os
import signal
import socket
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityops.monitoring.ingest.cameras import (
    CameraEventWorker,
    vehicle_position_worker,
    violation_event_worker,
)
from cityops.monitoring.ingest.mqtt import READINGS_TOPIC, SHARE_GROUP, broker_of
from cityops.monitoring.ingest.worker import IngestWorker
from cityops.platform.errors import CityOpsError
from cityops.platform.memory import startup_objects_freeze


class Command(BaseCommand):
    help = (
        "Store sensor readings from MQTT (topic cityops/sensors/+/readings, QoS 1, shared "
        "subscription) in the database. Start one per core or machine; they split the stream."
    )
    requires_system_checks: list[str] = []  # a worker serves no URLs; start fast

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="", help="Broker, e.g. mqtt://127.0.0.1:1883 (default: MQTT_URL)."
        )
        parser.add_argument(
            "--client-id",
            default=os.environ.get("MQTT_CLIENT_ID", "")
            or f"cityops-ingest-{socket.gethostname()}",
            help="Stable per worker, so a restart resumes its session (default: MQTT_CLIENT_ID "
            "or cityops-ingest-<hostname>).",
        )
        parser.add_argument("--topic", default=READINGS_TOPIC)
        parser.add_argument("--group", default=SHARE_GROUP, help="Shared subscription group.")
        parser.add_argument("--connections", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--session-expiry", type=int, default=3600, metavar="SECONDS")
        parser.add_argument("--stats-interval", type=float, default=60.0, metavar="SECONDS")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"] or settings.MQTT_URL
        if not url:
            raise CommandError("Name the broker: --url mqtt://host:1883 or MQTT_URL.")
        try:
            broker = broker_of(url)
        except CityOpsError as error:
            raise CommandError(error.message) from error
        worker = IngestWorker(
            broker=broker,
            client_id=options["client_id"],
            topic=options["topic"],
            group=options["group"],
            connections=options["connections"],
            batch_size=options["batch_size"],
            session_expiry=options["session_expiry"],
            stats_interval=options["stats_interval"],
        )
        cameras = CameraEventWorker(
            broker=broker, client_id=f"{options['client_id']}-cameras"
        )  # camera analytics events, next to the readings
        cameras.start()
        vehicles = vehicle_position_worker(
            broker=broker, client_id=f"{options['client_id']}-vehicles"
        )
        vehicles.start()
        violations = violation_event_worker(
            broker=broker, client_id=f"{options['client_id']}-violations"
        )
        violations.start()
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        startup_objects_freeze()
        self.stdout.write(f"Ingesting {options['topic']} from {broker.url}", ending="\n")
        self.stdout.flush()
        try:
            worker.run(stop)
        finally:
            cameras.stop()
            vehicles.stop()
            violations.stop()
        self.stdout.write(
            f"Stopped: {worker.stats()} cameras: {cameras.stats()} vehicles: {vehicles.stats()}"
            f" violations: {violations.stats()}"
        )
