"""The portal's browser fixtures (Debian's Chromium, offline, map tiles stubbed), reused."""

from cityops.portal.tests.browser.conftest import PHONE, browser, new_page

__all__ = ["PHONE", "browser", "new_page"]
