"""The press tests' peers and stand-ins: a local HTTP server playing three Huế outlets (RSS with
ETag, Atom with Last-Modified, RSS without validators), a broken one and a slow one; the tone
and category models replaced by word rules (the tone model is another package's, and its own
tests judge it); a fixed "now"."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cityops.agencies.tests.factories import AreaFactory
from cityops.intel.classifier import Suggestion
from cityops.intel.text import fold
from cityops.platform import clock
from cityops.press.services import analysis
from cityops.reports.tests.factories import CategoryFactory

DATA = Path(__file__).parent / "data"
HUE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=HUE)

ROUTES: dict[str, tuple[str, str, dict[str, str]]] = {
    "/a/rss.xml": ("a_rss.xml", "application/rss+xml", {"ETag": '"a-v1"'}),
    "/b/atom.xml": (
        "b_atom.xml",
        "application/atom+xml",
        {"Last-Modified": "Sat, 05 Dec 2026 02:20:00 GMT"},
    ),
    "/c/rss.xml": ("c_rss.xml", "application/rss+xml", {}),
    "/slow/rss.xml": ("c_rss.xml", "application/rss+xml", {}),
    "/a/mua-lon-ngap-phu-hoi.html": ("a_flood.html", "text/html; charset=utf-8", {}),
    "/a/le-hoi-den-long.html": ("a_festival.html", "text/html; charset=utf-8", {}),
    "/b/pho-phu-hoi-ngap.html": ("b_flood.html", "text/html; charset=utf-8", {}),
    "/c/ngap-sau-phu-hoi.html": ("c_flood.html", "text/html; charset=utf-8", {}),
    "/notafeed/rss.xml": ("a_festival.html", "text/html; charset=utf-8", {}),
}
SLOW_SECONDS = 2.0


@dataclass
class PressServer:
    base: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)

    def headers_of_last(self, path: str) -> dict[str, str]:
        return [headers for seen, headers in self.requests if seen == path][-1]


def _handler(server: PressServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            server.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            if path == "/error/rss.xml":
                self._send(500, b"Internal Server Error", "text/plain")
                return
            if path == "/slow/rss.xml":
                time.sleep(SLOW_SECONDS)
            if path not in ROUTES:
                self._send(404, b"Not Found", "text/plain")
                return
            name, content_type, validators = ROUTES[path]
            etag, modified = validators.get("ETag"), validators.get("Last-Modified")
            if (etag and self.headers.get("If-None-Match") == etag) or (
                modified and self.headers.get("If-Modified-Since") == modified
            ):
                self.send_response(304)
                self.end_headers()
                return
            body = (DATA / name).read_text(encoding="utf-8").replace("{base}", server.base)
            self._send(200, body.encode(), content_type, validators)

        def _send(
            self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    return Handler


@pytest.fixture
def press_server() -> Iterator[PressServer]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    peer = PressServer(base=f"http://127.0.0.1:{http.server_address[1]}")
    http.RequestHandlerClass = _handler(peer)
    http.daemon_threads = True
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield peer
    http.shutdown()
    http.server_close()


@pytest.fixture(autouse=True)
def press_settings(settings):
    # Generous: the local server runs in the test's own process, which a loaded CI machine can
    # hold up for more than half a second (a poll then missed a page). The slow outlet's test
    # sets its own shorter timeout.
    settings.CITYOPS_PRESS = {
        **settings.CITYOPS_PRESS,
        "connect_timeout": 5.0,
        "read_timeout": 5.0,
    }
    return settings.CITYOPS_PRESS


NEGATIVE_WORDS = ("buc xuc", "cham tre", "sai pham", "hoi thoi", "nguy hiem", "ngap sau")
POSITIVE_WORDS = ("cam on", "thu hut du khach", "ruc ro")


@dataclass(frozen=True)
class FakeTone:
    tone: str
    confidence: float


def fake_tone_of(text: str) -> FakeTone:
    folded = fold(text)
    if any(word in folded for word in NEGATIVE_WORDS):
        return FakeTone("negative", 0.9)
    if any(word in folded for word in POSITIVE_WORDS):
        return FakeTone("positive", 0.8)
    return FakeTone("neutral", 0.6)


def fake_suggest_category(text: str) -> Suggestion:
    folded = fold(text)
    if "ngap" in folded or "o ga" in folded:
        return Suggestion(category="urban-infrastructure", confidence=0.8)
    if "rac" in folded or "ve sinh" in folded:
        return Suggestion(category="sanitation", confidence=0.7)
    return Suggestion(category="other", confidence=0.4)


@pytest.fixture(autouse=True)
def models_by_rules(monkeypatch):
    """The tone and category models as word rules (see the module's docstring)."""
    monkeypatch.setattr(
        analysis, "tone_of", lambda text: analysis.ToneResult(**vars(fake_tone_of(text)))
    )
    monkeypatch.setattr(analysis, "suggest_category", fake_suggest_category)


@pytest.fixture
def categories(db):
    return {
        code: CategoryFactory(code=code, name=name)
        for code, name in (
            ("urban-infrastructure", "Hạ tầng đô thị"),
            ("sanitation", "Vệ sinh môi trường"),
            ("other", "Khác"),
        )
    }


@pytest.fixture
def phu_hoi(db):
    return AreaFactory(name="Phường Phú Hội", centroid_lat=16.4655, centroid_lon=107.5975)


@pytest.fixture
def frozen() -> Iterator[datetime]:
    with clock.frozen_at(NOW):
        yield NOW
