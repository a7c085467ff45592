"""Planning lookup: with 100,000 zones loaded, is a point lookup's p95 under 300 ms?

``.venv/bin/python bench/planning_lookup.py`` (SQLite under a temporary ``CITYOPS_DATA_DIR``;
with ``DATABASE_URL`` set, that database instead: a throwaway one, it is migrated and filled).
``--quick`` (or ``BENCH_QUICK=1``): 20,000 zones, fewer lookups, result in a temporary file.

The zones, drawn over Huế (longitude 107.52–107.66, latitude 16.40–16.52) the way an import
stores them (``zones_add``: each zone filed under the lookup grid's cells):

- **parcels**: a 330 × 295 grid of parcels (~45 m), each a 5–7-sided polygon with jittered
  corners, a land-use code drawn from the common ones — 97,350 zones;
- **blocks**: 50 × 44 blocks (~300 m) of a district plan over the same ground — 2,200 zones;
- **areas**: 450 big, overlapping 64-sided zones (radius 0.3–1.5 km) of a general plan.

Measured, each on random points of the city (a tenth of them outside every zone): the selector
``zones_at`` (the point's cell, then the polygons), and the HTTP answers through Django's test
client (no network): the map's ``/planning/answer``, the page ``/planning/?lat=&lon=``, the API
``/api/v1/planning/lookup``; and the OGC API's ``items`` for a phone's map view (bbox of about
0.01°, limit 1000; no goal: the layer drawn on the map, not the answer). Reports
p50/p95/p99/max in ms, the machine and its load averages (the cores are shared). Goal: p95
< 300 ms for a lookup. Not a test.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))
sys.path.insert(0, str(REPOSITORY / "bench"))

from lib.machine import loadavg, machine  # noqa: E402

WEST, SOUTH, EAST, NORTH = 107.52, 16.40, 107.66, 16.52
GOAL_P95_MS = 300.0
CODES = ["ODT", "ODT", "ODT", "ONT", "DGT", "DGT", "CXK", "TMD", "DGD", "DYT", "DVH", "SKC",
         "LUA", "CLN", "SON", "TON", "DTL", "NTD"]  # fmt: skip


def parcels(rng: random.Random, columns: int, rows: int) -> Iterator[tuple[str, str, object]]:
    from shapely.geometry import Polygon

    width, height = (EAST - WEST) / columns, (NORTH - SOUTH) / rows
    for row in range(rows):
        for column in range(columns):
            x0, y0 = WEST + column * width, SOUTH + row * height
            cx, cy = x0 + width / 2, y0 + height / 2
            sides = rng.randint(5, 7)
            ring = []
            for k in range(sides):
                angle = 2 * math.pi * (k + rng.uniform(-0.2, 0.2)) / sides
                ring.append((cx + math.cos(angle) * width * rng.uniform(0.42, 0.5),
                             cy + math.sin(angle) * height * rng.uniform(0.42, 0.5)))  # fmt: skip
            yield rng.choice(CODES), f"P-{row}-{column}", Polygon(ring)


def areas(rng: random.Random, count: int) -> Iterator[tuple[str, str, object]]:
    from shapely.geometry import Point

    for n in range(count):
        centre = Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH))
        radius = rng.uniform(0.003, 0.014)
        yield rng.choice(CODES), f"A-{n}", centre.buffer(radius, quad_segs=16)


def timed(
    samples: list[tuple[float, float]], ask: Callable[[float, float], object], *, goal: bool = True
) -> dict:
    took = []
    for lon, lat in samples:
        started = time.perf_counter()
        ask(lon, lat)
        took.append((time.perf_counter() - started) * 1000)
    took.sort()

    def at(share: float) -> float:
        return round(took[min(len(took) - 1, int(share * len(took)))], 2)

    return {
        "count": len(took),
        "p50_ms": round(statistics.median(took), 2),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(took[-1], 2),
    } | ({"goal_met": at(0.95) < GOAL_P95_MS} if goal else {})


def points(rng: random.Random, count: int) -> list[tuple[float, float]]:
    inside = [(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)) for _ in range(count)]
    for n in range(0, count, 10):  # a tenth outside every zone, still in Vietnam
        inside[n] = (rng.uniform(106.0, 107.4), rng.uniform(15.0, 16.3))
    return inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["CITYOPS_DATA_DIR"] = tempfile.mkdtemp(prefix="cityops-bench-planning-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    import cityops.api.routers.planning as api_planning
    from cityops.planning import ogc_views, public_views
    from cityops.planning.models import Layer, ZoneCell
    from cityops.planning.selectors import zones_at
    from cityops.planning.services import ZoneRow, zones_add
    from cityops.platform.ratelimit import Rate

    call_command("migrate", verbosity=0)
    Layer.objects.filter(slug__startswith="bench-").delete()
    rng = random.Random(22)
    columns, rows, block_cols, block_rows, big = (
        (150, 130, 22, 20, 100) if args.quick else (330, 295, 50, 44, 450)
    )
    plans = [
        ("bench-parcels", "Quy hoạch chi tiết 1/500 (bench)", parcels(rng, columns, rows)),
        ("bench-blocks", "Quy hoạch phân khu 1/2000 (bench)", parcels(rng, block_cols, block_rows)),
        ("bench-areas", "Quy hoạch chung (bench)", areas(rng, big)),
    ]
    loaded: dict[str, dict] = {}
    for slug, plan, shapes in plans:
        layer = Layer.objects.create(
            slug=slug, title=plan, plan_name=plan, decision_number="0/QĐ-BENCH",
            decision_date=date(2025, 1, 1), as_of=date(2025, 1, 1), is_published=True,
        )  # fmt: skip
        started = time.perf_counter()
        count = zones_add(layer=layer, rows=(
            ZoneRow(use_code=code, use_name="", zone_code=zone_code, geometry=geometry)
            for code, zone_code, geometry in shapes
        ))  # fmt: skip
        loaded[slug] = {"zones": count, "load_s": round(time.perf_counter() - started, 1)}
        print(f"{slug}: {count} zones in {loaded[slug]['load_s']} s", flush=True)
    total = sum(layer["zones"] for layer in loaded.values())
    cells = ZoneCell.objects.count()

    # Out of the way: one client address asks thousands of times here.
    unlimited = Rate(10**9, 60)
    public_views.PER_IP = unlimited
    ogc_views.PER_IP = unlimited
    api_planning.LOOKUP_PER_IP = unlimited
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    n = 400 if args.quick else 2000
    web_n = 200 if args.quick else 600
    found = [len(zones_at(lon, lat)) for lon, lat in points(random.Random(1), 200)]

    def get(path: str) -> Callable[[float, float], object]:
        def ask(lon: float, lat: float) -> object:
            response = client.get(path, {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
            assert response.status_code == 200, response.status_code
            return response

        return ask

    def view(lon: float, lat: float) -> object:
        box = f"{lon - 0.005:.5f},{lat - 0.005:.5f},{lon + 0.005:.5f},{lat + 0.005:.5f}"
        query = {"bbox": box, "limit": "1000"}
        response = client.get("/ogc/collections/bench-parcels/items", query)
        assert response.status_code == 200
        return response

    zones_at(107.59, 16.46)  # warm: imports, connections, templates
    get("/planning/")(107.59, 16.46)
    get("/planning/answer")(107.59, 16.46)
    result = {
        "what": "Point lookups over Huế with 100,000 zones in three published layers (parcels, "
        "blocks, big overlapping areas): the selector zones_at and the HTTP answers through "
        "Django's test client (no network); goal p95 < 300 ms",
        "quick": args.quick,
        "database": connection.vendor,
        "zones": total,
        "layers": loaded,
        "grid_cells_filed": cells,
        "zones_per_point": {"mean": round(statistics.mean(found), 2), "max": max(found)},
        "selector_zones_at": timed(points(random.Random(2), n), zones_at),
        "http_planning_answer": timed(points(random.Random(3), web_n), get("/planning/answer")),
        "http_planning_page": timed(points(random.Random(4), web_n // 2), get("/planning/")),
        "http_api_lookup": timed(points(random.Random(5), web_n), get("/api/v1/planning/lookup")),
        "http_ogc_items_map_view": timed(points(random.Random(6), web_n // 4), view, goal=False),
        "machine": machine(memory=True, django=django.get_version()),
        "loadavg_after": loadavg(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = (
        Path(tempfile.gettempdir()) / "planning_lookup.json"
        if args.quick
        else REPOSITORY / "bench" / "results" / "planning_lookup.json"
    )
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
