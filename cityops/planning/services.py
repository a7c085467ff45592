"""Writes of planning layers: zones filed under the lookup grid, the layer's extent kept."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from cityops.planning.grid import cells_covering
from cityops.planning.models import Layer, LayerImport, Zone, ZoneCell

BATCH = 1000


@dataclass(frozen=True)
class ZoneRow:
    """A polygon with its planned use, in WGS 84, ready to be stored."""

    use_code: str
    use_name: str
    geometry: BaseGeometry
    zone_code: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


def zones_add(*, layer: Layer, rows: Iterable[ZoneRow], source: LayerImport | None = None) -> int:
    """Store the zones and file each under the grid cells its extent touches; the layer's count
    and extent follow. Returns how many were stored."""
    stored = 0
    batch: list[ZoneRow] = []
    with transaction.atomic():
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                stored += _store(layer, batch, source)
                batch = []
        if batch:
            stored += _store(layer, batch, source)
        layer_extent_refresh(layer=layer)
    return stored


def _store(layer: Layer, rows: list[ZoneRow], source: LayerImport | None) -> int:
    zones = Zone.objects.bulk_create(
        [
            Zone(
                layer=layer,
                source=source,
                use_code=row.use_code,
                use_name=row.use_name,
                zone_code=row.zone_code,
                properties=row.properties,
                geometry=mapping(row.geometry),
                min_lon=row.geometry.bounds[0],
                min_lat=row.geometry.bounds[1],
                max_lon=row.geometry.bounds[2],
                max_lat=row.geometry.bounds[3],
            )
            for row in rows
        ]
    )
    ZoneCell.objects.bulk_create(
        [
            ZoneCell(cell=cell, zone=zone)
            for zone in zones
            for cell in cells_covering(zone.min_lon, zone.min_lat, zone.max_lon, zone.max_lat)
        ],
        batch_size=5000,
    )
    return len(zones)


def layer_extent_refresh(*, layer: Layer) -> Layer:
    """Recount the layer's zones and recompute its extent from theirs."""
    figures = Zone.objects.filter(layer=layer).aggregate(
        count=Count("pk"),
        min_lon=Min("min_lon"),
        min_lat=Min("min_lat"),
        max_lon=Max("max_lon"),
        max_lat=Max("max_lat"),
    )
    layer.zone_count = figures.pop("count")
    for name, value in figures.items():
        setattr(layer, name, value)
    layer.save(update_fields=["zone_count", "min_lon", "min_lat", "max_lon", "max_lat"])
    return layer
