"""Django's ASGI handler, with the middleware chain and the views run in one thread hop, on
threads kept from one request to the next, at most three requests of a process at a time, and
request bodies capped before they are read."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import itertools
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import set_script_prefix, set_urlconf
from django.utils.log import log_response

from cityops.platform.bodylimit import REFUSED, declared_length, request_body_limit

Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

# Idle request threads kept by a process (a thread runs one request at a time).
KEPT_THREADS = 64
# Requests of a process running their synchronous part at once; the others wait their turn
# (``_Turns``). A request running longer than LONG_REQUEST_SECONDS stops counting.
RUNNING_REQUESTS = 3
LONG_REQUEST_SECONDS = 0.1


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
        self._turns = _Turns(size=RUNNING_REQUESTS, long_after=LONG_REQUEST_SECONDS)

    async def __call__(self, scope: Any, receive: Receive, send: Any) -> None:
        """Django's, but a request runs on a thread kept from an earlier request: Django starts
        a thread for each request (and another to wait for its end), which cost about as much
        CPU as answering /healthz itself (docs/performance.md, intake)."""
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        thread = self._threads.take()
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.handle(scope, receive, send, thread=thread)
        finally:
            self._threads.give_back(thread)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        chain: Callable[[HttpRequest], HttpResponseBase] = self._middleware_chain  # type: ignore[has-type]
        self._sync_chain = chain
        self._middleware_chain = self.adapt_method_mode(True, chain, method_is_async=False)

    async def handle(
        self, scope: Any, receive: Receive, send: Any, *, thread: _RequestThread | None = None
    ) -> None:
        """Django's, in one hop to the request's thread instead of four: the request_started
        signal, the middleware chain and view, and the response's closing (request_finished)
        run there together, and a whole answer is then sent from the event loop. A streamed
        answer (the event streams) is sent as Django sends it, listening for the client's
        disconnect. Never reads more of a body than ``request_body_limit()``: a body declared
        larger is not read at all, a chunked one stops being read once past it; the request is
        then marked and RequestBodyLimitMiddleware answers 413 (bodylimit.py)."""
        limit = request_body_limit()
        scope = dict(scope)  # the request's own: the mark must not leak into the server's
        length = declared_length(scope.get("headers", []))
        if length is not None and length > limit:
            scope[REFUSED] = True
        receive = _CappedReceive(receive, scope=scope, limit=limit)
        if thread is None:  # called on its own (tests): Django's way
            await super().handle(scope, receive, send)
            return
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        context = contextvars.copy_context()
        try:
            answer = await asyncio.wrap_future(
                self._turns.submit(thread, context.run, self._answer, scope, body_file)
            )
            if isinstance(answer, _Whole):
                await send({"type": "http.response.start", "status": answer.status,
                            "headers": answer.headers})  # fmt: skip
                await send({"type": "http.response.body", "body": answer.body})
            else:
                await self._stream(answer, receive, send)
        finally:
            body_file.close()

    def _answer(self, scope: Any, body_file: Any) -> _Whole | HttpResponseBase:
        """The request's synchronous part, on its thread: a whole answer, closed (as Django
        closes it once sent), or a streamed response to send from the event loop."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        response: Any = error_response  # a bad request's
        if request is not None:  # as BaseHandler.get_response
            set_urlconf(settings.ROOT_URLCONF)
            response = self._sync_chain(request)
            response._resource_closers.append(request.close)
            response._handler_class = self.__class__
            if response.status_code >= 400:
                log_response("%s: %s", response.reason_phrase, request.path,
                             response=response, request=request)  # fmt: skip
        if response.streaming:
            return response
        whole = _Whole(response.status_code, _headers(response), response.content)
        response.close()
        return whole

    async def _stream(self, response: HttpResponseBase, receive: Receive, send: Any) -> None:
        """Send a streamed response as Django does, stopping it when the client leaves."""
        sending = asyncio.create_task(self.send_response(response, send))
        listening = asyncio.create_task(self.listen_for_disconnect(receive))
        await asyncio.wait([sending, listening], return_when=asyncio.FIRST_COMPLETED)
        for task in (listening, sending):
            if not task.done():
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, RequestAborted):
                await task
        await sync_to_async(response.close)()


@dataclass(frozen=True)
class _Whole:
    """An answer ready to send: status, headers (with the cookies) and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _headers(response: HttpResponseBase) -> list[tuple[bytes, bytes]]:
    """The response's headers and cookies as ASGI sends them (as Django's send_response)."""
    headers = [
        (name.encode("ascii") if isinstance(name, str) else bytes(name),
         value.encode("latin1") if isinstance(value, str) else bytes(value))
        for name, value in response.items()
    ]  # fmt: skip
    for cookie in response.cookies.values():
        headers.append((b"Set-Cookie", cookie.output(header="").encode("ascii").strip()))
    return headers


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


class _Turns:
    """The requests of a process whose synchronous part runs now: at most ``size`` at once,
    the others waiting in the order they came.

    A request's thread needs the GIL for its Python work. With 16 of them in one process (wrk's
    32 connections on two processes), each one back from PostgreSQL or Redis fights the others
    for it: the kernel's futex wake-ups, context switches, a thread preempted while holding
    it. Three at a time still overlap one request's waits with another's work (figures in
    docs/performance.md, intake). The thread that finishes a request hands the next one to its
    thread itself, without a trip through the busy event loop. A request running for longer
    than ``long_after`` seconds (a heavy page, an outside service answering slowly) stops
    counting, so it holds the others up for that long at most. ``submit`` is called from the
    event loop's thread.
    """

    def __init__(self, *, size: int, long_after: float) -> None:
        self._size, self._long_after = size, long_after
        self._lock = threading.Lock()
        self._began: dict[int, float] = {}  # running turns: number → when it began
        self._waiting: deque[_Waiting] = deque()
        self._numbers = itertools.count()
        self._look_again: asyncio.TimerHandle | None = None
        self._look_again_on: asyncio.AbstractEventLoop | None = None  # a loop may end (tests)

    def submit(self, thread: _RequestThread, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        """Run ``fn(*args)`` on ``thread`` now, or when its turn comes; its future (cancelling
        it before then gives up the place)."""
        waiting = _Waiting(next(self._numbers), Future(), thread, fn, args)
        with self._lock:
            self._waiting.append(waiting)
            starting = self._admitted()
        self._start(starting)
        if self._waiting:
            self._wake_when_one_turns_long(asyncio.get_running_loop())
        return waiting.turn

    def _admitted(self) -> list[_Waiting]:
        """Those whose turn has come (called with the lock held)."""
        now = time.monotonic()
        since = now - self._long_after
        counted = sum(1 for began in self._began.values() if began > since)
        starting = []
        while self._waiting and counted < self._size:
            waiting = self._waiting.popleft()
            if waiting.turn.set_running_or_notify_cancel():  # False: its client left
                self._began[waiting.number] = now
                starting.append(waiting)
                counted += 1
        return starting

    def _start(self, starting: list[_Waiting]) -> None:
        for waiting in starting:
            running = waiting.thread.submit(waiting.fn, *waiting.args)
            running.add_done_callback(functools.partial(self._done, waiting))

    def _done(self, waiting: _Waiting, running: Future[Any]) -> None:
        """On the thread that ran it: the next in line starts, then the answer is passed on."""
        with self._lock:
            self._began.pop(waiting.number, None)
            starting = self._admitted()
        self._start(starting)
        error = running.exception()
        if error is not None:
            waiting.turn.set_exception(error)
        else:
            waiting.turn.set_result(running.result())

    def _wake_when_one_turns_long(self, loop: asyncio.AbstractEventLoop) -> None:
        """While requests wait, look again when the oldest counted turn stops counting (a
        millisecond after). One timer at a time: if that turn ends sooner, the timer finds
        nothing to do, or sets itself for the next."""
        if self._look_again is not None and self._look_again_on is loop:
            return
        with self._lock:
            since = time.monotonic() - self._long_after
            counted = [began for began in self._began.values() if began > since]
        if counted:
            delay = min(counted) - since + 0.001
            self._look_again = loop.call_later(delay, self._looked_again, loop)
            self._look_again_on = loop

    def _looked_again(self, loop: asyncio.AbstractEventLoop) -> None:
        self._look_again = None
        with self._lock:
            starting = self._admitted()
        self._start(starting)
        if self._waiting:
            self._wake_when_one_turns_long(loop)


@dataclass(frozen=True)
class _Waiting:
    """A request's synchronous part, waiting for its turn or running."""

    number: int
    turn: Future[Any]
    thread: _RequestThread
    fn: Callable[..., Any]
    args: tuple[Any, ...]


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
