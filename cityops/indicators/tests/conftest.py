"""The indicators' tests: Huế's Department of Health with its e-health indicator, two new
communes (the 2025 codes), and a local HTTP server standing in for a department's API."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cityops.agencies.tests.factories import AgencyFactory, AreaFactory
from cityops.indicators.choices import Frequency
from cityops.indicators.tests.factories import IndicatorFactory


@pytest.fixture
def health(db):
    return AgencyFactory(code="so-y-te", name="Sở Y tế")


@pytest.fixture
def ehealth(health):
    """E-health records: 40 % of residents in 2020, 95 % by 2025."""
    return IndicatorFactory(
        code="ho-so-suc-khoe-dien-tu",
        name="Tỷ lệ dân số có hồ sơ sức khỏe điện tử",
        sector="health",
        unit="%",
        baseline_value=40.0,
        baseline_period=date(2020, 1, 1),
        target_value=95.0,
        target_year=2025,
        department=health,
    )


@pytest.fixture
def schools(health):
    return IndicatorFactory(
        code="truong-hoc-thong-minh",
        name="Số trường học thông minh",
        sector="education",
        unit="trường",
        baseline_value=0,
        target_value=120,
        target_year=2025,
        frequency=Frequency.QUARTERLY,
        baseline_period=date(2020, 10, 1),
    )


@pytest.fixture
def phu_xuan(db):
    return AreaFactory(code="19753", name="Phường Phú Xuân")


@pytest.fixture
def thuan_hoa(db):
    return AreaFactory(code="19789", name="Phường Thuận Hóa")


class FakeApi:
    """``routes``: path → (status, body bytes); ``base`` the server's address; ``asked`` the
    paths requested."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.base = ""
        self.asked: list[str] = []

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    api = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            api.asked.append(self.path)
            status, body = api.routes.get(self.path, (404, b"Not Found"))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
