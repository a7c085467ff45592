"""The console's browser fixtures (Chromium, offline, signed-in sessions, live streams), reused."""

from __future__ import annotations

import os
from pathlib import Path

from cityops.console.tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser,
    live_streams,
    new_page,
    signed_in_as,
)

__all__ = ["DESKTOP", "PHONE", "browser", "live_streams", "new_page", "shot", "signed_in_as"]


def shot(page, name: str) -> None:
    """Photograph the page into ``CITYOPS_SCREENSHOTS_DIR`` (docs/screenshots) when it is set."""
    folder = os.environ.get("CITYOPS_SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
