"""Reads about areas and agencies shared by every channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import shapely
from django.db.models import Count, Max
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from cityops.agencies.models import Area


@dataclass(frozen=True)
class _AreaIndex:
    tree: STRtree
    geometries: tuple[shapely.Geometry, ...]
    area_ids: tuple[int, ...]


@lru_cache(maxsize=2)
def _area_index(_signature: tuple[int, datetime | None]) -> _AreaIndex:
    rows = list(Area.objects.exclude(boundary=None).values_list("pk", "boundary"))
    geometries = tuple(shape(b) for _, b in rows)
    return _AreaIndex(STRtree(geometries), geometries, tuple(pk for pk, _ in rows))


def area_at(*, lat: float, lon: float) -> Area | None:
    """The area whose boundary contains the point, or None outside every known area."""
    signature = Area.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    index = _area_index((signature["n"], signature["changed"]))
    point = Point(lon, lat)
    for position in index.tree.query(point, predicate="intersects"):
        return Area.objects.get(pk=index.area_ids[int(position)])
    return None
