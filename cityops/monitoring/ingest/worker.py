"""The MQTT ingest worker: readings from ``cityops/sensors/{code}/readings`` into the database.

How it keeps every reading exactly once:

- It subscribes with QoS 1 through the MQTT 5 shared subscription
  ``$share/cityops/cityops/sensors/+/readings``, so several workers split one stream, with a
  stable client id, ``clean_start=False`` and a session expiry: the broker keeps what arrives
  while a worker restarts and hands it over when it is back.
- Messages are acknowledged by hand, and only after the batch that holds them has committed. A
  worker killed mid-batch has acknowledged nothing of it; the broker redelivers, and the unique
  constraint on (sensor, metric, observed_at) drops what had been stored already.
- Batches: whatever arrived while the previous batch was written, up to ``batch_size``
  messages, or what arrives within ``max_wait`` (200 ms) of the first, or until the stream
  pauses for ``idle_flush`` (the broker's in-flight window is full and waits for our
  acknowledgements: waiting longer would only add latency). One thread validates a batch while
  another (``ingest-store``) writes the previous one, commits and acknowledges it: batches are
  stored and acknowledged in the order they arrived.
- A malformed payload, an unknown or inactive sensor, an undeclared metric, a value outside its
  metric's physical range or an impossible time can never succeed: it is logged with its
  reason, counted (``stats()``), and acknowledged. A database error keeps the batch
  unacknowledged and retries it, checking its sensors again (one may have been deleted); the
  worker never dies of a message.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import paho.mqtt.client as mqtt
from django.db import DatabaseError, close_old_connections, connection
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from cityops.monitoring.ingest.mqtt import (
    READINGS_TOPIC,
    SHARE_GROUP,
    Broker,
    client_for,
    session_properties,
)
from cityops.monitoring.models import Sensor
from cityops.monitoring.payloads import PayloadError, Row, SensorRef, parse, rows_of
from cityops.monitoring.services import readings_store, sensor_ref
from cityops.platform import clock

logger = logging.getLogger(__name__)

# Counters: messages by outcome, and values stored / dropped as duplicates.
REJECT_REASONS = (
    "malformed",
    "unknown_sensor",
    "inactive",
    "unknown_metric",
    "out_of_range",
    "bad_time",
)
MAX_LOGGED_PER_REASON = 10  # per stats interval; the rest are only counted


@dataclass(slots=True)
class _Message:
    connection: int
    generation: int
    mid: int
    qos: int
    topic: str
    payload: bytes


class _Validated(NamedTuple):
    batch: list[_Message]
    rows: list[Row]
    rejected: Counter[str]


class SensorCache:
    """Sensor codes → ``SensorRef``; reloaded every ``ttl`` seconds, or on an unknown code at
    most every ``miss_interval`` seconds (a flood of unknown codes costs no query per message).
    """

    def __init__(self, *, ttl: float = 30.0, miss_interval: float = 2.0) -> None:
        self.ttl, self.miss_interval = ttl, miss_interval
        self._refs: dict[str, SensorRef] = {}
        self._loaded_at = float("-inf")

    def get(self, code: str) -> SensorRef | None:
        age = time.monotonic() - self._loaded_at
        if age > self.ttl or (code not in self._refs and age > self.miss_interval):
            self.reload()
        return self._refs.get(code)

    def reload(self) -> None:
        self._refs = {sensor.code: sensor_ref(sensor) for sensor in Sensor.objects.all()}
        self._loaded_at = time.monotonic()


class IngestWorker:
    """Run with ``start()`` (threads) and ``stop()``, or ``run(stop_event)`` in the caller."""

    def __init__(
        self,
        *,
        broker: Broker,
        client_id: str = "cityops-ingest",
        topic: str = READINGS_TOPIC,
        group: str = SHARE_GROUP,
        connections: int = 1,
        mqtt5: bool = True,
        batch_size: int = 5000,
        max_wait: float = 0.2,
        idle_flush: float = 0.004,
        session_expiry: int = 3600,
        stats_interval: float = 60.0,
    ) -> None:
        if "+" not in topic.split("/"):
            raise ValueError("the topic needs a + level for the sensor code")
        self.broker = broker
        self.client_id = client_id
        self.topic, self.group = topic, group
        self.batch_size, self.max_wait, self.idle_flush = batch_size, max_wait, idle_flush
        self.session_expiry = session_expiry
        self.mqtt5 = mqtt5
        self.stats_interval = stats_interval
        self._code_level = topic.split("/").index("+")
        self._cond = threading.Condition()
        self._pending: list[_Message] = []
        self._first_at = self._last_at = 0.0
        self._generations = [0] * connections
        self._subscribed = [threading.Event() for _ in range(connections)]
        self._clients = [
            client_for(
                broker,
                client_id=client_id if connections == 1 else f"{client_id}-{n}",
                manual_ack=True,
                mqtt5=mqtt5,
            )
            for n in range(connections)
        ]
        for n, client in enumerate(self._clients):
            client.on_connect = self._on_connect_of(n)
            client.on_subscribe = self._on_subscribe_of(n)
            client.on_disconnect = self._on_disconnect_of(n)
            client.on_message = self._on_message_of(n)
            client.on_publish_received = self._on_publish_of(n)
        self._counts: Counter[str] = Counter()
        self._logged: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.sensors = SensorCache()
        self.retry_delay = 2.0  # seconds between attempts at a batch the database refused

    # Public ------------------------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Counters since start: messages received/acked/rejected by reason, values stored."""
        with self._cond:
            counts = dict(self._counts)
        keys = ("messages", "acked", "values", "stored", "duplicates", "batches", "db_errors")
        return {key: counts.get(key, 0) for key in (*keys, *REJECT_REASONS)}

    def connect(self) -> None:
        for client in self._clients:
            if self.mqtt5:
                client.connect_async(
                    self.broker.host,
                    self.broker.port,
                    keepalive=30,
                    clean_start=False,
                    properties=session_properties(expiry_seconds=self.session_expiry),
                )
            else:  # MQTT 3.1.1: the persistent session is the client's clean_session=False
                client.connect_async(self.broker.host, self.broker.port, keepalive=30)
            client.loop_start()

    @property
    def subscription(self) -> str:
        """The topic filter: shared under MQTT 5, plain under 3.1.1 (one worker per broker)."""
        return f"$share/{self.group}/{self.topic}" if self.mqtt5 else self.topic

    def wait_subscribed(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        return all(e.wait(max(0.0, deadline - time.monotonic())) for e in self._subscribed)

    def start(self) -> None:
        """Connect and write batches in a background thread (``cityops run``)."""
        self.connect()
        self._thread = threading.Thread(target=self._write_loop, name="ingest-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
        self._disconnect()

    def run(self, stop: threading.Event | None = None) -> None:
        """Connect and write batches in this thread until ``stop`` is set (``cityops ingest``)."""
        if stop is not None:
            self._stop = stop
        self.connect()
        try:
            self._write_loop()
        finally:
            self._disconnect()

    # MQTT callbacks (paho's network threads) ---------------------------------------------------

    def _on_connect_of(self, n: int) -> Callable[..., None]:
        def on_connect(
            client: mqtt.Client, userdata: Any, flags: Any, reason: ReasonCode, props: Any
        ) -> None:
            if reason.is_failure:
                logger.error(
                    "ingest: broker %s refused the connection: %s", self.broker.url, reason
                )
                return
            with self._cond:
                # Messages of an earlier connection are redelivered by the broker: theirs can
                # no longer be acknowledged (their packet ids mean nothing now).
                self._generations[n] += 1
            logger.info(
                "ingest: connected to %s as %s (session %s)",
                self.broker.url,
                client._client_id.decode(),
                "resumed" if getattr(flags, "session_present", False) else "new",
            )
            if self.mqtt5:
                client.subscribe(self.subscription, options=SubscribeOptions(qos=1))
            else:
                client.subscribe(self.subscription, qos=1)

        return on_connect

    def _on_subscribe_of(self, n: int) -> Callable[..., None]:
        def on_subscribe(
            client: mqtt.Client, userdata: Any, mid: int, reasons: Any, p: Any
        ) -> None:
            if any(reason.is_failure for reason in reasons):
                logger.error("ingest: subscription refused: %s", reasons)
            else:
                logger.info("ingest: subscribed to %s", self.subscription)
                self._subscribed[n].set()

        return on_subscribe

    def _on_disconnect_of(self, n: int) -> Callable[..., None]:
        def on_disconnect(
            client: mqtt.Client, userdata: Any, flags: Any, reason: Any, p: Any
        ) -> None:
            if not self._stop.is_set():
                logger.warning(
                    "ingest: disconnected from %s (%s); reconnecting", self.broker.url, reason
                )

        return on_disconnect

    def _on_message_of(self, n: int) -> Callable[..., None]:
        received = self._on_publish_of(n)

        def on_message(client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
            received(message.topic, message.mid, message.qos, message.payload)

        return on_message

    def _on_publish_of(self, n: int) -> Callable[[str, int, int, bytes], None]:
        """What a message does on arrival (``Client.on_publish_received``'s fast path, or
        paho's ``on_message``): join the pending batch."""

        def received(topic: str, mid: int, qos: int, payload: bytes) -> None:
            now = time.monotonic()
            item = _Message(n, self._generations[n], mid, qos, topic, payload)
            with self._cond:
                if not self._pending:
                    self._first_at = now
                self._last_at = now
                self._pending.append(item)
                if len(self._pending) >= self.batch_size:
                    self._cond.notify()

        return received

    # The writer --------------------------------------------------------------------------------

    def _write_loop(self) -> None:
        """Take and validate batches here; a second thread stores them. Validating is Python
        work and storing mostly waits for the database, so the next batch is parsed while the
        database writes this one: on two cores, the ingest's time per batch is the longer of
        the two instead of their sum."""
        ready: queue.Queue[_Validated | None] = queue.Queue(maxsize=1)
        storer = threading.Thread(
            target=self._store_loop, args=(ready,), name="ingest-store", daemon=True
        )
        storer.start()
        next_stats = time.monotonic() + self.stats_interval
        last_logged: dict[str, int] = {}
        try:
            while True:
                batch = self._take()
                if batch:
                    ready.put(_Validated(batch, *self._validated(batch)))
                elif self._stop.is_set():
                    break
                if time.monotonic() >= next_stats:
                    next_stats = time.monotonic() + self.stats_interval
                    last_logged = self._log_stats(last_logged)
        finally:
            ready.put(None)
            storer.join()
            self._log_stats(last_logged)
            connection.close()  # this thread's own connection (back to the pool on PostgreSQL)

    def _store_loop(self, ready: queue.Queue[_Validated | None]) -> None:
        try:
            while (item := ready.get()) is not None:
                try:
                    self._store(item)
                except Exception:  # a bug, not the database: keep taking batches
                    logger.exception("ingest: storing %d messages failed", len(item.batch))
        finally:
            connection.close()

    def _take(self) -> list[_Message]:
        """The next batch (empty when stopping or nothing came within half a second)."""
        with self._cond:
            if not self._pending:
                self._cond.wait(0.5)
            while self._pending and len(self._pending) < self.batch_size:
                now = time.monotonic()
                full_wait = self._first_at + self.max_wait - now
                idle_wait = self._last_at + self.idle_flush - now
                if full_wait <= 0 or idle_wait <= 0 or self._stop.is_set():
                    break
                self._cond.wait(min(full_wait, idle_wait))
            batch, self._pending = (
                self._pending[: self.batch_size],
                self._pending[self.batch_size :],
            )
            if self._pending:
                self._first_at = time.monotonic()
            return batch

    def _process(self, batch: list[_Message]) -> None:
        """Validate, store and acknowledge ``batch`` in this thread."""
        self._store(_Validated(batch, *self._validated(batch)))

    def _store(self, validated: _Validated) -> None:
        """Store the rows of a validated batch, then acknowledge the batch."""
        batch, rows, rejected = validated
        while True:
            try:
                result = readings_store(rows=rows) if rows else None
                break
            except Exception as error:
                # Nothing acknowledged: the broker still holds the batch. Retry on a fresh
                # connection until it works or we are stopped (then the broker redelivers).
                kind = "database" if isinstance(error, DatabaseError) else "unexpected"
                logger.exception("ingest: %s error storing %d messages", kind, len(batch))
                with self._cond:
                    self._counts["db_errors"] += 1
                connection.close()
                if self._stop.wait(self.retry_delay):
                    return
                try:
                    close_old_connections()
                    # The error may be a sensor deleted since the cache was loaded (its rows
                    # break the foreign key): check the batch against the registry as it is
                    # now, or the same rows would fail forever.
                    self.sensors.reload()
                    rows, rejected = self._validated(batch)
                except DatabaseError:
                    logger.exception("ingest: the database is still unavailable")
        acked = self._ack(batch)
        with self._cond:
            self._counts.update(rejected)
            self._counts["messages"] += len(batch)
            self._counts["acked"] += acked
            self._counts["batches"] += 1
            self._counts["values"] += len(rows)
            if result is not None:
                self._counts["stored"] += len(result.stored)
                self._counts["duplicates"] += result.duplicates

    def _validated(self, batch: list[_Message]) -> tuple[list[Row], Counter[str]]:
        """The rows of the batch's valid messages, and the others counted by reason."""
        rows: list[Row] = []
        rejected: Counter[str] = Counter()
        now = clock.now()
        for message in batch:
            try:
                rows.extend(self._rows_of(message, now))
            except PayloadError as error:
                rejected[error.reason] += 1
                self._log_rejection(message, error)
        return rows, rejected

    def _rows_of(self, message: _Message, now: Any) -> list[Row]:
        levels = message.topic.split("/")
        code = levels[self._code_level] if len(levels) > self._code_level else ""
        sensor = self.sensors.get(code)
        if sensor is None:
            raise PayloadError("unknown_sensor", f"no sensor with code {code!r}")
        if not sensor.is_active:
            raise PayloadError("inactive", f"sensor {code} is inactive")
        return rows_of(sensor, parse(message.payload), now=now)

    def _ack(self, batch: list[_Message]) -> int:
        """Acknowledge, in the order received (MQTT requires it), what each connection got:
        one write per connection and batch."""
        mids: list[list[int]] = [[] for _ in self._clients]
        generations = self._generations
        for message in batch:
            if message.qos and message.generation == generations[message.connection]:
                mids[message.connection].append(message.mid)
        for client, some in zip(self._clients, mids, strict=True):
            client.ack_many(some)
        return sum(map(len, mids))

    def _log_rejection(self, message: _Message, error: PayloadError) -> None:
        with self._cond:
            self._logged[error.reason] += 1
            quiet = self._logged[error.reason] > MAX_LOGGED_PER_REASON
        if not quiet:
            logger.warning(
                "ingest: rejected a message on %s (%s): %s; payload %r",
                message.topic,
                error.reason,
                error.message,
                message.payload[:200],
            )

    def _log_stats(self, previous: dict[str, int]) -> dict[str, int]:
        current = self.stats()
        if current != previous and any(current.values()):
            logger.info(
                "ingest: %s", " ".join(f"{key}={value}" for key, value in current.items() if value)
            )
        with self._cond:
            self._logged.clear()
        return current

    def _disconnect(self) -> None:
        for client in self._clients:
            try:
                client.disconnect()
            finally:
                client.loop_stop()
