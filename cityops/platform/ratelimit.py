"""Fixed-window rate limits kept in the cache (shared through Redis when REDIS_URL is set)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

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


def rate_limit_hit(*, scope: str, key: str, rate: Rate) -> int | None:
    """Count one hit; None while within the rate, else the seconds until the window resets."""
    now = int(time.time())
    window = now // rate.seconds
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=rate.seconds + 1)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: count this hit as the first
        cache.set(cache_key, 1, timeout=rate.seconds + 1)
        hits = 1
    if hits <= rate.count:
        return None
    return max(1, rate.seconds - now % rate.seconds)
