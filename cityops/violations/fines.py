"""The fine band of each rule and vehicle type, with the provision it comes from.

Road traffic: Nghị định 168/2024/NĐ-CP (in force since 1 January 2025) — Điều 6 for cars and
the vehicles like them (trucks and buses are cars in its sense), Điều 7 for motorbikes and
mopeds. Littering: Nghị định 45/2022/NĐ-CP (environmental protection), Điều 25. The band is
what the law sets for an individual; the officer decides the amount within it. A rule that
does not apply to a vehicle type (a car without a helmet) has no band: the detection is refused.

The bands are those of the decrees as issued; an amending decree changes this table (and only
cases made after it take the new band: a case keeps the band it was made with).
"""

from __future__ import annotations

from dataclasses import dataclass

from cityops.violations.choices import Rule, VehicleType


@dataclass(frozen=True)
class FineBand:
    """From ``minimum`` to ``maximum`` đồng, under ``basis`` (the point, clause and article)."""

    minimum: int
    maximum: int
    basis: str

    def __post_init__(self) -> None:
        if not 0 < self.minimum <= self.maximum:
            raise ValueError("a band goes from a positive minimum up to its maximum")


ND168 = "Nghị định 168/2024/NĐ-CP"
ND45 = "Nghị định 45/2022/NĐ-CP"

# Điều 6 (xe ô tô …): khoản 9 (18-20 million) điểm b "không chấp hành hiệu lệnh của đèn tín
# hiệu giao thông", điểm d "đi ngược chiều của đường một chiều, đi ngược chiều trên đường có
# biển 'Cấm đi ngược chiều'"; khoản 5 (4-6 million) điểm b "đi không đúng phần đường hoặc làn
# đường quy định"; khoản 3 (800,000-1 million) điểm e "đỗ xe … nơi có biển 'Cấm đỗ xe' hoặc
# biển 'Cấm dừng xe và đỗ xe'".
_CAR = {
    Rule.RED_LIGHT: FineBand(18_000_000, 20_000_000, f"Điểm b khoản 9 Điều 6 {ND168}"),
    Rule.WRONG_WAY: FineBand(18_000_000, 20_000_000, f"Điểm d khoản 9 Điều 6 {ND168}"),
    Rule.WRONG_LANE: FineBand(4_000_000, 6_000_000, f"Điểm b khoản 5 Điều 6 {ND168}"),
    Rule.ILLEGAL_PARKING: FineBand(800_000, 1_000_000, f"Điểm e khoản 3 Điều 6 {ND168}"),
}
# Điều 7 (xe mô tô, xe gắn máy …): khoản 7 (4-6 million) điểm c "không chấp hành hiệu lệnh của
# đèn tín hiệu giao thông", điểm a "đi ngược chiều của đường một chiều, đi ngược chiều trên
# đường có biển 'Cấm đi ngược chiều'"; khoản 3 (600,000-800,000) điểm d "đi không đúng phần
# đường, làn đường quy định"; khoản 2 (400,000-600,000) điểm e "đỗ xe tại nơi có biển 'Cấm đỗ
# xe' hoặc biển 'Cấm dừng xe và đỗ xe'", điểm h "không đội 'mũ bảo hiểm cho người đi mô tô,
# xe máy'".
_MOTORBIKE = {
    Rule.RED_LIGHT: FineBand(4_000_000, 6_000_000, f"Điểm c khoản 7 Điều 7 {ND168}"),
    Rule.WRONG_WAY: FineBand(4_000_000, 6_000_000, f"Điểm a khoản 7 Điều 7 {ND168}"),
    Rule.WRONG_LANE: FineBand(600_000, 800_000, f"Điểm d khoản 3 Điều 7 {ND168}"),
    Rule.ILLEGAL_PARKING: FineBand(400_000, 600_000, f"Điểm e khoản 2 Điều 7 {ND168}"),
    Rule.NO_HELMET: FineBand(400_000, 600_000, f"Điểm h khoản 2 Điều 7 {ND168}"),
}
# Điều 25 khoản 2 (vi phạm về bảo vệ môi trường nơi công cộng): throwing household waste away
# in a public place, điểm b, 500,000-1 million; on the pavement or the roadway or into the
# drains, điểm c, 1-2 million. A camera sees both: the band spans them, the officer picks
# the point from the place.
_LITTERING = FineBand(500_000, 2_000_000, f"Điểm b, điểm c khoản 2 Điều 25 {ND45}")

BANDS: dict[tuple[str, str], FineBand] = {
    **{
        (rule, kind): band
        for kind in (VehicleType.CAR, VehicleType.TRUCK, VehicleType.BUS)
        for rule, band in _CAR.items()
    },
    **{(rule, VehicleType.MOTORBIKE): band for rule, band in _MOTORBIKE.items()},
    **{(Rule.LITTERING, kind): _LITTERING for kind in VehicleType},
}


def fine_band(*, rule: str, vehicle_type: str) -> FineBand | None:
    """The band for ``rule`` broken with ``vehicle_type``; None where the rule does not apply."""
    return BANDS.get((rule, vehicle_type))
