"""Live events for the console and the agency workspace, as server-sent events (SSE).

Every domain event published in a process (``platform.events.publish``) goes to a *relay*:

- embedded run: ``LocalRelay`` numbers it and hands it to this process's ``Hub``;
- production (``REDIS_URL``): ``RedisRelay`` appends it to a Redis stream, and a reader thread in
  each web process hands every entry of the stream to its own ``Hub``. Several web processes (and
  the job workers, which publish too) thus share one ordered feed.

The hub keeps the recent messages, so a browser that reconnects with ``Last-Event-ID`` gets what it
missed (from the stream itself on Redis). Why a stream rather than plain pub/sub:
docs/decisions/0004-realtime-fan-out.md.

*Passing* topics (``topic_passing_add``, e.g. buses' positions: 500 buses send 50 a second) go
to the live connections but are never replayed and carry no id: they would otherwise push the
reports' and alarms' events out of the backlog within minutes. On Redis they travel in a stream
of their own, ``<stream>:passing``, capped short.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import HttpRequest, StreamingHttpResponse

from cityops.platform.events import Event

logger = logging.getLogger(__name__)

BACKLOG = 1000
PASSING_BACKLOG = 1000  # Redis entries of passing topics: only the readers' next read needs them

_passing_topics: set[str] = set()


def topic_passing_add(topic: str) -> None:
    """Send ``topic``'s events live only: no replay on reconnection, no ``Last-Event-ID``."""
    _passing_topics.add(topic)


def is_passing(topic: str) -> bool:
    return topic in _passing_topics


@dataclass(frozen=True)
class Message:
    """An event with the id a browser gives back as ``Last-Event-ID``."""

    id: str
    topic: str
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def order(self) -> tuple[int, ...]:
        return event_order(self.id)

    def as_sse(self) -> str:
        data = json.dumps(self.payload, separators=(",", ":"))
        # A passing message has no id: the browser's Last-Event-ID stays the last kept one.
        said = f"id: {self.id}\n" if self.id else ""
        return f"{said}event: {self.topic}\ndata: {data}\n\n"


def event_order(event_id: str) -> tuple[int, ...]:
    """Ids are "<ms>-<seq>" (Redis stream ids, and local ones alike); they order as tuples."""
    try:
        return tuple(int(part) for part in event_id.split("-"))
    except ValueError:
        return ()


class Listener:
    """One live connection's mailbox; the hub offers it messages from any thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop
        self._async: asyncio.Queue[Message] | None = asyncio.Queue() if loop else None
        self._sync: queue.SimpleQueue[Message] = queue.SimpleQueue()

    def offer(self, message: Message) -> None:
        if self.loop is not None and self._async is not None:
            # A closed loop means the connection is gone; its listener detaches soon.
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self._async.put_nowait, message)
        else:
            self._sync.put(message)

    def next(self, timeout: float) -> Message | None:
        try:
            return self._sync.get(timeout=timeout)
        except queue.Empty:
            return None

    async def anext(self, timeout: float) -> Message | None:
        assert self._async is not None
        try:
            return await asyncio.wait_for(self._async.get(), timeout)
        except TimeoutError:
            return None


class Hub:
    """This process's live connections and the most recent messages."""

    def __init__(self, backlog: int = BACKLOG) -> None:
        self._listeners: set[Listener] = set()
        self._recent: deque[Message] = deque(maxlen=backlog)
        self._lock = threading.Lock()

    def deliver(self, message: Message) -> None:
        with self._lock:
            if message.id:  # a passing message is not kept for reconnections
                self._recent.append(message)
            listeners = list(self._listeners)
        for listener in listeners:
            listener.offer(message)

    def attach(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.add(listener)

    def detach(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.discard(listener)

    def since(self, last_id: str) -> list[Message] | None:
        """Messages after ``last_id``; None when some of them are no longer kept."""
        after = event_order(last_id)
        with self._lock:
            recent = list(self._recent)
        if not after:
            return None
        missed = [message for message in recent if message.order > after]
        if missed and missed[0].order != (*after[:-1], after[-1] + 1):
            return None  # a gap: older than the backlog, or from before a restart
        return missed

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._listeners)


class Relay(Protocol):
    hub: Hub

    def send(self, event: Event) -> None: ...

    def since(self, last_id: str) -> list[Message] | None: ...

    def start(self) -> None: ...


class LocalRelay:
    """One process: the web server, the job worker and the hub share memory."""

    def __init__(self) -> None:
        self.hub = Hub()
        # "<start ms>-<n>": ids keep growing across restarts, as a browser's Last-Event-ID expects.
        self._start = int(time.time() * 1000)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def send(self, event: Event) -> None:
        if is_passing(event.topic):
            self.hub.deliver(Message("", event.topic, dict(event.payload)))
            return
        with self._lock:
            event_id = f"{self._start}-{next(self._ids)}"
            message = Message(event_id, event.topic, dict(event.payload))
        self.hub.deliver(message)

    def since(self, last_id: str) -> list[Message] | None:
        return self.hub.since(last_id)

    def start(self) -> None:
        pass


class RedisRelay:
    """Many processes: a capped Redis stream is the shared, ordered feed."""

    def __init__(self, url: str, *, key: str, backlog: int = 10_000) -> None:
        import redis

        self.hub = Hub()
        self.key = key
        self.passing_key = f"{key}:passing"
        self.backlog = backlog
        # Any: redis-py's own annotations make every reply a union of bytes, str and None.
        self._redis: Any = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=3)
        self._reader: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def send(self, event: Event) -> None:
        fields = {"topic": event.topic, "payload": json.dumps(event.payload)}
        key, backlog = self.key, self.backlog
        if is_passing(event.topic):
            key, backlog = self.passing_key, PASSING_BACKLOG
        try:
            self._redis.xadd(key, fields, maxlen=backlog, approximate=True)
        except Exception:
            # The change is committed; live views miss it and catch up when they reload.
            logger.exception("could not relay %s to Redis", event.topic)

    def since(self, last_id: str) -> list[Message] | None:
        if not event_order(last_id):
            return None
        try:
            first = self._redis.xrange(self.key, count=1)
            entries = self._redis.xrange(self.key, min=f"({last_id}", max="+")
        except Exception:
            logger.exception("could not read the Redis stream for a reconnecting client")
            return None
        if first and event_order(_text(first[0][0])) > event_order(last_id):
            return None  # trimmed away since, or from an older stream: the client reloads
        return [_message(entry_id, entry) for entry_id, entry in entries]

    def start(self) -> None:
        """Start reading the stream, from its newest entry, before the first client listens."""
        with self._lock:
            if self._reader is None or not self._reader.is_alive():
                self._reader = threading.Thread(
                    target=self._read,
                    args=(self._newest(), self._newest(self.passing_key)),
                    name="cityops-realtime",
                    daemon=True,
                )
                self._reader.start()

    def _newest(self, key: str = "") -> str:
        try:
            newest = self._redis.xrevrange(key or self.key, count=1)
        except Exception:
            return "$"  # Redis is down: the reader finds the newest entry once it is back
        return _text(newest[0][0]) if newest else "0-0"

    def stop(self) -> None:
        """End the reader thread (within one blocking read)."""
        self._stopping.set()

    def _read(self, last: str, last_passing: str) -> None:
        pause = 0.5
        while not self._stopping.is_set():
            try:
                if last == "$":
                    last, last_passing = self._newest(), self._newest(self.passing_key)
                    if last == "$":
                        raise ConnectionError("Redis unavailable")
                streams = {self.key: last, self.passing_key: last_passing}
                batches = self._redis.xread(streams, block=1000, count=500)
                pause = 0.5
            except Exception:
                logger.warning("Redis stream unavailable; live updates retry in %.1fs", pause)
                time.sleep(pause)
                pause = min(pause * 2, 10.0)
                continue
            for stream, entries in batches or []:
                passing = _text(stream) == self.passing_key
                for entry_id, entry in entries:
                    message = _message(entry_id, entry)
                    if passing:
                        last_passing = message.id
                        message = Message("", message.topic, message.payload)
                    else:
                        last = message.id
                    self.hub.deliver(message)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _message(entry_id: bytes | str, entry: dict[Any, Any]) -> Message:
    fields = {_text(k): _text(v) for k, v in entry.items()}
    try:
        payload = json.loads(fields.get("payload", "{}"))
    except ValueError:
        payload = {}
    return Message(_text(entry_id), fields.get("topic", ""), payload)


_relay: Relay | None = None
_relay_lock = threading.Lock()


def relay() -> Relay:
    """This process's relay, chosen by the settings the first time it is needed."""
    global _relay
    with _relay_lock:
        if _relay is None:
            _relay = (
                RedisRelay(settings.REDIS_URL, key=settings.CITYOPS_REALTIME_STREAM)
                if settings.REDIS_URL
                else LocalRelay()
            )
        return _relay


def relay_reset() -> None:
    """Forget the relay (tests that switch settings)."""
    global _relay
    with _relay_lock:
        if isinstance(_relay, RedisRelay):
            _relay.stop()
        _relay = None


def forward(event: Event) -> None:
    """Subscriber of every domain event (wired in ``PlatformConfig.ready``)."""
    relay().send(event)


Accept = Callable[[Message], dict[str, Any] | None]
"""Decides what one connection may see: the payload to send, or None to skip the message."""


def event_stream(request: HttpRequest, *, accept: Accept) -> StreamingHttpResponse:
    """The SSE response for a signed-in user; ``accept`` filters and trims each message."""
    last_id = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id", "")
    # The stream may stay open for hours and never touches the database: give the connection
    # back now, not when the browser leaves (inside a test's transaction it must stay).
    if not connection.in_atomic_block:
        connection.close()
    source = relay()
    source.start()
    keepalive = float(settings.CITYOPS_SSE_KEEPALIVE_SECONDS)
    content: Iterator[str] | AsyncIterator[str]
    if isinstance(request, ASGIRequest):
        content = _async_stream(source, accept, last_id, keepalive)
    else:
        content = _sync_stream(source, accept, last_id, keepalive)
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event through at once
    return response


def _opening(source: Relay, accept: Accept, last_id: str) -> tuple[list[str], tuple[int, ...]]:
    """The retry hint and, for a reconnecting client, what it missed (or a reset)."""
    chunks = ["retry: 2000\n\n"]
    seen: tuple[int, ...] = event_order(last_id)
    if last_id:
        missed = source.since(last_id)
        if missed is None:
            chunks.append("event: reset\ndata: {}\n\n")  # too far behind: reload everything
        for message in missed or []:
            chunks.extend(_render(message, accept))
            seen = max(seen, message.order)
    return chunks, seen


def _render(message: Message, accept: Accept) -> list[str]:
    payload = accept(message)
    if payload is None:
        return []
    return [Message(message.id, message.topic, payload).as_sse()]


def _sync_stream(source: Relay, accept: Accept, last_id: str, keepalive: float) -> Iterator[str]:
    listener = Listener()
    source.hub.attach(listener)
    try:
        chunks, seen = _opening(source, accept, last_id)
        yield from chunks
        while True:
            message = listener.next(keepalive)
            if message is None:
                yield ": keepalive\n\n"
            elif message.order > seen:
                seen = message.order
                yield from _render(message, accept)
    finally:
        source.hub.detach(listener)


async def _async_stream(
    source: Relay, accept: Accept, last_id: str, keepalive: float
) -> AsyncIterator[str]:
    listener = Listener(asyncio.get_running_loop())
    source.hub.attach(listener)
    try:
        chunks, seen = await asyncio.to_thread(_opening, source, accept, last_id)
        for chunk in chunks:
            yield chunk
        while True:
            message = await listener.anext(keepalive)
            if message is None:
                yield ": keepalive\n\n"
            elif message.order > seen:
                seen = message.order
                for chunk in _render(message, accept):
                    yield chunk
    finally:
        source.hub.detach(listener)
