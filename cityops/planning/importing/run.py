"""An import from start to end: open the file, map its fields, bring each feature to WGS 84,
store the good rows batch by batch (``total``/``done`` follow), list the refused ones, and on
success let the new zones replace the layer's previous ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from pyproj.exceptions import ProjError
from shapely.errors import GEOSException

from cityops.planning.choices import ImportStatus
from cityops.planning.importing.crs import Source, UnknownCrs, source_for
from cityops.planning.importing.reader import Dataset, Unreadable, open_dataset
from cityops.planning.importing.rows import (
    FieldMap,
    NoCodeField,
    Outcome,
    field_map_for,
    row_to_zone,
)
from cityops.planning.models import LayerImport, Zone
from cityops.planning.said import Said
from cityops.planning.services import ZoneRow, layer_extent_refresh, zones_add

# What imports finished before 2026-12-08 stored: still in the catalogues, so that those imports
# are shown in each reader's language too.
EARLIER_WORDINGS = (
    gettext_noop(
        "%(imported)s zones imported (%(source)s); %(refused)s rows refused, %(repaired)s repaired."
    ),
)

BATCH = 200
READ_BATCH = 5000
MAX_ERRORS = 1000  # a file of garbage lists its first thousand rows, then a count

Progress = Callable[[int, int], None]  # (done, total)


def _unreadable_message(reason: str) -> Said:
    messages = {
        "content": gettext_noop(
            "The file's content does not match its name: upload GeoJSON (.geojson, .json), "
            "a GeoPackage (.gpkg) or a Shapefile (.zip, or its .shp, .shx and .dbf)."
        ),
        "zip": gettext_noop("The zip archive cannot be read."),
        "zip_size": gettext_noop("The zip archive unpacks to more than 500 MB."),
        "zip_layers": gettext_noop(
            "The zip archive must hold exactly one layer: one Shapefile (.shp with its .shx "
            "and .dbf), one GeoPackage or one GeoJSON file."
        ),
        "shp_parts": gettext_noop(
            "The Shapefile is incomplete: the .shp, .shx and .dbf are all needed."
        ),
        "empty": gettext_noop("The file holds no layer."),
        "missing": gettext_noop("The uploaded file is missing from storage."),
    }
    return Said(messages.get(reason, gettext_noop("GDAL cannot read the file as a vector layer.")))


def _said(job: LayerImport, said: Said) -> None:
    """Keep ``said`` on the job in no language: each reader sees it in theirs."""
    job.message, job.message_values = said.text, dict(said.values)


def _fail(job: LayerImport, said: Said) -> LayerImport:
    _said(job, said)
    job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
    job.save(update_fields=["status", "message", "message_values", "finished_at"])
    return job


def layer_import_run(*, layer_import: LayerImport, progress: Progress | None = None) -> LayerImport:
    """Run a waiting import (a re-delivered job finds it started and does nothing)."""
    with transaction.atomic():
        job = (
            LayerImport.objects.select_for_update().select_related("layer").get(pk=layer_import.pk)
        )
        if job.status != ImportStatus.PENDING:
            return job
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])
    try:
        dataset = open_dataset(Path(job.file.path))
    except Unreadable as error:
        return _fail(job, _unreadable_message(str(error)))
    try:
        source = source_for(dataset.declared_crs, job.source_crs)
    except UnknownCrs as error:
        text = gettext_noop(
            "The file's coordinate system (%(crs)s) is not one we can convert: export it "
            "in WGS 84 or in VN-2000 (Huế, central meridian 107°00′)."
        )
        return _fail(job, Said(text, {"crs": str(error)}))
    try:
        fields = field_map_for(dataset.fields, job.field_map)
    except NoCodeField as error:
        listed = ", ".join(dataset.fields) or "—"
        if str(error):
            text = gettext_noop("The file has no field %(field)s. Its fields: %(fields)s.")
            return _fail(job, Said(text, {"field": str(error), "fields": listed}))
        text = gettext_noop("No field of the file holds the land-use code. Its fields: %(fields)s.")
        return _fail(job, Said(text, {"fields": listed}))
    job.total = dataset.total
    job.save(update_fields=["total"])
    try:
        return _read_rows(job, dataset, fields, source, progress)
    except Exception:
        Zone.objects.filter(source=job).delete()
        layer_extent_refresh(layer=job.layer)
        _fail(
            job, Said(gettext_noop("The file could not be read to the end; nothing was imported."))
        )
        raise


def _note(errors: list[dict[str, Any]], row: int, said: Said, *, repaired: bool = False) -> None:
    """A row to look at, as ``LayerImport.errors`` keeps it (``errors_shown`` shows it)."""
    if len(errors) < MAX_ERRORS:
        entry: dict[str, Any] = {"row": row, "message": said.text}
        if said.values:
            entry["values"] = dict(said.values)
        if repaired:
            entry["repaired"] = True
        errors.append(entry)


def _outcome(wkb: bytes | None, attributes: dict[str, Any], **kwargs: Any) -> Outcome:
    try:
        return row_to_zone(wkb=wkb, attributes=attributes, **kwargs)
    except (GEOSException, ProjError, ValueError) as error:
        return Outcome(
            refused=Said(gettext_noop("Unreadable geometry: %(error)s."), {"error": str(error)})
        )


def _read_rows(
    job: LayerImport, dataset: Dataset, fields: FieldMap, source: Source, progress: Progress | None
) -> LayerImport:
    errors: list[dict[str, Any]] = []
    refused = repaired = imported = 0
    # GDAL reads a few thousand features at a time (a GeoJSON file is parsed again for each
    # read); they are stored 200 at a time, so that the progress bar moves.
    for first, geometries, columns in dataset.batches(READ_BATCH):
        for offset in range(0, len(geometries), BATCH):
            zones: list[ZoneRow] = []
            for index in range(offset, min(offset + BATCH, len(geometries))):
                row = first + index + 1
                attributes = {name: columns[name][index] for name in dataset.fields}
                outcome = _outcome(geometries[index], attributes, fields=fields, source=source)
                if outcome.zone is None:
                    refused += 1
                    assert outcome.refused is not None  # an outcome is a zone or a refusal
                    _note(errors, row, outcome.refused)
                    continue
                if outcome.repaired:
                    repaired += 1
                    text = gettext_noop("Invalid geometry (self-intersecting), repaired.")
                    _note(errors, row, Said(text), repaired=True)
                zones.append(outcome.zone)
            imported += zones_add(layer=job.layer, rows=zones, source=job)
            job.done = first + min(offset + BATCH, len(geometries))
            job.imported, job.errors = imported, errors
            job.save(update_fields=["done", "imported", "errors"])
            if progress is not None:
                progress(job.done, job.total)
    job.finished_at = timezone.now()
    if imported == 0:
        job.status = ImportStatus.FAILED
        _said(
            job, Said(gettext_noop("No row could be imported; the layer keeps its previous zones."))
        )
    else:
        # The new file replaces the layer's content: the old zones go once the new are in.
        Zone.objects.filter(layer=job.layer).exclude(source=job).delete()
        layer_extent_refresh(layer=job.layer)
        job.status = ImportStatus.DONE
        # Counts after a colon: the same English for one row as for many.
        text = gettext_noop(
            "Zones imported: %(imported)s (%(source)s). Rows refused: %(refused)s; repaired: "
            "%(repaired)s."
        )
        values = {"imported": imported, "source": source.label, "refused": refused,
                  "repaired": repaired}  # fmt: skip
        _said(job, Said(text, values))
    job.save(update_fields=["status", "message", "message_values", "finished_at"])
    return job
