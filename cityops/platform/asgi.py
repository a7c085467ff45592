"""Django's ASGI handler, with the middleware chain and the views run in one thread hop."""

from __future__ import annotations

from collections.abc import Callable

from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest
from django.http.response import HttpResponseBase


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

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        chain: Callable[[HttpRequest], HttpResponseBase] = self._middleware_chain  # type: ignore[has-type]
        self._middleware_chain = self.adapt_method_mode(True, chain, method_is_async=False)
