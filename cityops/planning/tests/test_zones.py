"""Zones are filed under the lookup grid and keep their layer's count and extent."""

from datetime import date

import pytest
from shapely.geometry import box

from cityops.planning.grid import cell_of
from cityops.planning.models import Layer, ZoneCell
from cityops.planning.services import ZoneRow, zones_add

pytestmark = pytest.mark.django_db


def test_a_zone_is_found_under_the_cell_of_a_point_inside_it_and_the_layer_knows_its_extent():
    layer = Layer.objects.create(
        slug="phan-khu-1", title="Phân khu 1", plan_name="Quy hoạch phân khu 1",
        decision_number="123/QĐ-UBND", decision_date=date(2024, 5, 2), as_of=date(2024, 5, 2),
    )  # fmt: skip
    block = box(107.580, 16.460, 107.592, 16.468)  # across several 0.005° cells
    road = box(107.600, 16.470, 107.601, 16.471)
    rows = [
        ZoneRow(use_code="ODT", use_name="Đất ở tại đô thị", geometry=block),
        ZoneRow(use_code="DGT", use_name="Đất giao thông", geometry=road),
    ]
    added = zones_add(layer=layer, rows=rows)
    assert added == 2
    inside = ZoneCell.objects.filter(cell=cell_of(107.591, 16.467)).values_list(
        "zone__use_code", flat=True
    )
    assert list(inside) == ["ODT"]
    layer.refresh_from_db()
    assert layer.zone_count == 2
    assert (layer.min_lon, layer.min_lat, layer.max_lon, layer.max_lat) == pytest.approx(
        (107.580, 16.460, 107.601, 16.471)
    )
