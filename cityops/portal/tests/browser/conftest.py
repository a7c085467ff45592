"""Playwright (Python) on Debian's Chromium against pytest-django's live server.

Never ``playwright install``: the tests launch /usr/bin/chromium. Without it they are skipped
with a reason on a developer's machine and fail in CI (CI=true), where it must be installed.
Every request leaving the live server is refused, except map tiles, which get a tiny PNG.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (236, 232, 222)).save(out, "PNG")
    return out.getvalue()


TILE = tile_png()


def is_tile(url: str) -> bool:
    return "tile.openstreetmap.org" in urlsplit(url).netloc


@pytest.fixture
def browser(monkeypatch) -> Iterator:
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API keeps an event loop in this thread; Django's ORM would refuse to
    # run in it. The test's own database work is plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _offline(route) -> None:
    url = route.request.url
    host = urlsplit(url).hostname or ""
    if is_tile(url):
        route.fulfill(status=200, body=TILE, content_type="image/png")
    elif host in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(viewport, language)``: a fresh, offline browser context on the live server."""
    contexts = []

    def make(viewport: dict | None = None, language: str = "vi"):
        context = browser.new_context(
            viewport=viewport or PHONE,
            locale="vi-VN" if language == "vi" else "en-GB",
            base_url=live_server.url,
        )
        context.route("**/*", _offline)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()
