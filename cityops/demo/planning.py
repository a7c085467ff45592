"""A demo planning layer for ``make run``: a zoning plan of the Huế citadel (Kinh thành) and
the south bank's centre, drawn procedurally — blocks on a street grid with realistic land-use
codes, the Imperial City as a heritage zone, the river between. Not a real plan: the layer's
title says so. Seeding again adds nothing once the layer exists."""

from __future__ import annotations

import random
from datetime import date

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from cityops.planning.land_use import land_use
from cityops.planning.models import Layer
from cityops.planning.services import ZoneRow, layer_create, zones_add

SLUG = "demo-phan-khu-kinh-thanh"
CITADEL = (107.5665, 16.4668, 107.5905, 16.4850)  # west, south, east, north
IMPERIAL_CITY = (107.5740, 16.4705, 107.5830, 16.4790)  # Hoàng thành, Đại Nội
SOUTH_BANK = (107.5830, 16.4530, 107.6030, 16.4640)
RIVER = (107.5665, 16.4640, 107.6030, 16.4668)  # the Perfume River, simplified
STREET = 0.0004  # about 45 m between blocks
# Block uses, weighted as a central ward's plan would be.
CITADEL_USES = ("ODT",) * 10 + ("CXK",) * 3 + ("DGD", "DYT", "DVH", "TON", "TMD", "MNC", "DTT")
SOUTH_USES = ("ODT",) * 5 + ("TMD",) * 5 + ("CXK",) * 2 + ("DVH", "TSC", "DGD", "DYT")


def _blocks(
    bounds: tuple[float, float, float, float], columns: int, rows: int
) -> list[tuple[float, float, float, float]]:
    west, south, east, north = bounds
    width, height = (east - west) / columns, (north - south) / rows
    return [
        (
            west + c * width + STREET / 2,
            south + r * height + STREET / 2,
            west + (c + 1) * width - STREET / 2,
            south + (r + 1) * height - STREET / 2,
        )
        for r in range(rows)
        for c in range(columns)
    ]


def _row(code: str, shape: BaseGeometry, zone_code: str) -> ZoneRow:
    return ZoneRow(
        use_code=code,
        use_name=land_use(code)[0],
        geometry=shape,
        zone_code=zone_code,
        properties={"demo": True},
    )


def demo_zones(*, seed: int = 2025) -> list[ZoneRow]:
    """About 120 zones: the citadel's and the south bank's blocks, their streets, the river."""
    rng = random.Random(seed)
    imperial = box(*IMPERIAL_CITY)
    rows = [_row("DDT", imperial, "HT")]
    blocks = []
    for area, (columns, count_rows), uses, prefix in (
        (CITADEL, (10, 9), CITADEL_USES, "KT"),
        (SOUTH_BANK, (8, 4), SOUTH_USES, "NS"),
    ):
        for number, bounds in enumerate(_blocks(area, columns, count_rows), start=1):
            block = box(*bounds)
            if block.intersects(imperial) or block.intersects(box(*RIVER)):
                continue
            blocks.append(block)
            rows.append(_row(rng.choice(uses), block, f"{prefix}-{number:02d}"))
    for area, prefix in ((CITADEL, "KT"), (SOUTH_BANK, "NS")):
        streets = box(*area).difference(unary_union([imperial, box(*RIVER), *blocks]))
        rows.append(_row("DGT", streets, f"{prefix}-GT"))
    rows.append(_row("SON", box(*RIVER), "SH"))
    return rows


def planning_seed_demo() -> dict[str, int]:
    if Layer.objects.filter(slug=SLUG).exists():
        return {"planning_layers": 0, "planning_zones": 0}
    layer = layer_create(
        slug=SLUG,
        title="Phân khu Kinh thành Huế (dữ liệu mẫu)",
        plan_name="Quy hoạch phân khu Kinh thành Huế — dữ liệu mẫu, không phải quy hoạch thật",
        decision_number="0000/QĐ-UBND (mẫu)",
        decision_date=date(2024, 1, 15),
        as_of=date(2024, 1, 15),
        issued_by="UBND thành phố Huế (mẫu)",
        plan_version="demo",
    )
    layer.is_published = True
    layer.save(update_fields=["is_published"])
    zones = zones_add(layer=layer, rows=demo_zones())
    return {"planning_layers": 1, "planning_zones": zones}
