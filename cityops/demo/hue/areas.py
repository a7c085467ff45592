"""The 40 commune-level units of Huế (since 1 July 2025) and approximate boundaries for them.

`vietnamadminunits` ships codes, names, centroids and surface areas but no polygons. Until real
boundaries are imported (``cityops import_areas``), each unit gets an approximate polygon: the
Voronoi cell of its centroid among the 40, clipped to a disc of about 1.6 times the radius a
circle of the unit's surface would have (so coastal and mountain cells do not run off to the
edge of the diagram) and to the buffered convex hull of all centroids.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, Point, mapping, shape

from cityops.agencies.choices import AreaKind

APPROXIMATE_PREFIX = "approximate"
APPROXIMATE_SOURCE = "approximate: Voronoi cells of vietnamadminunits centroids, clipped"

_QUERY = (
    "select ward, wardShort, wardType, wardCode, wardLat, wardLon, wardAreaKm2 "
    "from admin_units where province like '%Huế%'"
)
_KM_PER_DEGREE = 111.32
_DISC_FACTOR = 1.6
_HULL_BUFFER_DEGREES = 0.15


@dataclass(frozen=True)
class Unit:
    """One phường or xã as the package describes it."""

    code: str
    name: str
    short_name: str
    kind: AreaKind
    lat: float
    lon: float
    area_km2: float

    @property
    def point(self) -> Point:
        return Point(self.lon, self.lat)


def hue_units() -> list[Unit]:
    """The 40 units of Huế, ordered by code."""
    from vietnamadminunits.database.main import query

    units = [
        Unit(
            code=str(row["wardCode"]),
            name=row["ward"],
            short_name=row["wardShort"],
            kind=AreaKind.COMMUNE if row["wardType"] == "Xã" else AreaKind.WARD,
            lat=float(row["wardLat"]),
            lon=float(row["wardLon"]),
            area_km2=float(row["wardAreaKm2"]),
        )
        for row in query(_QUERY)
    ]
    return sorted(units, key=lambda unit: unit.code)


def _disc(unit: Unit) -> shapely.Geometry:
    """A circle of radius sqrt(area/π)·1.6 km around the centroid, drawn in degrees."""
    radius_km = math.sqrt(unit.area_km2 / math.pi) * _DISC_FACTOR
    x_scale = radius_km / (_KM_PER_DEGREE * math.cos(math.radians(unit.lat)))
    y_scale = radius_km / _KM_PER_DEGREE
    return affinity.scale(unit.point.buffer(1.0, quad_segs=16), x_scale, y_scale, origin=unit.point)


def _geojson(geometry: shapely.Geometry) -> dict[str, Any]:
    """GeoJSON with lists, not tuples, so that a re-seed compares equal to the stored value.

    Coordinates are not rounded: rounding moves the points where a disc cuts a shared edge
    off that edge, and neighbouring cells would then overlap in slivers.
    """
    return json.loads(json.dumps(mapping(geometry)))


def approximate_boundaries(units: list[Unit]) -> dict[str, dict[str, Any]]:
    """Area code → approximate GeoJSON polygon; every centroid lies inside its own polygon."""
    points = MultiPoint([unit.point for unit in units])
    hull = points.convex_hull.buffer(_HULL_BUFFER_DEGREES)
    cells = list(shapely.voronoi_polygons(points, extend_to=hull).geoms)
    boundaries: dict[str, dict[str, Any]] = {}
    for unit in units:
        # Matched by containment rather than position: the diagram's order is not promised.
        cell = next(cell for cell in cells if cell.contains(unit.point))
        polygon = cell.intersection(_disc(unit)).intersection(hull)
        if polygon.geom_type != "Polygon":
            # Clipping can leave slivers; the part holding the centroid is the unit.
            polygon = next(part for part in polygon.geoms if part.contains(unit.point))
        geojson = _geojson(polygon)
        if not shape(geojson).contains(unit.point):
            raise AssertionError(f"approximate boundary of {unit.name} lost its centroid")
        boundaries[unit.code] = geojson
    return boundaries
