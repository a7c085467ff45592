"""Writes of planning layers: zones filed under the lookup grid, the layer's extent kept."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from cityops.planning.choices import SourceCrs
from cityops.planning.grid import cells_covering
from cityops.planning.models import Layer, LayerImport, Zone, ZoneCell
from cityops.platform.errors import InvalidInput

BATCH = 1000
RESERVED_SLUGS = frozenset({"new", "imports"})  # the console's own addresses under planning/


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


def layer_create(
    *,
    slug: str,
    title: str,
    plan_name: str,
    decision_number: str,
    decision_date: date,
    as_of: date,
    issued_by: str = "",
    plan_version: str = "",
    description: str = "",
) -> Layer:
    """A new, unpublished layer with no zones yet."""
    if slug in RESERVED_SLUGS:
        raise InvalidInput(
            _("This identifier is reserved."), fields={"slug": [_("This identifier is reserved.")]}
        )
    if Layer.objects.filter(slug=slug).exists():
        raise InvalidInput(
            _("A layer with this identifier exists already."),
            fields={"slug": [_("A layer with this identifier exists already.")]},
        )
    return Layer.objects.create(
        slug=slug,
        title=title,
        plan_name=plan_name,
        decision_number=decision_number,
        decision_date=decision_date,
        as_of=as_of,
        issued_by=issued_by,
        plan_version=plan_version,
        description=description,
    )


def layer_publish(*, layer: Layer, published: bool) -> Layer:
    """Show the layer to the public (the lookup, the map, the OGC API), or withdraw it. A layer
    without zones cannot be published: the lookup would answer "nothing planned" for its area."""
    if published and not layer.zone_count:
        raise InvalidInput(_("Import the layer's zones before publishing it."))
    layer.is_published = published
    layer.save(update_fields=["is_published", "updated_at"])
    return layer


def layer_import_start(
    *,
    layer: Layer,
    file: File,
    file_name: str,
    source_crs: str = SourceCrs.WGS84,
    field_map: dict[str, str] | None = None,
    actor: Any = None,
    queue: bool = True,
) -> LayerImport:
    """Keep the file and queue its import (the job starts once this transaction commits);
    ``queue=False`` leaves the run to the caller (the command, with its progress bar)."""
    from cityops.planning.tasks import import_layer

    layer_import = LayerImport(
        layer=layer,
        file_name=file_name[:255],
        source_crs=SourceCrs(source_crs),
        field_map={key: value for key, value in (field_map or {}).items() if value},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    layer_import.file.save(file_name, file, save=False)
    layer_import.save()
    if queue:
        transaction.on_commit(lambda: import_layer.enqueue(layer_import_id=layer_import.pk))
    return layer_import
