"""Django's ASGI handler, with the middleware chain and the views run in one thread hop, on
threads kept from one request to the next, and request bodies capped before they are read."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from cityops.platform.bodylimit import REFUSED, declared_length, request_body_limit

Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

# Idle request threads kept by a process (a thread runs one request at a time).
KEPT_THREADS = 64


class SyncChainASGIHandler(ASGIHandler):
    """Runs each request's middleware and view synchronously, in one thread.

    CityOps' views are synchronous; the event streams too: they return an async iterator,
    which the handler consumes on the event loop after the chain has answered. Django's own
    ASGI chain is asynchronous, and Django's middleware (sessions, CSRF, authentication, …)
    then run each ``process_request`` and ``process_response`` in a thread of their own, and
    the view and CSRF's view check in two more: some seventeen hops between the event loop and
    a thread for a request, each with its context switch. Here the whole chain is the one
    WSGI uses, entered once. The request still gets its own thread (Django's per-request
    ``ThreadSensitiveContext``), so requests waiting on the database overlap as before.
    /healthz served 1.5 to 2 times as many requests a second (docs/performance.md).
    """

    def __init__(self) -> None:
        super().__init__()
        self._threads = _RequestThreads(keep=KEPT_THREADS)

    async def __call__(self, scope: Any, receive: Receive, send: Any) -> None:
        """Django's, but a request runs on a thread kept from an earlier request: Django starts
        a thread for each request (and another to wait for its end), which cost about as much
        CPU as answering /healthz itself (docs/performance.md, intake)."""
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        thread = self._threads.take()
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send)
        finally:
            self._threads.give_back(thread)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        chain: Callable[[HttpRequest], HttpResponseBase] = self._middleware_chain  # type: ignore[has-type]
        self._middleware_chain = self.adapt_method_mode(True, chain, method_is_async=False)

    async def handle(self, scope: Any, receive: Receive, send: Any) -> None:
        """Django's, but never reading more of a body than ``request_body_limit()``: a body
        declared larger is not read at all, a chunked one stops being read once past it. The
        request is then marked and RequestBodyLimitMiddleware answers 413 (bodylimit.py)."""
        limit = request_body_limit()
        scope = dict(scope)  # the request's own: the mark must not leak into the server's
        length = declared_length(scope.get("headers", []))
        if length is not None and length > limit:
            scope[REFUSED] = True
        await super().handle(scope, _CappedReceive(receive, scope=scope, limit=limit), send)


class _CappedReceive:
    """The server's ``receive``, ending the body early (empty) once it is refused.

    After that, Django only listens for the client's disconnect; the unread body would come
    instead, so this waits until Django stops listening (its answer is sent).
    """

    def __init__(self, receive: Receive, *, scope: dict[str, Any], limit: int) -> None:
        self.receive, self.scope, self.limit = receive, scope, limit
        self.received = 0
        self.body_done = False

    async def __call__(self) -> Message:
        if self.body_done and self.scope.get(REFUSED):
            await asyncio.Event().wait()  # cancelled when the response has been sent
        if self.scope.get(REFUSED):
            self.body_done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        message = await self.receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.scope[REFUSED] = True
                self.body_done = True
                return {"type": "http.request", "body": b"", "more_body": False}
            self.body_done = not message.get("more_body", False)
        return message


class _RequestThread(ThreadPoolExecutor):
    """One thread, running one request's synchronous work at a time, and knowing whether it
    still runs some (a request whose client left is not waited for)."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="cityops-request")
        self._lock = threading.Lock()
        self.running = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            self.running += 1
        future = super().submit(fn, *args, **kwargs)
        # Added before asyncio's own callback: counted down before the awaiting request resumes.
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any]) -> None:
        with self._lock:
            self.running -= 1


class _RequestThreads:
    """Idle request threads; used from the event loop's thread only."""

    def __init__(self, *, keep: int) -> None:
        self._idle: list[_RequestThread] = []
        self._keep = keep

    def take(self) -> _RequestThread:
        return self._idle.pop() if self._idle else _RequestThread()

    def give_back(self, thread: _RequestThread) -> None:
        """Keep ``thread`` for another request, unless it still runs this one's work (the next
        request would wait for it) or enough are kept: it then ends once its work is done."""
        if thread.running == 0 and len(self._idle) < self._keep:
            self._idle.append(thread)
        else:
            thread.shutdown(wait=False)
