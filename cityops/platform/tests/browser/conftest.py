"""The portal's browser fixtures (Debian's Chromium, offline, map tiles stubbed), reused."""

from cityops.console.tests.browser.conftest import live_streams, signed_in_as
from cityops.portal.tests.browser.conftest import DESKTOP, PHONE, browser, new_page

__all__ = ["DESKTOP", "PHONE", "browser", "live_streams", "new_page", "signed_in_as"]
