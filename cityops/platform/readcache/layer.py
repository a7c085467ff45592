"""The ASGI layer in front of Django."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from django.conf import settings

from cityops.platform.readcache.answers import (
    ASGIApp,
    Entry,
    Message,
    Receive,
    Scope,
    Send,
    Store,
    Visitor,
    answer,
    entry_of,
    visitor_of,
)
from cityops.platform.readcache.declare import OFFER, Offer
from cityops.platform.readcache.generations import generations

# -- the layer --------------------------------------------------------------------------------


class ReadCache:
    """The ASGI layer; ``CITYOPS_READ_CACHE = False`` passes every request straight to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.store = Store(
            entries=settings.CITYOPS_READ_CACHE_ENTRIES, size=settings.CITYOPS_READ_CACHE_BYTES
        )
        # Answers being made, by key: who asks meanwhile waits for them rather than asking
        # Django too (32 clients at once would otherwise make the 1000-request page 32 times).
        self.making: dict[tuple[Any, ...], asyncio.Future[None]] = {}

    async def kept(self, key: tuple[Any, ...]) -> Entry | None:
        """The kept answer for ``key``, if still current. Past its time, while another request
        makes it again, it is still given: no report changed, and the others need not wait."""
        entry = self.store.get(key)
        if entry is None:
            return None
        if time.monotonic() >= entry.expires and key not in self.making:
            return None
        current = await generations().current(entry.depends_on)
        return entry if current == entry.generations else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not settings.CITYOPS_READ_CACHE:
            return await self.app(scope, receive, send)
        visitor = visitor_of(scope)
        if visitor is None:
            return await self.app(scope, receive, send)
        entry = await self.kept(visitor.key)
        if entry is not None:
            return await answer(entry, visitor, send)
        if visitor.head:
            return await self.app(scope, receive, send)  # a GET fills the cache, HEAD reads it
        making = self.making.get(visitor.key)
        if making is not None:
            await asyncio.shield(making)
            entry = await self.kept(visitor.key)
            if entry is not None:
                return await answer(entry, visitor, send)
        started = await generations().sequence()
        if started is None:
            return await self.app(scope, receive, send)
        made: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.making.setdefault(visitor.key, made)
        offer = Offer()
        capture = _Capture(self, visitor, offer, started=started, born=time.time(), send=send)
        try:
            await self.app({**scope, OFFER: offer}, receive, capture)
            await capture.finish()
        finally:
            if self.making.get(visitor.key) is made:
                del self.making[visitor.key]
            made.set_result(None)


class _Capture:
    """Django's ``send``: an opted-in 200 is held until complete, kept, then answered."""

    def __init__(
        self,
        cache: ReadCache,
        visitor: Visitor,
        offer: Offer,
        *,
        started: int,
        born: float,
        send: Send,
    ) -> None:
        self.cache, self.visitor, self.offer, self.send = cache, visitor, offer, send
        self.started, self.born = started, born
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.held = 0
        self.passing = False
        self.done = False

    async def __call__(self, message: Message) -> None:
        if self.passing:
            return await self.send(message)
        if message["type"] == "http.response.start":
            if self.offer.depends_on is None or message["status"] != 200:
                self.passing = True
                return await self.send(message)
            self.start = message
            return None
        if message["type"] != "http.response.body":
            return await self.send(message)
        self.chunks.append(message.get("body", b""))
        self.held += len(self.chunks[-1])
        if self.held > self.cache.store.max_size:
            await self._pass_held(more=message.get("more_body", False))
        elif not message.get("more_body", False):
            await self._keep_and_answer()
        return None

    async def _pass_held(self, *, more: bool) -> None:
        self.passing = True
        assert self.start is not None
        await self.send(self.start)
        body = b"".join(self.chunks)
        await self.send({"type": "http.response.body", "body": body, "more_body": more})
        self.chunks = []

    async def _keep_and_answer(self) -> None:
        self.done = True
        assert self.start is not None
        assert self.offer.depends_on is not None
        depends_on = self.offer.depends_on
        current = await generations().current(depends_on)
        body = b"".join(self.chunks)
        made = (
            entry_of(
                self.start["status"],
                list(self.start.get("headers") or []),
                body,
                depends_on=depends_on,
                generations=current,
                born=self.born,
                seconds=settings.CITYOPS_READ_CACHE_SECONDS,
            )
            if current is not None
            else None
        )
        if made is None:
            self.chunks = [body]
            return await self._pass_held(more=False)
        entry, secret = made
        # Kept only if nothing it depends on changed since Django began reading: else the
        # answer may hold the older state, and the next request must not get it.
        assert current is not None
        if all(value <= self.started for value in current):
            self.cache.store.put(self.visitor.key, entry)
        await answer(entry, self.visitor, self.send, secret=secret)

    async def finish(self) -> None:
        """Django ended without a complete body (a disconnect): send what was held."""
        if not self.passing and not self.done and self.start is not None:
            await self._pass_held(more=False)
