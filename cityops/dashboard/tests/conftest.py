"""Every dashboard test starts with an empty cache (cached trends, transparency figures and
rate-limit counters live there)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
