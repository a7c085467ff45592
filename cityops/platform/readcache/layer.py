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
from cityops.platform.readcache.shared import (
    LOOK_EVERY_SECONDS,
    REFRESH,
    SharedAnswers,
    refresh_request,
)

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
        self._shared: SharedAnswers | None = None

    @property
    def seconds(self) -> float:
        return float(settings.CITYOPS_READ_CACHE_SECONDS)

    @property
    def shared(self) -> SharedAnswers | None:
        """The answers shared through Redis (with ``REDIS_URL``; embedded: none)."""
        url = settings.REDIS_URL
        if not url:
            return None
        if self._shared is None or self._shared.url != url:
            self._shared = SharedAnswers(url)
        return self._shared

    async def kept(self, visitor: Visitor, scope: Scope) -> Entry | None:
        """The kept answer for ``visitor``, if still current. Past its time, while another
        request or the refresher makes it again, it is still given: no report changed, and
        the others need not wait (for as long again at most, with a refresher)."""
        key = visitor.key
        entry = self.store.get(key)
        if entry is not None:
            now = time.monotonic()
            in_time = now < entry.expires or key in self.making
            refreshed = self.shared is not None and now < entry.expires + self.seconds
            if in_time or refreshed:
                current = await generations().current(entry.depends_on)
                if current == entry.generations:
                    return entry if in_time else await self._refreshed(visitor, scope, entry)
        return await self._from_shared(key) if self.shared is not None else None

    async def _from_shared(self, key: tuple[Any, ...], *, every: float = 0.0) -> Entry | None:
        """The answer another process or the refresher made, if still current (looked for at
        most every ``every`` seconds)."""
        shared = self.shared
        assert shared is not None
        entry = await shared.get(key, every=every)
        if entry is None:
            return None
        current = await generations().current(entry.depends_on)
        if current != entry.generations:
            return None
        self.store.put(key, entry)
        return entry

    async def _refreshed(self, visitor: Visitor, scope: Scope, entry: Entry) -> Entry | None:
        """Past its time, unchanged: the refresher's new copy, or this one while it makes one;
        None (this process makes it) when no refresher is alive."""
        shared = self.shared
        assert shared is not None
        found = await self._from_shared(visitor.key, every=LOOK_EVERY_SECONDS)
        if found is not None:
            return found
        if not await shared.refresher_alive():
            return None
        request = refresh_request(scope, language_cookie=settings.LANGUAGE_COOKIE_NAME)
        await shared.refresh_ask(visitor.key, request)
        return entry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not settings.CITYOPS_READ_CACHE:
            return await self.app(scope, receive, send)
        visitor = visitor_of(scope)
        if visitor is None:
            return await self.app(scope, receive, send)
        if scope.get(REFRESH):
            return await self._make(scope, receive, send, visitor)  # the refresher asks
        entry = await self.kept(visitor, scope)
        if entry is not None:
            return await answer(entry, visitor, send)
        if visitor.head:
            return await self.app(scope, receive, send)  # a GET fills the cache, HEAD reads it
        making = self.making.get(visitor.key)
        if making is not None:
            await asyncio.shield(making)
            entry = await self.kept(visitor, scope)
            if entry is not None:
                return await answer(entry, visitor, send)
        return await self._make(scope, receive, send, visitor)

    async def _make(self, scope: Scope, receive: Receive, send: Send, visitor: Visitor) -> None:
        """Django makes the answer; kept (and shared) if it may be."""
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
                seconds=self.cache.seconds,
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
            if self.cache.shared is not None:
                await self.cache.shared.put(
                    self.visitor.key, entry, born=self.born, seconds=self.cache.seconds
                )
        await answer(entry, self.visitor, self.send, secret=secret)

    async def finish(self) -> None:
        """Django ended without a complete body (a disconnect): send what was held."""
        if not self.passing and not self.done and self.start is not None:
            await self._pass_held(more=False)
