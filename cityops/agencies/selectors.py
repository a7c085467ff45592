"""Reads about areas and agencies shared by every channel."""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass

from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from cityops.agencies.models import Area
from cityops.platform.kept import kept


@dataclass(frozen=True)
class _AreaIndex:
    tree: STRtree
    areas: tuple[Area, ...]


@kept(seconds=30, depends_on=(Area,))
def _area_index() -> _AreaIndex:
    """Intake asks for the area of every report: the boundaries are kept in memory."""
    areas = tuple(Area.objects.exclude(boundary=None))
    return _AreaIndex(STRtree([shape(area.boundary) for area in areas]), areas)


def area_at(*, lat: float, lon: float) -> Area | None:
    """The area whose boundary contains the point, or None outside every known area."""
    index = _area_index()
    for position in index.tree.query(Point(lon, lat), predicate="intersects"):
        return copy(index.areas[int(position)])  # a copy: the kept one is shared
    return None


def areas_mapped() -> bool:
    """Whether any area has a boundary: only then can a place be found outside the city."""
    return bool(_area_index().areas)
