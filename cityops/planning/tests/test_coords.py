"""Positions as people write them, and the refusals that tell them how."""

import pytest

from cityops.planning.coords import CoordinateError, parse_position, position_of, to_vn2000


@pytest.mark.parametrize(
    "text",
    [
        "16.4637, 107.5909",
        "16.4637 107.5909",
        "16,4637; 107,5909",
        "107.5909, 16.4637",  # longitude first: recognised
        "16°27'49.3\"N 107°35'27.2\"E",
        "16° 27′ 49.3″ N, 107° 35′ 27.2″ E",
        "16 27 49.3 N 107 35 27.2 E",
        "107°35'27.2\"E 16°27'49.3\"N",
    ],
)
def test_decimal_and_dms_positions_are_read(text):
    position = parse_position(text)
    assert position.lat == pytest.approx(16.4637, abs=1e-4)
    assert position.lon == pytest.approx(107.5909, abs=1e-4)


def test_vn2000_metres_of_hue_s_zone_come_back_to_the_same_spot():
    x, y = to_vn2000(lat=16.4637, lon=107.5909)
    assert 1_800_000 < x < 1_850_000
    assert 550_000 < y < 580_000
    for text in (f"X={x:.1f} Y={y:.1f}", f"{x:.0f}, {y:.0f}", f"x: {x:.0f}; y: {y:.0f}"):
        position = parse_position(text)
        assert position.system == "vn2000"
        assert (position.lat, position.lon) == pytest.approx((16.4637, 107.5909), abs=1e-5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a position"),
        ("hello", "not a position we can read"),
        ("95, 107", "latitude lies between -90 and 90"),
        ("1.5, 2.5", "outside Vietnam"),
        ("16 75 0 N 107 0 0 E", "below 60"),
        ("16 0 0 E 107 0 0 E", r"one latitude \(N or S\) and one longitude"),
    ],
)
def test_bad_positions_are_refused_with_a_clear_message(text, message):
    with pytest.raises(CoordinateError, match=message):
        parse_position(text)


def test_map_parameters_must_be_numbers():
    assert position_of("16.46", "107.59").lat == 16.46
    with pytest.raises(CoordinateError, match="decimal degrees"):
        position_of("16.46", None)
