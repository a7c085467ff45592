"""The portal's Chromium fixtures (offline, map tiles stubbed), reused by the agency's tests."""

from cityops.portal.tests.browser.conftest import browser, new_page

__all__ = ["browser", "new_page"]
