"""The portal's browser fixtures (Debian's Chromium, offline, map tiles stubbed), reused."""

from cityops.portal.tests.browser.conftest import DESKTOP, PHONE, browser, new_page

__all__ = ["DESKTOP", "PHONE", "browser", "new_page"]
