from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from cityops.transit.selectors import _trip_schedule
from cityops.transit.services import feed_import
from cityops.transit.tests.factories import CAIRNS, feed_zip

HUE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour: int, minute: int, second: int = 0) -> datetime:
    """A moment on Monday 7 December 2026, Huế time."""
    return datetime(2026, 12, 7, hour, minute, second, tzinfo=HUE)


@pytest.fixture(autouse=True)
def _fresh(settings):
    cache.clear()
    _trip_schedule.cache_clear()  # primary keys repeat across tests' rolled-back databases
    yield
    _trip_schedule.cache_clear()


@pytest.fixture
def cairns() -> Path:
    if not CAIRNS.is_file():
        pytest.skip(f"the GTFS sample is not at {CAIRNS.resolve()}")
    return CAIRNS


@pytest.fixture
def hue_feed(db, tmp_path):
    return feed_import(path=feed_zip(tmp_path)).feed
