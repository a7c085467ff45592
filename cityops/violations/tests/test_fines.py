"""Fine bands per rule and vehicle type, each with the provision it comes from."""

from __future__ import annotations

import pytest

from cityops.platform.money import vnd
from cityops.violations.choices import Rule, VehicleType
from cityops.violations.fines import BANDS, FineBand, fine_band


@pytest.mark.parametrize(
    ("rule", "vehicle", "low", "high", "basis"),
    [
        (Rule.RED_LIGHT, VehicleType.CAR, 18_000_000, 20_000_000, "Điểm b khoản 9 Điều 6"),
        (Rule.RED_LIGHT, VehicleType.MOTORBIKE, 4_000_000, 6_000_000, "Điểm c khoản 7 Điều 7"),
        (Rule.WRONG_WAY, VehicleType.TRUCK, 18_000_000, 20_000_000, "Điểm d khoản 9 Điều 6"),
        (Rule.WRONG_WAY, VehicleType.MOTORBIKE, 4_000_000, 6_000_000, "Điểm a khoản 7 Điều 7"),
        (Rule.WRONG_LANE, VehicleType.BUS, 4_000_000, 6_000_000, "Điểm b khoản 5 Điều 6"),
        (Rule.WRONG_LANE, VehicleType.MOTORBIKE, 600_000, 800_000, "Điểm d khoản 3 Điều 7"),
        (Rule.ILLEGAL_PARKING, VehicleType.CAR, 800_000, 1_000_000, "Điểm e khoản 3 Điều 6"),
        (Rule.ILLEGAL_PARKING, VehicleType.MOTORBIKE, 400_000, 600_000, "Điểm e khoản 2 Điều 7"),
        (Rule.NO_HELMET, VehicleType.MOTORBIKE, 400_000, 600_000, "Điểm h khoản 2 Điều 7"),
    ],
)
def test_road_traffic_bands_follow_decree_168_of_2024(rule, vehicle, low, high, basis):
    band = fine_band(rule=rule, vehicle_type=vehicle)
    assert band == FineBand(low, high, f"{basis} Nghị định 168/2024/NĐ-CP")


@pytest.mark.parametrize("vehicle", list(VehicleType))
def test_littering_follows_decree_45_of_2022_whatever_the_vehicle(vehicle):
    band = fine_band(rule=Rule.LITTERING, vehicle_type=vehicle)
    assert band is not None
    assert (band.minimum, band.maximum) == (500_000, 2_000_000)
    assert band.basis.endswith("khoản 2 Điều 25 Nghị định 45/2022/NĐ-CP")


@pytest.mark.parametrize(
    ("rule", "vehicle"),
    [
        (Rule.NO_HELMET, VehicleType.CAR),  # cars have no helmets
        (Rule.NO_HELMET, VehicleType.TRUCK),
        (Rule.RED_LIGHT, VehicleType.OTHER),  # the camera did not say what it saw
    ],
)
def test_a_rule_that_does_not_apply_to_the_vehicle_has_no_band(rule, vehicle):
    assert fine_band(rule=rule, vehicle_type=vehicle) is None


def test_every_rule_has_a_band_for_some_vehicle_and_every_band_is_sound():
    assert {rule for rule, _vehicle in BANDS} == set(Rule)
    for band in BANDS.values():
        assert 0 < band.minimum <= band.maximum
        assert "Nghị định" in band.basis
    with pytest.raises(ValueError, match="band"):
        FineBand(2, 1, "nothing")


def test_amounts_are_written_the_vietnamese_way():
    assert vnd(18_000_000) == "18.000.000 đ"
