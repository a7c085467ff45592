"""A zone's outline as a small SVG (for the printable extract): no tiles, no outside service."""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

SIZE = 240  # the drawing's width and height in SVG units
MARGIN = 12


@dataclass(frozen=True)
class Sketch:
    """The path of the outline and the point, in the drawing's units (y downwards)."""

    path: str
    x: float
    y: float
    size: int = SIZE
    metres: int = 0  # the scale bar's length
    bar_end: float = 0.0  # where the scale bar, drawn from the margin, ends


def sketch(outline: BaseGeometry, *, lon: float, lat: float) -> Sketch:
    """Fit the outline and the point into a square, keeping shapes (metres east = north)."""
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    min_lon, max_lon = min(min_lon, lon), max(max_lon, lon)
    min_lat, max_lat = min(min_lat, lat), max(max_lat, lat)
    squeeze = math.cos(math.radians((min_lat + max_lat) / 2))
    width = max((max_lon - min_lon) * squeeze, (max_lat - min_lat), 1e-7)
    scale = (SIZE - 2 * MARGIN) / width

    def x_of(value: float) -> float:
        return round(MARGIN + (value - min_lon) * squeeze * scale, 2)

    def y_of(value: float) -> float:
        return round(SIZE - MARGIN - (value - min_lat) * scale, 2)

    polygons = outline.geoms if isinstance(outline, MultiPolygon) else [outline]
    parts = []
    for polygon in polygons:
        if not isinstance(polygon, Polygon):
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            points = " L".join(f"{x_of(x)},{y_of(y)}" for x, y in ring.coords)
            parts.append(f"M{points} Z")
    metres_per_unit = 111_320 / scale
    metres = _round_metres(metres_per_unit * (SIZE - 2 * MARGIN) / 3)
    return Sketch(
        path=" ".join(parts), x=x_of(lon), y=y_of(lat), metres=metres,
        bar_end=round(MARGIN + metres / metres_per_unit, 2),
    )  # fmt: skip


def _round_metres(value: float) -> int:
    """1, 2 or 5 times a power of ten, at most the value."""
    power = 10 ** max(0, math.floor(math.log10(max(value, 1))))
    for step in (5, 2, 1):
        if step * power <= value:
            return step * power
    return power
