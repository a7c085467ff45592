"""The demo planning layer: published, about a hundred zones around the citadel, each with a
known land-use code, found by the lookup grid; seeding twice adds nothing."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from cityops.demo.planning import SLUG, planning_seed_demo
from cityops.planning.grid import cell_of
from cityops.planning.land_use import UNKNOWN_COLOUR, land_use
from cityops.planning.models import Layer, Zone

pytestmark = pytest.mark.django_db


def test_the_demo_layer_zones_the_citadel_and_is_seeded_once():
    assert planning_seed_demo()["planning_zones"] >= 50
    layer = Layer.objects.get(slug=SLUG)
    assert layer.is_published
    assert 50 <= layer.zone_count <= 200
    assert all(land_use(code)[1] != UNKNOWN_COLOUR for code in layer.zones.values_list(
        "use_code", flat=True))  # fmt: skip
    # The Imperial City (Đại Nội) is a heritage zone; a point in it finds it through the grid.
    lon, lat = 107.5785, 16.4745
    candidates = Zone.objects.filter(cells__cell=cell_of(lon, lat))
    holding = [z.use_code for z in candidates if shape(z.geometry).covers(Point(lon, lat))]
    assert holding == ["DDT"]
    assert planning_seed_demo() == {"planning_layers": 0, "planning_zones": 0}
