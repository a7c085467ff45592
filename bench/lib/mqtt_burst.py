"""A QoS 1 MQTT publisher that costs next to nothing, so that benches measure the receiving end.

paho spends ~50 µs of Python per QoS 1 ``publish()``: on 2 shared cores a paho publisher was the
bound of the telemetry bench (its messages/s capped both Mosquitto's pass-through and the
ingest). This one encodes every PUBLISH packet in advance (MQTT 3.1.1, which subscribers of any
version receive alike), writes them in large chunks, and counts the broker's PUBACKs in a
thread. At most ``window`` messages are unacknowledged at once (packet ids are 16-bit).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import uuid
from collections.abc import Sequence

PUBACK = 0x40
CHUNK = 500  # packets per sendall()


def _remaining_length(n: int) -> bytes:
    out = bytearray()
    while True:
        n, byte = divmod(n, 128)
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _string(text: bytes) -> bytes:
    return struct.pack("!H", len(text)) + text


def connect_packet(client_id: str, *, keepalive: int = 60) -> bytes:
    body = _string(b"MQTT") + bytes([4, 0x02]) + struct.pack("!H", keepalive)
    body += _string(client_id.encode())
    return b"\x10" + _remaining_length(len(body)) + body


def publish_packet(topic: str, payload: bytes, packet_id: int) -> bytes:
    body = _string(topic.encode()) + struct.pack("!H", packet_id) + payload
    return b"\x32" + _remaining_length(len(body)) + body


def packets_of(messages: Sequence[tuple[str, bytes]]) -> list[bytes]:
    """QoS 1 PUBLISH packets of (topic, payload) pairs, encoded before the clock starts."""
    return [publish_packet(topic, body, n % 65535 + 1) for n, (topic, body) in enumerate(messages)]


class BurstPublisher:
    """Connect, ``send(packets_of(messages))`` (returns once the broker acknowledged them
    all), ``close()``."""

    def __init__(self, host: str, port: int, *, window: int = 50_000) -> None:
        self.window = window
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(connect_packet(f"bench-pub-{uuid.uuid4().hex[:8]}"))
        connack = self._read_exactly(4)
        if connack[0] != 0x20 or connack[3] != 0:
            raise RuntimeError(f"the broker refused the connection: {connack!r}")
        self.acked = 0
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read_acks, daemon=True)
        self._reader.start()

    def _read_exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            more = self.sock.recv(n - len(data))
            if not more:
                raise ConnectionError("the broker closed the connection")
            data += more
        return data

    def _read_acks(self) -> None:
        pending = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            pending += data
            # Only PUBACKs come back to a publisher: 4 bytes each (0x40 0x02 id id).
            whole = len(pending) // 4
            if whole and pending[0] != PUBACK:
                raise RuntimeError(f"unexpected packet from the broker: {pending[:8]!r}")
            pending = pending[whole * 4 :]
            with self._cond:
                self.acked += whole
                self._cond.notify_all()

    def send(self, packets: Sequence[bytes], timeout: float = 300) -> None:
        """Publish ``packets`` (from ``packets_of``) and wait for every PUBACK."""
        start = self.acked
        deadline = time.monotonic() + timeout
        for first in range(0, len(packets), CHUNK):
            with self._cond:  # back-pressure: packet ids must not be reused while in flight
                while first - (self.acked - start) > self.window:
                    if not self._cond.wait(max(0.0, deadline - time.monotonic())):
                        raise TimeoutError("the broker stopped acknowledging")
            self.sock.sendall(b"".join(packets[first : first + CHUNK]))
        with self._cond:
            while self.acked - start < len(packets):
                if not self._cond.wait(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError(f"{self.acked - start} of {len(packets)} acknowledged")

    def close(self) -> None:
        try:
            self.sock.sendall(b"\xe0\x00")  # DISCONNECT
        finally:
            self.sock.close()
