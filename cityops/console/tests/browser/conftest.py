"""The portal's browser fixtures (Debian's Chromium, offline, map tiles stubbed), reused."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from cityops.accounts.models import User
from cityops.platform.realtime import relay
from cityops.portal.tests.browser.conftest import DESKTOP, PHONE, browser, new_page

__all__ = ["DESKTOP", "PHONE", "browser", "new_page", "signed_in_as"]


def signed_in_as(page, user: User, base_url: str) -> None:
    """Give the page's browser a session of ``user`` (as if they had signed in)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


@pytest.fixture
def live_streams(settings) -> Iterator[None]:
    """Event streams that notice a closed page at once, and are all gone when the test ends.

    A stream's server thread learns that its browser left only when it next writes (its
    keep-alive); until then it holds a database connection, which would keep the test
    database from being dropped.
    """
    settings.CITYOPS_SSE_KEEPALIVE_SECONDS = 0.2
    yield
    deadline = time.monotonic() + 5
    while relay().hub.connections and time.monotonic() < deadline:
        time.sleep(0.05)
