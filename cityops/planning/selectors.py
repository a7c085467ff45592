"""Reads of planning layers: for the public, the zones at a point, places by name or zone code,
and the pages of a layer's zones for the OGC API; for the console, every layer and its imports.

The public reads see published layers only: an unpublished layer (an import being checked) is
invisible to the public lookup, the API and the OGC API alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from cityops.agencies.models import Area
from cityops.planning.grid import CELL_DEGREES, cell_of, cells_covering
from cityops.planning.land_use import land_use
from cityops.planning.models import Layer, LayerImport, Zone, ZoneCell


@dataclass(frozen=True)
class ZoneAnswer:
    """One zone holding the point, with its layer and its use's name and colour."""

    zone: Zone
    layer: Layer
    use_name: str
    colour: str

    @property
    def use_code(self) -> str:
        return self.zone.use_code


def published_layers() -> QuerySet[Layer]:
    return Layer.objects.filter(is_published=True)


def published_layer(slug: str) -> Layer | None:
    return published_layers().filter(slug=slug).first()


def use_of(zone: Zone) -> tuple[str, str]:
    """The use's name (the standard one for a known code, else the file's) and its colour."""
    name, colour = land_use(zone.use_code)
    if name == zone.use_code and zone.use_name:
        name = zone.use_name
    return name, colour


def zones_at(lon: float, lat: float) -> list[ZoneAnswer]:
    """Every zone of every published layer holding the point (its edge included), newest plan
    first. One indexed read of the point's grid cell, then the polygons themselves."""
    candidates = (
        ZoneCell.objects.filter(
            cell=cell_of(lon, lat),
            zone__layer__is_published=True,
            zone__min_lon__lte=lon,
            zone__max_lon__gte=lon,
            zone__min_lat__lte=lat,
            zone__max_lat__gte=lat,
        )
        .select_related("zone__layer")
        .order_by("-zone__layer__decision_date", "zone__layer__slug", "zone_id")
    )
    point = Point(lon, lat)
    answers = []
    for filed in candidates:
        zone = filed.zone
        if shape(zone.geometry).covers(point):
            name, colour = use_of(zone)
            answers.append(ZoneAnswer(zone=zone, layer=zone.layer, use_name=name, colour=colour))
    return answers


def zone_outline(zone: Zone) -> BaseGeometry:
    return shape(zone.geometry)


@dataclass(frozen=True)
class Place:
    """A place found by name (a ward or commune) or by a zone's code, and where to look."""

    label: str
    lat: float
    lon: float


def places_named(text: str, *, limit: int = 10) -> list[Place]:
    """Wards and communes whose name holds the text, then zones of published layers with that
    code. There is no street-address search (no geocoder)."""
    text = text.strip()
    if len(text) < 2:
        return []
    places = [
        Place(label=area.name, lat=area.centroid_lat, lon=area.centroid_lon)
        for area in Area.objects.filter(name__icontains=text).order_by("name")[:limit]
    ]  # fmt: skip
    zones = (
        Zone.objects.filter(layer__is_published=True)
        .filter(Q(zone_code__iexact=text) | Q(zone_code__istartswith=f"{text}-"))
        .select_related("layer")
        .order_by("zone_code", "pk")[: limit - len(places)]
    )
    for zone in zones:
        inside = shape(zone.geometry).representative_point()
        places.append(
            Place(label=f"{zone.zone_code} · {zone.use_code} · {zone.layer.title}",
                  lat=inside.y, lon=inside.x)
        )  # fmt: skip
    return places


# Past this many grid cells (a box of about 0.1° × 0.1°), a box reads the layer's extents
# instead of the grid.
BBOX_CELLS_MAX = 400


@dataclass(frozen=True)
class ZonePage:
    zones: list[Zone]
    matched: int


def layer_zones(
    *, layer: Layer, bbox: tuple[float, float, float, float] | None, limit: int, offset: int
) -> ZonePage:
    """A page of a published layer's zones whose extent meets the box (west, south, east,
    north), in a stable order."""
    zones = Zone.objects.filter(layer=layer)
    if bbox is not None:
        west, south, east, north = bbox
        zones = zones.filter(
            min_lon__lte=east, max_lon__gte=west, min_lat__lte=north, max_lat__gte=south
        )
        cells = cells_covering(west, south, east, north) if _few_cells(bbox) else None
        if cells is not None:  # a map's view: through the grid's index, not the whole layer
            zones = zones.filter(pk__in=ZoneCell.objects.filter(cell__in=cells).values("zone_id"))
    matched = zones.count()
    return ZonePage(zones=list(zones.order_by("pk")[offset : offset + limit]), matched=matched)


def _few_cells(bbox: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bbox
    return (east - west) * (north - south) / CELL_DEGREES**2 <= BBOX_CELLS_MAX


def layer_zone(*, layer: Layer, zone_id: int) -> Zone | None:
    return Zone.objects.filter(layer=layer, pk=zone_id).first()


RECENT_IMPORTS = 5


def layers_for_console() -> QuerySet[Layer]:
    """Every layer, newest decision first, with its latest import."""
    return Layer.objects.prefetch_related(
        Prefetch(
            "imports",
            queryset=LayerImport.objects.order_by("-created_at", "-pk"),
            to_attr="import_list",
        )
    )


def imports_of(layer: Layer, *, limit: int = RECENT_IMPORTS) -> list[LayerImport]:
    return list(layer.imports.select_related("created_by").order_by("-created_at", "-pk")[:limit])
