"""The shared cache on Redis, where a Redis that cannot be reached is a cache miss, not an error.

Everything CityOps caches (public counts, dashboard trends, transparency figures, the alarm
rules' version) can be recomputed, so every page must work without Redis, only slower. Django's
``RedisCache`` raises on a lost connection; ``ResilientRedisCache`` answers as if the key were
absent (reads) or the write were done (writes), logs the failure at most once per
``RETRY_SECONDS``, and for that long does not try Redis again, so that an outage costs each
request nothing rather than a connection timeout per cache call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# A Redis that does not answer costs at most this long per call before it counts as down.
SOCKET_TIMEOUT_SECONDS = 1.0


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that degrades to a miss while Redis is
    unreachable (settings: ``CACHES["default"]["BACKEND"]`` when ``REDIS_URL`` is set)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _guarded(self, method: str, fallback: Any, *args: Any) -> Any:
        """``RedisCache.<method>(*args)``, or ``fallback`` while Redis cannot be reached."""
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args)
        except redis.RedisError as error:
            with self._lock:
                quiet = time.monotonic() < self._down_until
                self._down_until = time.monotonic() + RETRY_SECONDS
            if not quiet:
                logger.warning(
                    "cache: Redis unavailable (%s); the cache counts as empty for %.0f s",
                    error,
                    RETRY_SECONDS,
                )
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded("get", default, key, default, version)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._guarded("get_many", {}, list(keys), version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return bool(self._guarded("has_key", False, key, version))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return bool(self._guarded("add", False, key, value, timeout, version))

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guarded("set", None, key, value, timeout, version)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._guarded("set_many", list(data), data, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return bool(self._guarded("touch", False, key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return bool(self._guarded("delete", False, key, version))

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._guarded("delete_many", None, list(keys), version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        result = self._guarded("incr", None, key, delta, version)
        if result is None:  # as for a missing key: callers of incr handle that already
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return int(result)

    def clear(self) -> None:
        self._guarded("clear", None)
