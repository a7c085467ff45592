"""Planning files written for the tests: GeoJSON as text, Shapefiles and GeoPackages through
pyogrio (GDAL), each a few zones near the Huế citadel."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from cityops.planning.models import Layer

SHP = "ESRI Shapefile"
# Three blocks east of the citadel (WGS 84): housing, a road, a park.
BLOCKS = [
    (box(107.5800, 16.4700, 107.5820, 16.4715), "ODT", "Đất ở tại đô thị", "A1"),
    (box(107.5820, 16.4700, 107.5825, 16.4715), "DGT", "Đất giao thông", "GT1"),
    (box(107.5825, 16.4700, 107.5840, 16.4715), "CXK", "Công viên", "CX1"),
]


def layer(slug: str = "phan-khu-test") -> Layer:
    return Layer.objects.create(
        slug=slug, title="Phân khu thử", plan_name="Quy hoạch phân khu thử",
        decision_number="1/QĐ-UBND", decision_date=date(2024, 5, 2), as_of=date(2024, 5, 2),
    )  # fmt: skip


def geojson(
    path: Path,
    rows: list[tuple[BaseGeometry | None, dict[str, Any]]],
    *,
    crs: str | None = None,
) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": properties,
            "geometry": None if geometry is None else shapely.geometry.mapping(geometry),
        }
        for geometry, properties in rows
    ]
    document: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def ogr(
    path: Path,
    rows: list[tuple[BaseGeometry, dict[str, Any]]],
    *,
    driver: str,
    crs: str | None = "EPSG:4326",
) -> Path:
    names = list(rows[0][1])
    columns = [np.array([props[name] for _, props in rows], dtype=object) for name in names]
    wkb = np.array([shapely.to_wkb(geometry) for geometry, _ in rows], dtype=object)
    pyogrio.raw.write(
        str(path), wkb, columns, names, driver=driver, geometry_type="Polygon", crs=crs,
        encoding="UTF-8" if driver == "ESRI Shapefile" else None,
    )  # fmt: skip
    return path


def zipped(shp: Path) -> Path:
    archive = shp.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w") as out:
        for part in sorted(shp.parent.glob(f"{shp.stem}.*")):
            if part.suffix != ".zip":
                out.write(part, f"ranh-gioi/{part.name}")
    return archive


def block_rows(fields: tuple[str, str, str]) -> list[tuple[BaseGeometry, dict[str, Any]]]:
    code, name, zone = fields
    return [(g, {code: c, name: n, zone: z}) for g, c, n, z in BLOCKS]
