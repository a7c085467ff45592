"""MQTT plumbing shared by the ingest worker, the simulated feed, the bench and the tests."""

from __future__ import annotations

import ssl
import struct
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.client import time_func
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from cityops.platform.errors import InvalidInput

READINGS_TOPIC = "cityops/sensors/+/readings"
SHARE_GROUP = "cityops"
READ_SIZE = 65536  # bytes a socket read asks for: hundreds of readings messages
PACKETS_PER_READ = 1000  # then paho's loop writes (acknowledgements) and checks keepalive


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None

    @property
    def url(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def broker_of(url: str) -> Broker:
    """``mqtt://[user:password@]host[:port]`` (1883) or ``mqtts://…`` (TLS, 8883)."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not parts.hostname:
        raise InvalidInput(
            f"MQTT_URL must look like mqtt://host:1883 or mqtts://host:8883, not {url!r}.",
            fields={"MQTT_URL": ["Use mqtt://host:port or mqtts://host:port."]},
        )
    tls = parts.scheme in ("mqtts", "ssl")
    return Broker(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def readings_topic(code: str, *, root: str = "cityops") -> str:
    return f"{root}/sensors/{code}/readings"


PublishHandler = Callable[[str, int, int, bytes], None]  # topic, packet id, QoS, payload


class Client(mqtt.Client):
    """paho's client, reading the socket in large pieces, with a fast path for PUBLISH.

    paho reads a packet with three ``recv()`` calls (type, length, rest), handles one packet per
    ``select()`` and builds a message object with its properties, a log line and a topic match
    for each: at 10,000 messages a second that was half of the ingest worker's time (py-spy,
    docs/monitoring.md). This one reads up to ``READ_SIZE`` bytes at once and serves paho's
    small reads from them; and when ``on_publish_received`` is set (with ``manual_ack``: the
    caller acknowledges), complete QoS 0/1 PUBLISH packets in those bytes go straight to it as
    ``(topic, packet id, qos, payload)``. Everything else — connecting, subscribing,
    acknowledgements going out, keepalive, reconnection, a packet cut across two reads — is
    paho's own code.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._buffered = b""
        self._buffered_at = 0
        self.on_publish_received: PublishHandler | None = None

    def _has_buffered(self) -> bool:
        return self._buffered_at < len(self._buffered)

    def _sock_recv(self, bufsize: int) -> bytes:
        if not self._has_buffered():
            data = super()._sock_recv(READ_SIZE)  # BlockingIOError when nothing came
            if len(data) <= bufsize:
                return data
            self._buffered, self._buffered_at = data, 0
        start = self._buffered_at
        self._buffered_at = min(start + bufsize, len(self._buffered))
        return self._buffered[start : self._buffered_at]

    def _sock_close(self) -> None:
        self._buffered, self._buffered_at = b"", 0  # bytes of a closed connection mean nothing
        super()._sock_close()

    def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
        rc = super().loop_read(max_packets)
        handled = 1
        while rc == mqtt.MQTT_ERR_SUCCESS and self._has_buffered() and self._sock is not None:
            if handled >= PACKETS_PER_READ:
                break
            fast = self._publishes_read()
            handled += fast
            if not fast and self._has_buffered():
                rc = super().loop_read(1)  # anything else, or a packet not complete yet
                handled += 1
        return rc

    def _publishes_read(self) -> int:
        """Hand the complete QoS 0/1 PUBLISH packets at the head of the buffer to
        ``on_publish_received``; how many there were."""
        deliver = self.on_publish_received
        if deliver is None or not self._manual_ack or self._in_packet["command"] != 0:
            return 0
        buffer, at, end = self._buffered, self._buffered_at, len(self._buffered)
        v5 = self._protocol == mqtt.MQTTv5
        handled = 0
        while at < end and buffer[at] & 0xF4 == 0x30 and handled < PACKETS_PER_READ:
            # Fixed header: type 3 with QoS 0 or 1 (QoS 2 needs paho's state), then the length.
            qos = (buffer[at] >> 1) & 1
            length, start = _varint(buffer, at + 1, end)
            if length < 2 or start + length > end:
                break  # cut across reads (paho assembles it), or malformed (paho says so)
            packet_end = start + length
            topic_end = start + 2 + (buffer[start] << 8 | buffer[start + 1])
            position = topic_end + 2 * qos
            if position > packet_end:
                break  # malformed: paho says so
            mid = buffer[topic_end] << 8 | buffer[topic_end + 1] if qos else 0
            if v5:  # properties: none that we use (no topic aliases were offered)
                properties, position = _varint(buffer, position, packet_end)
                position += properties
                if properties < 0 or position > packet_end:
                    break
            at = self._buffered_at = packet_end
            topic = buffer[start + 2 : topic_end].decode(errors="replace")
            deliver(topic, mid, qos, buffer[position:packet_end])
            handled += 1
        if handled:
            with self._msgtime_mutex:
                self._last_bytes_received = time_func()
        return handled

    def _loop(self, timeout: float = 1.0) -> mqtt.MQTTErrorCode:
        # Buffered bytes do not make the socket readable: handle them before waiting on it.
        if self._has_buffered() and self._sock is not None:
            rc = self.loop_read()
            if rc or self._sock is None:
                return rc
            if self._has_buffered():
                timeout = 0.0
        return super()._loop(timeout)

    def ack_many(self, mids: Iterable[int]) -> None:
        """Acknowledge QoS 1 messages (in the order given) with one write instead of one each."""
        packet = b"".join(struct.pack("!BBH", mqtt.PUBACK, 2, mid) for mid in mids)
        if packet:
            self._packet_queue(mqtt.PUBACK, packet, 0, 0)


def _varint(buffer: bytes, at: int, end: int) -> tuple[int, int]:
    """MQTT's variable byte integer at ``at``: (value, where the next field starts); value -1
    when it is cut off."""
    value, shift = 0, 0
    while at < end and shift <= 21:
        byte = buffer[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7
    return -1, at


def client_for(
    broker: Broker,
    *,
    client_id: str | None = None,
    manual_ack: bool = False,
    mqtt5: bool = True,
    persistent: bool = True,
) -> Client:
    """A paho client for ``broker`` (not connected yet): MQTT 5, or 3.1.1 for the embedded
    amqtt broker (with a persistent session unless ``persistent`` is False).
    """
    client = Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id or f"cityops-{uuid.uuid4().hex[:12]}",
        protocol=mqtt.MQTTv5 if mqtt5 else mqtt.MQTTv311,
        clean_session=None if mqtt5 else not persistent,
        manual_ack=manual_ack,
    )
    if broker.tls:
        client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    return client


def session_properties(*, expiry_seconds: int) -> Properties:
    """CONNECT properties of a persistent session that outlives a restart for a while."""
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = expiry_seconds
    return properties
