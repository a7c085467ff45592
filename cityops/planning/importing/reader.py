"""Opening a layer's file with pyogrio (GDAL): GeoJSON, an ESRI Shapefile (its parts, or a zip
of them) or a GeoPackage, read in batches of features."""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyogrio
import pyogrio.raw
import pyproj
from pyogrio.errors import DataLayerError, DataSourceError

SUFFIXES = (".geojson", ".json", ".zip", ".gpkg", ".shp")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")  # .prj and .cpg are optional
# A zip bomb is refused before GDAL opens it.
ZIP_MAX_UNPACKED = 500 * 1024 * 1024
GPKG_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"


class Unreadable(ValueError):
    """The file cannot be read as a layer; the message says why, for staff."""


@dataclass(frozen=True)
class Dataset:
    """A readable layer: the path GDAL opens, its layer, CRS, fields and feature count."""

    path: str
    layer: str | int
    crs: str | None
    fields: tuple[str, ...]
    total: int
    geometry_type: str
    bounds: tuple[float, float, float, float] | None = None

    @property
    def declared_crs(self) -> str | None:
        """The CRS the file declares, unless its coordinates cannot be degrees: GeoJSON is
        WGS 84 to GDAL even when an old file holds VN-2000 metres and says nothing."""
        if self.crs and self.bounds and all(math.isfinite(v) for v in self.bounds):
            west, south, east, north = self.bounds
            if max(abs(west), abs(east)) > 180 or max(abs(south), abs(north)) > 90:
                crs = pyproj.CRS(self.crs) if _parses(self.crs) else None
                if crs is not None and crs.is_geographic:
                    return None
        return self.crs

    def batches(self, size: int) -> Iterator[tuple[int, np.ndarray, dict[str, list[Any]]]]:
        """(index of the batch's first feature, geometries as WKB, attributes by field)."""
        for start in range(0, self.total, size):
            _, _, geometry, columns = pyogrio.raw.read(
                self.path, layer=self.layer, skip_features=start, max_features=size
            )
            attributes = {
                name: list(column) for name, column in zip(self.fields, columns, strict=True)
            }
            yield start, geometry, attributes


def kind_of(head: bytes, suffix: str) -> str:
    """What a file is by its first bytes, checked against its name: gpkg, zip, shp or json."""
    suffix = suffix.lower()
    if head.startswith(GPKG_MAGIC):
        kind = "gpkg"
    elif head.startswith(ZIP_MAGIC):
        kind = "zip"
    elif suffix == ".shp" and len(head) >= 4 and head[:4] == b"\x00\x00\x27\x0a":
        kind = "shp"
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        kind = "json"
    else:
        kind = "unknown"
    expected = {".gpkg": "gpkg", ".zip": "zip", ".shp": "shp", ".geojson": "json", ".json": "json"}
    if expected.get(suffix) != kind:
        raise Unreadable("content")
    return kind


def _inside_zip(path: Path) -> str:
    """The /vsizip/ path of the one layer a zip holds (a shapefile with its parts, a GeoPackage
    or a GeoJSON file)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile as error:
        raise Unreadable("zip") from error
    if sum(m.file_size for m in members) > ZIP_MAX_UNPACKED:
        raise Unreadable("zip_size")
    names = [m.filename for m in members if not m.filename.startswith(("__MACOSX/", "."))]
    if any(name.startswith("/") or ".." in Path(name).parts for name in names):
        raise Unreadable("zip")
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    others = [n for n in names if n.lower().endswith((".gpkg", ".geojson", ".json"))]
    if len(shapefiles) + len(others) != 1:
        raise Unreadable("zip_layers")
    if shapefiles:
        stem = shapefiles[0][:-4]
        present = {n[len(stem) :].lower() for n in names if n[: len(stem)] == stem}
        if not set(SHAPEFILE_PARTS) <= present:
            raise Unreadable("shp_parts")
        return f"/vsizip/{path}/{shapefiles[0]}"
    return f"/vsizip/{path}/{others[0]}"


def open_dataset(path: Path) -> Dataset:
    """Check and open ``path``; raises ``Unreadable`` with a reason code."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as error:
        raise Unreadable("missing") from error
    kind = kind_of(head, path.suffix)
    if kind == "zip":
        source = _inside_zip(path)
    else:
        if kind == "shp":
            missing = [s for s in SHAPEFILE_PARTS if not _sibling(path, s).exists()]
            if missing:
                raise Unreadable("shp_parts")
        source = str(path)
    try:
        layers = pyogrio.list_layers(source)
        if len(layers) == 0:
            raise Unreadable("empty")
        layer: str | int = str(layers[0][0])
        info = pyogrio.read_info(
            source, layer=layer, force_feature_count=True, force_total_bounds=True
        )
    except (DataSourceError, DataLayerError) as error:
        raise Unreadable("gdal") from error
    return Dataset(
        path=source,
        layer=layer,
        crs=info["crs"],
        fields=tuple(str(name) for name in info["fields"]),
        total=max(int(info["features"]), 0),
        geometry_type=str(info["geometry_type"]),
        bounds=tuple(info["total_bounds"]) if info.get("total_bounds") is not None else None,
    )


def _parses(crs: str) -> bool:
    try:
        pyproj.CRS(crs)
    except pyproj.exceptions.CRSError:
        return False
    return True


def _sibling(path: Path, suffix: str) -> Path:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return path.with_suffix(suffix)


def shapefile_zip(parts: Mapping[str, IO[bytes]]) -> bytes:
    """A Shapefile sent as its parts (``name.shp``, ``name.shx``, ``name.dbf``, optionally
    ``.prj`` and ``.cpg``), packed into one zip so it is stored and read as one file."""
    stems = {Path(name).stem for name in parts}
    suffixes = {Path(name).suffix.lower() for name in parts}
    if len(stems) != 1 or not set(SHAPEFILE_PARTS) <= suffixes:
        raise Unreadable("shp_parts")
    if not suffixes <= {*SHAPEFILE_PARTS, ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml"}:
        raise Unreadable("shp_parts")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, handle in parts.items():
            archive.writestr(Path(name).name, handle.read())
    return buffer.getvalue()
