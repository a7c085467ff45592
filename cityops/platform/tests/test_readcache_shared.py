"""Kept answers shared through Redis by the web processes, and made again by the refresher.

Each ``Site`` is a web process of its own (its own kept answers); Redis is what they share. A
second process takes the answer the first made; past its time an unchanged answer is still
given while the refresher makes it again, never a changed one; without a refresher a process
makes it itself, as before.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

import pytest
import redis
from django.core.management import CommandError, call_command
from django.db import connections
from django.middleware.csrf import _get_new_csrf_string, _unmask_cipher_token

from cityops.platform.readcache import layer
from cityops.platform.readcache.shared import (
    HEARTBEAT,
    QUEUE,
    RefreshQueue,
    refresh_one,
    refresh_request,
)
from cityops.platform.tests.readcache_client import Site
from cityops.platform.tests.servers import redis_or_skip
from cityops.reports.choices import ReportStatus

S = ReportStatus
TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def _django_inline(monkeypatch, settings):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.CITYOPS_READ_CACHE = True
    monkeypatch.setattr(layer, "LOOK_EVERY_SECONDS", 0)  # no pause between looks in Redis


@pytest.fixture
def redis_url(settings):
    """A Redis database of this test process's own (parallel test processes share Redis)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    url = f"redis://127.0.0.1:6379/{11 + int(worker or 0)}"
    redis_or_skip(url)
    redis.Redis.from_url(url).flushdb()
    settings.REDIS_URL = url
    return url


@pytest.fixture
def sites(redis_url):
    made: list[Site] = []

    def site() -> Site:
        made.append(Site())
        return made[-1]

    yield site
    for one in made:
        one.close()


@pytest.fixture
def past_its_time(time_machine, settings):
    """Every answer kept (by ``site`` and in Redis) is ``seconds`` past its time."""

    def move(site: Site, seconds: float = 1.0) -> None:
        time_machine.move_to(time.time() + settings.CITYOPS_READ_CACHE_SECONDS + seconds)
        for entry in site.cache.store._entries.values():  # time_machine leaves monotonic
            entry.expires = time.monotonic() - seconds

    return move


def _refresh(refresher: Site, url: str) -> bool:
    refresher.django.connections = {alias: connections[alias] for alias in connections}
    return refresher.loop.run_until_complete(
        refresh_one(RefreshQueue(url), refresher.cache, wait=0.1)
    )


def test_a_second_process_takes_the_answer_the_first_made(sites, report, change):
    one, two = sites(), sites()
    first = one.get("/api/v1/reports")
    second = two.get("/api/v1/reports")

    assert second.body == first.body
    assert second.header("ETag") == first.header("ETag")
    assert (one.django.answered, two.django.answered) == (1, 0)

    change(report)  # in neither of them: only Redis knows
    for site in (one, two):
        assert '"in_progress"' in site.get("/api/v1/reports").text
    assert (one.django.answered, two.django.answered) == (2, 0)  # made once, by the first


def test_a_page_from_another_process_carries_each_visitors_own_tokens(sites, report):
    one, two = sites(), sites()
    one.get(f"/reports/{report.pk}")
    secret = _get_new_csrf_string()

    page = two.get(f"/reports/{report.pk}", cookie=f"csrftoken={secret}")

    tokens = TOKEN.findall(page.text)
    assert tokens
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert two.django.answered == 0


def test_past_its_time_an_answer_is_given_while_the_refresher_makes_it_again(
    sites, report, redis_url, past_its_time
):
    web, refresher = sites(), sites()
    RefreshQueue(redis_url).beat()
    kept = web.get("/api/v1/reports")
    past_its_time(web)

    again = web.get("/api/v1/reports")  # not made here: asked of the refresher
    web.get("/api/v1/reports")  # asked once only
    assert again.body == kept.body
    assert web.django.answered == 1
    assert redis.Redis.from_url(redis_url).llen(QUEUE) == 1

    assert _refresh(refresher, redis_url)
    assert refresher.django.answered == 1
    assert not redis.Redis.from_url(redis_url).keys("cityops:readcache:asked:*")  # may ask again
    web.get("/api/v1/reports")  # the refresher's copy, in time again
    assert web.django.answered == 1
    assert all(e.expires > time.monotonic() for e in web.cache.store._entries.values())


def test_a_changed_answer_is_never_given_even_while_a_refresher_runs(
    sites, report, change, redis_url, past_its_time
):
    web = sites()
    RefreshQueue(redis_url).beat()
    web.get("/api/v1/reports")
    past_its_time(web)

    change(report)

    assert '"in_progress"' in web.get("/api/v1/reports").text
    assert web.django.answered == 2


def test_without_a_refresher_a_process_makes_the_answer_again_itself(sites, report, past_its_time):
    web = sites()
    web.get("/api/v1/reports")
    past_its_time(web)

    web.get("/api/v1/reports")

    assert web.django.answered == 2


def test_an_answer_past_twice_its_time_is_not_given_even_with_a_refresher(
    sites, report, settings, redis_url, past_its_time
):
    web = sites()
    RefreshQueue(redis_url).beat()
    web.get("/api/v1/reports")
    past_its_time(web, seconds=settings.CITYOPS_READ_CACHE_SECONDS + 1)

    web.get("/api/v1/reports")

    assert web.django.answered == 2


def test_the_refresher_asks_as_a_visitor_without_cookies_but_the_language():
    scope = {
        "path": "/",
        "headers": [
            (b"host", b"hue.example"),
            (b"cookie", b"csrftoken=abc; sessionid=secret-session; django_language=en"),
            (b"authorization", b"Bearer x"),
            (b"accept-language", b"en"),
        ],
    }

    asked = refresh_request(scope, language_cookie="django_language").decode()

    assert "secret-session" not in asked
    assert "csrftoken" not in asked
    assert "Bearer" not in asked
    assert "django_language=en" in asked
    assert "hue.example" in asked


def test_the_refresher_stops_cleanly_and_says_when_redis_is_missing(settings, redis_url):
    queue = RefreshQueue(redis_url)
    queue.beat()
    assert redis.Redis.from_url(redis_url).exists(HEARTBEAT)
    queue.stop()
    assert not redis.Redis.from_url(redis_url).exists(HEARTBEAT)
    assert asyncio.run(refresh_one(queue, None, wait=0.1)) is False  # nothing asked

    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("readcache_refresh")
