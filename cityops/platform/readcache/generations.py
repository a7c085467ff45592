"""Generations: what kept answers depend on, moved by the reports' events."""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
import weakref
from collections.abc import Sequence
from typing import Any, Protocol

import redis
import redis.asyncio
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from cityops.platform.events import Event
from cityops.platform.readcache.declare import EVERYTHING, LISTS, report_generation

logger = logging.getLogger(__name__)

# A report's generation is forgotten this long after its last move (a kept answer lives
# ``CITYOPS_READ_CACHE_SECONDS`` at most, so a forgotten one can no longer be compared).
REPORT_GENERATION_SECONDS = 3600
REDIS_RETRY_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 1.0


# -- generations ------------------------------------------------------------------------------


class Generations(Protocol):
    async def current(self, names: Sequence[str]) -> list[int] | None:
        """The generations of ``names`` (0: never moved); None when they cannot be read."""

    async def sequence(self) -> int | None:
        """The latest generation of any name; None when it cannot be read."""

    def move(self, names: Sequence[str], *, forget_after: float | None = None) -> None:
        """Move ``names`` to a new generation, greater than every earlier one."""


def _now_us() -> int:
    return time.time_ns() // 1000


class LocalGenerations:
    """This process's generations (embedded run): other processes see a change after their
    ``CITYOPS_READ_CACHE_SECONDS``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sequence = 0
        self._values: dict[str, tuple[int, float]] = {}

    async def current(self, names: Sequence[str]) -> list[int]:
        now = time.monotonic()
        kept = [self._values.get(name) for name in names]
        return [value[0] if value is not None and value[1] > now else 0 for value in kept]

    async def sequence(self) -> int:
        return self._sequence

    def move(self, names: Sequence[str], *, forget_after: float | None = None) -> None:
        with self._lock:
            value = self._sequence = max(self._sequence + 1, _now_us())
            until = time.monotonic() + forget_after if forget_after else math.inf
            for name in names:
                self._values[name] = (value, until)
            if len(self._values) > 100_000:
                now = time.monotonic()
                self._values = {n: kept for n, kept in self._values.items() if kept[1] > now}


# One atomic step: a new generation, greater than the last one and than the caller's clock,
# written to every name (ARGV[3:]: the names forgotten after ARGV[2] seconds). Integers are
# written with %.0f: Lua's default would print 16 digits in exponent notation.
_MOVE = """
local value = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + 1, tonumber(ARGV[1]))
local text = string.format('%.0f', value)
redis.call('SET', KEYS[1], text)
for i = 2, #KEYS do
  if tonumber(ARGV[2]) > 0 and i >= tonumber(ARGV[3]) then
    redis.call('SET', KEYS[i], text, 'EX', ARGV[2])
  else
    redis.call('SET', KEYS[i], text)
  end
end
return text
"""


class _Batch:
    """The names wanted by the requests of one turn of the event loop: read in one MGET."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.names: set[str] = set()
        self.values: asyncio.Future[dict[str, int] | None] = loop.create_future()


class RedisGenerations:
    """Generations in Redis, shared by every process: read with the event loop's client, moved
    with a blocking one (domain events are published from threads). An unreachable Redis makes
    every request go to Django, for ``REDIS_RETRY_SECONDS`` before Redis is tried again.

    The requests that want generations in the same turn of the event loop share one ``MGET``,
    sent after the last of them arrived: each still reads what was written before it came.
    """

    def __init__(self, url: str, *, prefix: str = "cityops:readcache:") -> None:
        self.url, self.prefix = url, prefix
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )
        self._batches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batch] = (
            weakref.WeakKeyDictionary()
        )
        self._blocking: redis.Redis | None = None
        self._down_until = 0.0

    def _client(self, loop: asyncio.AbstractEventLoop) -> Any:
        client = self._clients.get(loop)
        if client is None:
            client = redis.asyncio.Redis.from_url(
                self.url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            self._clients[loop] = client
        return client

    def _failed(self, error: Exception) -> None:
        if time.monotonic() >= self._down_until:
            logger.warning("read cache: Redis unavailable (%s); every read goes to Django", error)
        self._down_until = time.monotonic() + REDIS_RETRY_SECONDS

    async def current(self, names: Sequence[str]) -> list[int] | None:
        if time.monotonic() < self._down_until:
            return None
        loop = asyncio.get_running_loop()
        batch = self._batches.get(loop)
        if batch is None:
            batch = self._batches[loop] = _Batch(loop)
            loop.call_soon(self._send, loop, batch)
        batch.names.update(names)
        values = await asyncio.shield(batch.values)
        return [values[name] for name in names] if values is not None else None

    def _send(self, loop: asyncio.AbstractEventLoop, batch: _Batch) -> None:
        if self._batches.get(loop) is batch:
            del self._batches[loop]  # who comes now waits for the next MGET
        loop.create_task(self._read(loop, batch))

    async def _read(self, loop: asyncio.AbstractEventLoop, batch: _Batch) -> None:
        names = list(batch.names)
        try:
            values = await self._client(loop).mget([self.prefix + name for name in names])
        except (redis.RedisError, OSError) as error:
            self._failed(error)
            batch.values.set_result(None)
            return
        batch.values.set_result(
            {name: int(value) if value else 0 for name, value in zip(names, values, strict=True)}
        )

    async def sequence(self) -> int | None:
        values = await self.current(["sequence"])
        return values[0] if values is not None else None

    def move(self, names: Sequence[str], *, forget_after: float | None = None) -> None:
        if self._blocking is None:
            self._blocking = redis.Redis.from_url(
                self.url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
        keys = [self.prefix + "sequence", *(self.prefix + name for name in names)]
        forgotten_from = len(keys)  # the last name only (a report's) is forgotten
        try:
            self._blocking.eval(
                _MOVE, len(keys), *keys, _now_us(), int(forget_after or 0), forgotten_from
            )
        except (redis.RedisError, OSError) as error:
            # Kept answers then stay until CITYOPS_READ_CACHE_SECONDS have passed.
            logger.error("read cache: could not record a change in Redis (%s)", error)


_generations: Generations | None = None
_generations_lock = threading.Lock()


def generations() -> Generations:
    global _generations
    with _generations_lock:
        if _generations is None:
            url = settings.REDIS_URL
            _generations = RedisGenerations(url) if url else LocalGenerations()
        return _generations


@receiver(setting_changed)
def _settings_changed(*, setting: str, **_kwargs: Any) -> None:
    global _generations
    if setting == "REDIS_URL":
        with _generations_lock:
            _generations = None


def read_cache_report_changed(report_id: int | None) -> None:
    """Every list, and the report's own pages, are kept no longer."""
    names = [LISTS] if report_id is None else [LISTS, report_generation(report_id)]
    forget = REPORT_GENERATION_SECONDS if report_id is not None else None
    generations().move(names, forget_after=forget)


def read_cache_flush() -> None:
    """No kept answer is used again (e.g. personal data was erased)."""
    generations().move([EVERYTHING])


def on_event(event: Event) -> None:
    """The domain events' subscriber (``PlatformConfig.ready``)."""
    if event.topic == "report.changed":
        report_id = event.payload.get("id")
        read_cache_report_changed(report_id if isinstance(report_id, int) else None)
