"""zones_at: the published zones holding a point, every layer, with the layer's plan."""

from datetime import date

import pytest
from shapely.geometry import Polygon, box

from cityops.agencies.tests.factories import AreaFactory
from cityops.planning.privacy import public_attributes
from cityops.planning.selectors import places_named, zones_at
from cityops.planning.services import ZoneRow

from .conftest import INSIDE_BLOCK, OUTSIDE, make_layer

pytestmark = pytest.mark.django_db


def test_a_point_inside_a_block_gets_its_use_zone_and_plan(phu_hoi):
    [found] = zones_at(*INSIDE_BLOCK)
    assert (found.use_code, found.zone.zone_code) == ("ODT", "ODT-12")
    assert found.use_name == "Đất ở tại đô thị"  # the standard name of the code
    assert found.colour.startswith("#")
    assert found.layer.decision_number == "1234/QĐ-UBND"
    assert found.layer.as_of == date(2025, 1, 15)


def test_a_point_outside_every_zone_gets_nothing(phu_hoi):
    assert zones_at(*OUTSIDE) == []


def test_a_point_in_the_extent_but_outside_an_l_shaped_zone_gets_nothing(db):
    ell = Polygon([(107.59, 16.46), (107.60, 16.46), (107.60, 16.461), (107.591, 16.461),
                   (107.591, 16.47), (107.59, 16.47)])  # fmt: skip
    make_layer("ell", rows=[ZoneRow(use_code="CXK", use_name="Cây xanh", geometry=ell)])
    assert zones_at(107.598, 16.468) == []
    assert [found.use_code for found in zones_at(107.5905, 16.468)] == ["CXK"]


def test_a_point_on_the_border_of_two_zones_gets_both(phu_hoi):
    assert sorted(found.use_code for found in zones_at(107.5930, 16.4635)) == ["DGT", "ODT"]


def test_a_point_on_a_grid_cell_edge_is_still_found(db):
    # 107.595 and 16.465 are cell edges of the 0.005° grid.
    make_layer("edge", rows=[ZoneRow(use_code="DYT", use_name="Y tế",
                                     geometry=box(107.594, 16.464, 107.596, 16.466))])  # fmt: skip
    assert [found.use_code for found in zones_at(107.595, 16.465)] == ["DYT"]
    assert [found.use_code for found in zones_at(107.5949999, 16.4649999)] == ["DYT"]


def test_every_overlapping_published_layer_answers_the_newest_plan_first(phu_hoi, district):
    found = zones_at(*INSIDE_BLOCK)
    assert [(f.layer.slug, f.use_code) for f in found] == [
        ("phan-khu-phu-hoi", "ODT"),
        ("quy-hoach-chung", "TMD"),
    ]


def test_an_unpublished_layer_is_never_answered(db):
    make_layer("draft", published=False, rows=[
        ZoneRow(use_code="SKC", use_name="Sản xuất", geometry=box(107.59, 16.46, 107.6, 16.47))
    ])  # fmt: skip
    assert zones_at(*INSIDE_BLOCK) == []


def test_an_unknown_code_keeps_the_file_s_name_and_a_neutral_colour(db):
    make_layer("odd", rows=[ZoneRow(use_code="XYZ", use_name="Đất đặc thù",
                                    geometry=box(107.59, 16.46, 107.6, 16.47))])  # fmt: skip
    [found] = zones_at(*INSIDE_BLOCK)
    assert (found.use_name, found.colour) == ("Đất đặc thù", "#9e9e9e")


def test_places_are_found_by_ward_name_and_zone_code(phu_hoi):
    AreaFactory(name="Phường Phú Hội", centroid_lat=16.465, centroid_lon=107.592)
    assert [p.label for p in places_named("phú hội")] == ["Phường Phú Hội"]
    [zone] = places_named("odt-12")
    assert zone.label.startswith("ODT-12")
    assert [f.zone.zone_code for f in zones_at(zone.lon, zone.lat)] == ["ODT-12"]
    assert places_named("Lê Lợi 12") == []


def test_public_attributes_drop_people_and_mask_contacts():
    shown = public_attributes({"chu_su_dung": "Nguyễn Văn Bình", "ghi_chu": "Gọi 0905 123 456",
                               "dien_tich": 120})  # fmt: skip
    assert shown == {"ghi_chu": "Gọi 090•••••56", "dien_tich": 120}


def test_a_titled_name_in_free_text_is_masked_but_ordinary_words_stay():
    shown = public_attributes(
        {"ghi_chu": "Hộ ông Nguyễn Văn Bình; bà Lan đã ký. Giáp đường Lê Lợi"}
    )
    assert shown == {"ghi_chu": "Hộ ông •••; bà ••• đã ký. Giáp đường Lê Lợi"}
