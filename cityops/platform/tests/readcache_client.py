"""A client for the read cache in tests: the real ``ReadCache`` in front of Django.

``Site`` runs Django's handler in the test's own thread and database connection
(``InlineDjango``), so that it reads the test's transaction: no ``transaction=True`` needed.
It counts the requests Django answered, so a test can tell an answer from the cache from one
of Django.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

from cityops.platform.readcache import OFFER, ReadCache


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        found = [value for key, value in self.headers if key.lower() == name.lower()]
        return found[0] if found else None

    @property
    def text(self) -> str:
        return self.body.decode()


class InlineDjango:
    """Django's WSGI handler as an ASGI application, run in the caller's thread."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.answered = 0
        # Inside an event loop Django would open other connections (per task): it gets those
        # of the test's thread, taken there before each request (``Site.request``).
        self.connections: dict[str, Any] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        environ = {
            "REQUEST_METHOD": scope["method"],
            "SCRIPT_NAME": "",
            "PATH_INFO": scope["path"],
            "QUERY_STRING": scope["query_string"].decode("latin-1"),
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": scope["scheme"],
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.errors": io.StringIO(),
            OFFER: scope.get(OFFER),
        }
        for name, value in scope["headers"]:
            key = name.decode("latin-1").upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = f"HTTP_{key}"
            environ[key] = value.decode("latin-1")
        for alias, connection in self.connections.items():
            setattr(connections._connections, alias, connection)  # type: ignore[attr-defined]
        started: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> None:
            started.update(status=int(status.split()[0]), headers=headers)

        # As Django's test client: the test's connection stays open across requests.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.handler(environ, start_response)  # type: ignore[arg-type]
            content = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        self.answered += 1
        headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in started["headers"]]
        await send({"type": "http.response.start", "status": started["status"], "headers": headers})
        await send({"type": "http.response.body", "body": content})


class Site:
    """The cache in front of ``app`` (Django in this thread unless given), on one event loop."""

    def __init__(self, app: Any = None) -> None:
        self.django = app or InlineDjango()
        self.cache = ReadCache(self.django)
        self.loop = asyncio.new_event_loop()

    def close(self) -> None:
        self.loop.close()

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> Answer:
        path, _, query = path.partition("?")
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
            "query_string": query.encode(), "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
            "headers": [(b"host", b"testserver")] + [
                (name.lower().encode(), value.encode()) for name, value in (headers or {}).items()
            ],
        }  # fmt: skip
        messages: list[dict[str, Any]] = []
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        if isinstance(self.django, InlineDjango):
            self.django.connections = {alias: connections[alias] for alias in connections}
        self.loop.run_until_complete(self.cache(scope, receive, send))  # type: ignore[arg-type]
        start = messages[0]
        return Answer(
            status=start["status"],
            headers=[(n.decode("latin-1"), v.decode("latin-1")) for n, v in start["headers"]],
            body=b"".join(m.get("body", b"") for m in messages[1:]),
        )

    def get(self, path: str, **headers: str) -> Answer:
        return self.request(path, headers={k.replace("_", "-"): v for k, v in headers.items()})
