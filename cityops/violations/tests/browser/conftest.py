"""The portal's Chromium fixtures (offline, map tiles stubbed), the console's signed-in pages,
and the page tests' officers and camera, reused by the violations journey."""

from cityops.console.tests.browser.conftest import DESKTOP, PHONE, browser, new_page, signed_in_as
from cityops.violations.tests.pages.conftest import camera, officer_a, officer_b

__all__ = [
    "DESKTOP",
    "PHONE",
    "browser",
    "camera",
    "new_page",
    "officer_a",
    "officer_b",
    "signed_in_as",
]
