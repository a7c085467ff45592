"""The portal's browser fixtures (Debian's Chromium, offline, map tiles stubbed), reused."""

from cityops.console.tests.browser.conftest import PHONE, browser, new_page, signed_in_as

__all__ = ["PHONE", "browser", "new_page", "signed_in_as"]
