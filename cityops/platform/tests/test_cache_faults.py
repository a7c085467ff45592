"""Redis cannot be reached: every page that reads the cache still answers, only slower."""

from __future__ import annotations

import logging
import runpy
import socket
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

import cityops
from cityops.monitoring.tests.factories import SensorFactory
from cityops.reports.tests.helpers import report_in

pytestmark = pytest.mark.django_db


def production_caches(monkeypatch, redis_url: str) -> dict:
    """``CACHES`` as cityops/settings.py builds it for ``REDIS_URL``."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    return runpy.run_path(str(Path(cityops.__file__).parent / "settings.py"))["CACHES"]


@pytest.fixture
def redis_down(settings, monkeypatch):
    """REDIS_URL names a port nobody listens on, with the cache the settings make of it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = production_caches(monkeypatch, url)
    settings.REDIS_URL = url
    yield
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_the_pages_that_cache_work_while_redis_is_unreachable(
    redis_down, operator, agency, agency_staff, leader, caplog
):
    report_in("resolved", operator=operator, agency=agency, staff=agency_staff)
    SensorFactory(code="hue-aq-01")
    citizen_view, leader_view = Client(), Client()
    leader_view.force_login(leader)
    with caplog.at_level(logging.WARNING, logger="cityops.platform.cache"):
        for client, url in [
            (citizen_view, "/"),
            (citizen_view, "/api/v1/reports"),
            (citizen_view, "/transparency/"),
            (citizen_view, "/air/"),
            (leader_view, "/dashboard/"),
            (leader_view, "/dashboard/"),  # the second time without trying Redis again
        ]:
            assert client.get(url).status_code == 200, url
    assert caplog.text.count("Redis unavailable") == 1


def test_the_cache_reads_as_empty_and_writes_are_dropped(redis_down):
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["key"]) == {}
    assert cache.add("key", "value") is False
    assert cache.get_or_set("key", "computed") == "computed"
    with pytest.raises(ValueError, match="not found"):
        cache.incr("key")
