"""Fixed-window rate limits: counted in Redis when REDIS_URL is set (shared by every process),
else in the process's cache (the embedded run is one process).

A limit is checked on every public write, so with Redis it costs one round trip: INCR and the
window's expiry in one pipeline. When Redis cannot be reached, the failure is logged and each
process counts on its own meanwhile: an IOC keeps taking reports while Redis is down, and
sign-ins stay throttled (per process, so a little looser).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import redis
from django.conf import settings
from django.core.cache import BaseCache, cache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

# Where this process counts while Redis is unreachable.
_counts_while_redis_is_down = LocMemCache("cityops-ratelimit", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"30/m"`` → 30 per minute; also ``/s``, ``/h``, ``/d`` and ``"100/10m"``."""
        try:
            count, period = text.strip().split("/")
            digits = period[:-1] or "1"
            return cls(int(count), int(digits) * _UNITS[period[-1]])
        except (ValueError, KeyError, IndexError) as error:
            raise ValueError(f"Bad rate {text!r}: use e.g. 30/m, 1000/h or 100/10m") from error


def rate_for(name: str) -> Rate:
    return Rate.parse(settings.CITYOPS_RATE_LIMITS[name])


@dataclass(frozen=True)
class Hit:
    scope: str
    key: str
    rate: Rate


def rate_limit_hit(*, scope: str, key: str, rate: Rate) -> int | None:
    """Count one hit; None while within the rate, else the seconds until the window resets."""
    return rate_limits_hit([Hit(scope, key, rate)])


def rate_limits_hit(hits: Sequence[Hit]) -> int | None:
    """Count one hit on each limit at once; None while all are within their rates, else the
    longest wait until a window resets."""
    now = int(time.time())
    counters = [
        (f"ratelimit:{hit.scope}:{hit.key}:{now // hit.rate.seconds}", hit.rate.seconds + 1)
        for hit in hits
    ]
    counts = _count_in_redis(settings.REDIS_URL, counters) if settings.REDIS_URL else None
    if counts is None:
        store = _counts_while_redis_is_down if settings.REDIS_URL else cache
        counts = [_count_in_cache(store, key, ttl=ttl) for key, ttl in counters]
    waits = [
        max(1, hit.rate.seconds - now % hit.rate.seconds)
        for hit, count in zip(hits, counts, strict=True)
        if count > hit.rate.count
    ]
    return max(waits, default=None)


def rate_limits_reached(hits: Sequence[Hit]) -> int | None:
    """Without counting: None while every limit has room for one more hit in its window, else
    the longest wait until a full window resets (e.g. "refuse sign-ins after 5 failures")."""
    now = int(time.time())
    keys = [f"ratelimit:{hit.scope}:{hit.key}:{now // hit.rate.seconds}" for hit in hits]
    counts = _read_in_redis(settings.REDIS_URL, keys) if settings.REDIS_URL else None
    if counts is None:
        store = _counts_while_redis_is_down if settings.REDIS_URL else cache
        found = store.get_many(keys)
        counts = [int(found.get(key) or 0) for key in keys]
    waits = [
        max(1, hit.rate.seconds - now % hit.rate.seconds)
        for hit, count in zip(hits, counts, strict=True)
        if count >= hit.rate.count
    ]
    return max(waits, default=None)


@lru_cache(maxsize=4)
def _redis(url: str) -> Any:  # Any: redis-py types every reply as a union
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _count_in_redis(url: str, counters: list[tuple[str, int]]) -> list[int] | None:
    """INCR each counter and start its expiry, in one round trip; None if Redis is down."""
    pipeline = _redis(url).pipeline(transaction=False)
    for key, ttl in counters:
        pipeline.incr(f"cityops:{key}").expire(f"cityops:{key}", ttl, nx=True)
    try:
        replies = pipeline.execute()
    except redis.RedisError:
        logger.warning("Redis unavailable: rate limits counted in this process", exc_info=True)
        return None
    return [int(count) for count in replies[::2]]


def _read_in_redis(url: str, keys: list[str]) -> list[int] | None:
    """The counters' values in one round trip; None if Redis is down."""
    try:
        replies = _redis(url).mget([f"cityops:{key}" for key in keys])
    except redis.RedisError:
        logger.warning("Redis unavailable: rate limits counted in this process", exc_info=True)
        return None
    return [int(reply or 0) for reply in replies]


def _count_in_cache(store: BaseCache, cache_key: str, *, ttl: int) -> int:
    store.add(cache_key, 0, timeout=ttl)
    try:
        return int(store.incr(cache_key))
    except ValueError:  # evicted between add and incr: count this hit as the first
        store.set(cache_key, 1, timeout=ttl)
        return 1
