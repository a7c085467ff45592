"""Fixtures for the Open311 tests: an API key, two services, no rate-limit counts."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from cityops.accounts.services import apikey_create
from cityops.reports.tests.factories import CategoryFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(db) -> str:
    return apikey_create(name="Test client").secret


@pytest.fixture
def potholes(db):
    """A service with a required list attribute, an optional number and an optional list."""
    return CategoryFactory(
        code="potholes",
        name="Ổ gà",
        name_en="Potholes",
        description="Ổ gà trên đường",
        description_en="Holes in the road",
        group="Giao thông",
        keywords="ổ gà, đường",
        attributes=[
            {
                "code": "size",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "",
                "order": 1,
                "description": "Kích thước / Size",
                "values": [{"key": "small", "name": "Nhỏ"}, {"key": "large", "name": "Lớn"}],
            },
            {
                "code": "depth_cm",
                "datatype": "number",
                "required": False,
                "datatype_description": "Centimetres",
                "order": 2,
                "description": "Độ sâu / Depth",
                "values": [],
            },
            {
                "code": "hazards",
                "datatype": "multivaluelist",
                "required": False,
                "order": 3,
                "description": "Nguy cơ / Hazards",
                "values": [{"key": "water", "name": "Nước"}, {"key": "night", "name": "Tối"}],
            },
        ],
    )


@pytest.fixture
def litter(db):
    """A service without attributes."""
    return CategoryFactory(code="litter", name="Rác", name_en="Litter", position=2)
