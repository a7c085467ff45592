"""The demo's bus schedule: four simplified Huế routes, for ``make run`` and ``cityops seed``."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from cityops.transit.selectors import feed_current
from cityops.transit.services.gtfs_import import feed_import
from cityops.transit.simulation import DEMO_SOURCE, demo_feed_files


def transit_seed_demo() -> dict[str, int]:
    """Import the demo schedule unless a schedule is current (a real feed is never replaced);
    returns the rows imported per file, empty when nothing was imported."""
    if feed_current() is not None:
        return {}
    with tempfile.TemporaryDirectory(prefix="cityops-demo-gtfs-") as folder:
        path = Path(folder) / DEMO_SOURCE
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in demo_feed_files().items():
                archive.writestr(name, text)
        imported = feed_import(path=path)
    return dict(imported.counts)
