"""Kept answers shared by every web process through Redis, and made again by a refresher.

Each web process keeps its answers in its own memory (``Store``). Without help, every process
makes each answer again when its time (``CITYOPS_READ_CACHE_SECONDS``) has passed, on one of
its request threads: the home page or a list of reports holds that process's GIL for tens of
milliseconds, hundreds on a busy machine, and every request of the process waits meanwhile
(the p99 of the public reads, docs/performance.md). With Redis:

- an answer a process made is also written to Redis, and another process missing it takes it
  from there (checked against the generations as its own are) instead of making it again;
- past its time, an answer whose generations have not moved is still given for up to as long
  again while the *refresher* (``cityops readcache_refresh``, a process of its own) makes it
  again and writes it to Redis, where the web processes find it. A report's change still
  shows on the very next request: a moved generation is never given, refresher or not.

Without a live refresher (its heartbeat is missing) a web process makes the answer itself, as
before. The refresher asks through the same layer and Django's handler as a visitor without
cookies would, so what may be kept, and for whom, is decided by the same code.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from typing import Any

import redis
import redis.asyncio

from cityops.platform.readcache.answers import (
    ASGIApp,
    Entry,
    Headers,
    Message,
    Receive,
    Scope,
    visitor_of,
)

# The scope key the refresher sets: the layer makes the answer again (never from memory).
REFRESH = "cityops.read_cache_refresh"

logger = logging.getLogger(__name__)

PREFIX = "cityops:readcache:"
QUEUE = PREFIX + "refresh"
HEARTBEAT = PREFIX + "refresher"
HEARTBEAT_SECONDS = 5
# A process asks for a key's refresh at most this often; Redis holds a key asked until the
# refresher has made it (or for a minute, should it have stopped).
ASKED_SECONDS = 5
ASKED_IN_REDIS_SECONDS = 60
# While the refresher makes an answer, a process looks for its copy at most this often.
LOOK_EVERY_SECONDS = 0.1
TIMEOUT_SECONDS = 1.0

# The request headers a refresh carries: those the key is made of, and the host.
_CARRIED = frozenset({b"host", b"accept-language", b"hx-request"})


def key_name(key: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()


def entry_dump(entry: Entry, *, born: float, seconds: float) -> bytes:
    head = {
        "headers": [[n.decode("latin-1"), v.decode("latin-1")] for n, v in entry.headers],
        "parts": [len(part) for part in entry.parts],
        "digest": entry.digest,
        "depends_on": list(entry.depends_on),
        "generations": entry.generations,
        "last_modified": entry.last_modified,
        "until": born + seconds,  # wall clock: processes share it, not their monotonic clocks
    }
    text = json.dumps(head, separators=(",", ":")).encode()
    return len(text).to_bytes(4, "big") + text + b"".join(entry.parts)


def entry_load(data: bytes) -> Entry | None:
    """The entry written by ``entry_dump``, with this process's expiry; None once expired."""
    size = int.from_bytes(data[:4], "big")
    head = json.loads(data[4 : 4 + size])
    left = head["until"] - time.time()
    if left <= 0:
        return None
    parts, start = [], 4 + size
    for length in head["parts"]:
        parts.append(data[start : start + length])
        start += length
    headers: Headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in head["headers"]]
    return Entry(
        headers=headers,
        parts=parts,
        digest=head["digest"],
        depends_on=tuple(head["depends_on"]),
        generations=list(head["generations"]),
        last_modified=head["last_modified"],
        expires=time.monotonic() + left,
    )


def refresh_request(scope: Scope, *, language_cookie: str) -> bytes:
    """What the refresher needs to ask again as this visitor would, without their cookies but
    the language one (the CSRF cookie only decides the tokens, which are cut out)."""
    headers = []
    for name, value in scope.get("headers") or ():
        name = name.lower()
        if name in _CARRIED or name.startswith(b"x-forwarded-"):
            headers.append([name.decode("latin-1"), value.decode("latin-1")])
        elif name == b"cookie":
            language = _cookie_value(value.decode("latin-1"), language_cookie)
            if language is not None:
                headers.append(["cookie", f"{language_cookie}={language}"])
    return json.dumps(
        {
            "scheme": scope.get("scheme", "http"),
            "root_path": scope.get("root_path", ""),
            "path": scope["path"],
            "query_string": (scope.get("query_string") or b"").decode("latin-1"),
            "headers": headers,
            "server": list(scope["server"]) if scope.get("server") else None,
        }
    ).encode()


def _cookie_value(header: str, name: str) -> str | None:
    from django.http.cookie import parse_cookie

    return parse_cookie(header).get(name)


def refresh_scope(data: bytes) -> Scope:
    """The GET the refresher makes from a ``refresh_request``."""
    asked = json.loads(data)
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": asked["scheme"],
        "root_path": asked["root_path"],
        "path": asked["path"],
        "raw_path": asked["path"].encode(),
        "query_string": asked["query_string"].encode("latin-1"),
        "headers": [(n.encode("latin-1"), v.encode("latin-1")) for n, v in asked["headers"]],
        "server": tuple(asked["server"]) if asked["server"] else None,
        "client": ("127.0.0.1", 0),
    }


class SharedAnswers:
    """The kept answers in Redis, as the web processes (asyncio) read and write them."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._client: Any = None
        self._loop: Any = None
        self._looked: dict[str, float] = {}
        self._asked: dict[str, float] = {}
        self._alive_until = 0.0
        self._alive_checked = 0.0

    def _redis(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = redis.asyncio.Redis.from_url(
                self.url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
            )
            self._loop = loop
        return self._client

    async def get(self, key: tuple[Any, ...], *, every: float = 0.0) -> Entry | None:
        """The answer another process (or the refresher) made for ``key``, if still in time;
        looked for at most every ``every`` seconds per key (None meanwhile)."""
        name = key_name(key)
        now = time.monotonic()
        if now < self._looked.get(name, 0.0):
            return None
        self._looked[name] = now + every
        if len(self._looked) > 10_000:
            self._looked = {n: t for n, t in self._looked.items() if t > now}
        try:
            # Its time first (a few bytes): the answer itself (up to a megabyte) only if in time.
            until = await self._redis().get(PREFIX + "until:" + name)
            if until is None or float(until) <= time.time():
                return None
            data = await self._redis().get(PREFIX + "entry:" + name)
        except (redis.RedisError, OSError) as error:
            logger.warning("read cache: could not read a shared answer (%s)", error)
            return None
        return entry_load(data) if data else None

    async def put(self, key: tuple[Any, ...], entry: Entry, *, born: float, seconds: float) -> None:
        """Write what this process made, for the others; kept in Redis twice its time."""
        name, kept = key_name(key), max(1, int(2 * seconds) + 1)
        try:
            async with self._redis().pipeline(transaction=True) as both:
                both.set(
                    PREFIX + "entry:" + name, entry_dump(entry, born=born, seconds=seconds), ex=kept
                )
                both.set(PREFIX + "until:" + name, repr(born + seconds), ex=kept)
                await both.execute()
        except (redis.RedisError, OSError) as error:
            logger.warning("read cache: could not share an answer (%s)", error)
        self._looked.pop(key_name(key), None)

    async def refresher_alive(self) -> bool:
        """Whether a refresher beat its heart lately (asked of Redis once a second at most)."""
        now = time.monotonic()
        if now - self._alive_checked >= 1.0:
            self._alive_checked = now
            try:
                beat = await self._redis().exists(HEARTBEAT)
            except (redis.RedisError, OSError):
                beat = 0
            self._alive_until = now + 1.0 if beat else 0.0
        return now < self._alive_until

    async def refresh_ask(self, key: tuple[Any, ...], request: bytes) -> None:
        """Ask the refresher to make ``key`` again, unless asked in the last seconds (by this
        process: not even Redis is asked; by another: Redis says so)."""
        name = key_name(key)
        now = time.monotonic()
        if now < self._asked.get(name, 0.0):
            return
        self._asked[name] = now + ASKED_SECONDS
        if len(self._asked) > 10_000:
            self._asked = {n: t for n, t in self._asked.items() if t > now}
        try:
            client = self._redis()
            if await client.set(PREFIX + "asked:" + name, 1, nx=True, ex=ASKED_IN_REDIS_SECONDS):
                await client.rpush(QUEUE, request)
        except (redis.RedisError, OSError) as error:
            logger.warning("read cache: could not ask for a refresh (%s)", error)


class RefreshQueue:
    """The refresher's side (blocking): the heartbeat and the next request to make again."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=2)

    def beat(self) -> None:
        self.client.set(HEARTBEAT, 1, ex=HEARTBEAT_SECONDS)

    def done(self, key: tuple[Any, ...]) -> None:
        """``key`` is made: its next refresh may be asked."""
        self.client.delete(PREFIX + "asked:" + key_name(key))

    def next(self, *, wait: float) -> bytes | None:
        """The next asked refresh (a ``refresh_request``), or None after ``wait`` seconds."""
        popped = self.client.blpop([QUEUE], timeout=wait)
        if not popped:
            return None
        asked = popped[1]
        return asked if isinstance(asked, bytes) else asked.encode()

    def stop(self) -> None:
        self.client.delete(HEARTBEAT)


async def refresh_one(queue: RefreshQueue, application: ASGIApp, *, wait: float) -> bool:
    """Make the next asked answer again through ``application`` (the web application: the
    read cache in front of Django), which keeps it in Redis; False when none was asked."""
    asked = await asyncio.to_thread(queue.next, wait=wait)
    if asked is None:
        return False
    scope = {**refresh_scope(asked), REFRESH: True}
    await application(scope, _no_body(), _discard)
    visitor = visitor_of(scope)
    if visitor is not None:
        await asyncio.to_thread(queue.done, visitor.key)
    return True


def _no_body() -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client never leaves; cancelled once answered
        return {"type": "http.disconnect"}

    return receive


async def _discard(message: Message) -> None:
    """The answer goes nowhere: the layer has kept it in Redis."""
