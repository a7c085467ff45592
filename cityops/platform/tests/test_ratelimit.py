"""Rate limits: counted per window, all of a request's limits at once, shared through Redis."""

import logging
import os
import socket
import uuid
from datetime import UTC, datetime

import pytest
import redis
import time_machine
from django.core.cache import cache

from cityops.platform import ratelimit
from cityops.platform.ratelimit import Hit, Rate, rate_limit_hit, rate_limits_hit
from cityops.platform.tests.servers import redis_or_skip

REDIS_URL = os.environ.get("CITYOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NOON = datetime(2026, 3, 9, 12, 0, 10, tzinfo=UTC)  # 10 s into a minute


@pytest.fixture(autouse=True)
def _no_counts():
    cache.clear()
    yield
    cache.clear()


def _hits(n: int, *, scope: str = "t", key: str = "1.2.3.4", rate: str = "2/m") -> list:
    return [rate_limit_hit(scope=scope, key=key, rate=Rate.parse(rate)) for _ in range(n)]


@time_machine.travel(NOON, tick=False)
def test_hits_beyond_the_rate_wait_until_the_window_ends(settings):
    settings.REDIS_URL = ""
    assert _hits(3) == [None, None, 50]


def test_a_new_window_starts_counting_again(settings):
    settings.REDIS_URL = ""
    with time_machine.travel(NOON, tick=False):
        assert _hits(3)[-1] == 50
    with time_machine.travel(NOON.replace(minute=1), tick=False):
        assert _hits(1) == [None]


@time_machine.travel(NOON, tick=False)
def test_limits_counted_together_answer_with_the_longest_wait(settings):
    settings.REDIS_URL = ""
    per_minute = Hit("ip", "1.2.3.4", Rate.parse("1/m"))
    per_hour = Hit("key", "7", Rate.parse("1/h"))

    assert rate_limits_hit([per_minute, per_hour]) is None
    assert rate_limits_hit([per_minute, per_hour]) == 3600 - 10
    assert rate_limits_hit([Hit("ip", "5.6.7.8", Rate.parse("1/m")), per_hour]) == 3600 - 10


@pytest.fixture
def redis_url(settings):
    redis_or_skip(REDIS_URL)
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    settings.REDIS_URL = REDIS_URL
    yield client
    ratelimit._redis.cache_clear()


@time_machine.travel(NOON, tick=False)
def test_with_redis_the_count_is_shared_and_expires_with_its_window(redis_url):
    scope = f"test-{uuid.uuid4().hex}"
    assert _hits(2, scope=scope) == [None, None]
    ratelimit._redis.cache_clear()  # another process: a client of its own

    assert _hits(1, scope=scope) == [50]
    (counter,) = redis_url.keys(f"cityops:ratelimit:{scope}:*")
    assert int(redis_url.get(counter)) == 3
    assert 0 < redis_url.ttl(counter) <= 61


def test_with_redis_down_the_limits_hold_in_each_process_and_it_is_logged(settings, caplog):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    scope = f"test-{uuid.uuid4().hex}"
    try:
        with (
            time_machine.travel(NOON, tick=False),
            caplog.at_level(logging.WARNING, logger="cityops.platform.ratelimit"),
        ):
            assert _hits(3, scope=scope) == [None, None, 50]  # e.g. sign-ins: still throttled
    finally:
        ratelimit._redis.cache_clear()
    assert "Redis unavailable" in caplog.text
