"""Seeding on first start: what ``cityops run`` calls before it serves."""

from __future__ import annotations

from cityops.agencies.models import Area
from cityops.demo.demo_data import demo_data_exists, seed_demo
from cityops.demo.hue import seed_configuration


def seed_if_first_start(*, demo: bool, progress: bool = True) -> bool:
    """Seed Huế's configuration on an empty database, and demo data once if ``demo``.

    Returns whether anything was seeded. A city that already has areas keeps its configuration
    untouched; ``cityops seed`` refreshes it on request.
    """
    seeded = False
    if not Area.objects.exists():
        seed_configuration()
        seeded = True
    if demo and not demo_data_exists():
        seed_demo(progress=progress)
        seeded = True
    return seeded
