"""Layers and zones made the way an import makes them (``zones_add``), in WGS 84."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from shapely.geometry import box

from cityops.planning.models import Layer
from cityops.planning.services import ZoneRow, zones_add

# A block of Phú Hội, a road beside it, and a district plan covering both.
BLOCK = box(107.5900, 16.4620, 107.5930, 16.4650)
ROAD = box(107.5930, 16.4620, 107.5940, 16.4650)  # shares the block's east edge
DISTRICT = box(107.5800, 16.4500, 107.6100, 16.4800)
INSIDE_BLOCK = (107.5915, 16.4635)  # lon, lat
OUTSIDE = (107.6500, 16.5000)


def make_layer(slug: str, *, published: bool = True, rows: list[ZoneRow] = (), **fields: Any
               ) -> Layer:  # fmt: skip
    values = {
        "title": f"Lớp {slug}",
        "plan_name": "Quy hoạch phân khu khu vực Phú Hội",
        "plan_version": "Điều chỉnh lần 2",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": date(2024, 5, 2),
        "issued_by": "UBND tỉnh Thừa Thiên Huế",
        "as_of": date(2025, 1, 15),
        "is_published": published,
    } | fields
    layer = Layer.objects.create(slug=slug, **values)
    zones_add(layer=layer, rows=list(rows))
    layer.refresh_from_db()
    return layer


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the lookup's and the OGC API's rate limits count in the cache
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # messages asserted in English, whatever the catalogues
        yield


@pytest.fixture
def en_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def phu_hoi(db) -> Layer:
    """The detailed plan: a residential block (ODT-12) and the road (DGT-03) beside it."""
    return make_layer("phan-khu-phu-hoi", rows=[
        ZoneRow(use_code="ODT", use_name="Đất ở đô thị", zone_code="ODT-12", geometry=BLOCK,
                properties={"dien_tich": 9000, "ghi_chu": "Mật độ xây dựng 60%"}),
        ZoneRow(use_code="DGT", use_name="Đất giao thông", zone_code="DGT-03", geometry=ROAD),
    ])  # fmt: skip


@pytest.fixture
def district(db) -> Layer:
    """An older, coarser plan over the same ground."""
    return make_layer(
        "quy-hoach-chung", title="Quy hoạch chung", plan_name="Quy hoạch chung đô thị Huế",
        decision_number="649/QĐ-TTg", decision_date=date(2014, 5, 6),
        rows=[ZoneRow(use_code="TMD", use_name="Đất thương mại dịch vụ", zone_code="TM-1",
                      geometry=DISTRICT)],
    )  # fmt: skip
