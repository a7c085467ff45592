"""The land-use table the importer, the lookup and the map share."""

import re

import pytest

from cityops.planning.land_use import LAND_USES, UNKNOWN_COLOUR, land_use


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("ODT", "Đất ở tại đô thị"),
        ("ont", "Đất ở tại nông thôn"),
        (" DGT ", "Đất công trình giao thông"),
        ("LUC", "Đất chuyên trồng lúa"),
        ("CXK", "Đất cây xanh sử dụng công cộng"),
        ("ODT-1", "Đất ở tại đô thị"),  # a plan's own numbering of its housing zones
    ],
)
def test_a_code_reads_as_its_vietnamese_name(code, name):
    assert land_use(code)[0] == name


def test_an_unknown_code_is_named_by_itself_in_grey():
    assert land_use("XYZ") == ("XYZ", UNKNOWN_COLOUR)


def test_every_colour_is_a_hex_colour():
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for _, colour in LAND_USES.values())
