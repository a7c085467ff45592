"""From a file's coordinates to WGS 84 longitude and latitude.

VN-2000 in Huế's provincial 3° zone (Thông tư 973/2001/TT-TCĐC): transverse Mercator on the
WGS 84 ellipsoid, central meridian 107°00′E, k0 = 0.9999, false easting 500 000 m. The datum
shift to WGS 84 is the seven-parameter Helmert transformation published by the Ministry
(Quyết định 05/2007/QĐ-BTNMT). Its rotations are in the *coordinate frame* convention: that is
how EPSG registers the same figures (EPSG:6960 "VN-2000 to WGS 84 (2)", method 9607, from the
Department of Survey and Mapping). PROJ's ``+towgs84`` reads rotations in the *position vector*
convention, so writing the published figures into ``+towgs84`` unchanged moves Huế by about
half a metre; the pipeline below states ``convention=coordinate_frame`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyproj
from pyproj.exceptions import CRSError

from cityops.planning.choices import SourceCrs

# Quyết định 05/2007/QĐ-BTNMT, VN-2000 → WGS 84: metres, arc-seconds, parts per million.
SHIFT = {
    "x": -191.90441429,
    "y": -39.30318279,
    "z": -111.45032835,
    "rx": -0.00928836,
    "ry": 0.01975479,
    "rz": -0.00427372,
    "s": 0.252906278,
}
CENTRAL_MERIDIAN = 107.0
ZONE_HALF_WIDTH = 1.5  # a 3° zone
ZONE_TOLERANCE = 0.5  # a province may reach a little past its zone's edge
# Vietnam onshore (EPSG area 3328), widened a little for the coast.
VIETNAM = (102.0, 8.2, 109.7, 23.5)

HUE_PIPELINE = (
    "+proj=pipeline"
    f" +step +inv +proj=tmerc +lat_0=0 +lon_0={CENTRAL_MERIDIAN:g} +k=0.9999"
    " +x_0=500000 +y_0=0 +ellps=WGS84"
    " +step +proj=push +v_3"
    " +step +proj=cart +ellps=WGS84"
    " +step +proj=helmert " + " ".join(f"+{key}={value}" for key, value in SHIFT.items()) +
    " +convention=coordinate_frame"
    " +step +inv +proj=cart +ellps=WGS84"
    " +step +proj=pop +v_3"
    " +step +proj=unitconvert +xy_in=rad +xy_out=deg"
)  # fmt: skip


class UnknownCrs(ValueError):
    """A file declares a coordinate system we cannot bring to WGS 84."""


Transform = Callable[[np.ndarray], np.ndarray]  # (n, 2) x/y → (n, 2) lon/lat


@dataclass(frozen=True)
class Source:
    """How a file's coordinates reach WGS 84, and what its rows must fall within."""

    label: str
    transform: Transform
    is_vn2000_hue: bool = False


@cache
def _hue_transformer() -> pyproj.Transformer:
    """Built once per process: building a pipeline costs more than transforming a file."""
    return pyproj.Transformer.from_pipeline(HUE_PIPELINE)


@cache
def _transformer_from(wkt: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(pyproj.CRS(wkt), "EPSG:4326", always_xy=True)


def vn2000_hue_to_wgs84(coords: np.ndarray) -> np.ndarray:
    """Eastings and northings of VN-2000 (Huế, 107°00′) → longitudes and latitudes."""
    if len(coords) == 0:
        return coords
    lon, lat = _hue_transformer().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def _identity(coords: np.ndarray) -> np.ndarray:
    return coords


def _generic(wkt: str) -> Transform:
    transformer = _transformer_from(wkt)

    def transform(coords: np.ndarray) -> np.ndarray:
        if len(coords) == 0:
            return coords
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return transform


WGS84 = Source("WGS 84", _identity)
VN2000_HUE = Source("VN-2000 / TM-3 107°00′", vn2000_hue_to_wgs84, is_vn2000_hue=True)
CHOSEN = {SourceCrs.WGS84: WGS84, SourceCrs.VN2000_HUE: VN2000_HUE}


def _is_hue_zone(crs: pyproj.CRS) -> bool:
    """A transverse Mercator on 107°E, k0 0.9999, false easting 500 km, on VN-2000 (or on a
    WGS 84 datum, as VN-2000 files are often labelled: the two share the ellipsoid)."""
    if not crs.is_projected or crs.coordinate_operation is None:
        return False
    operation = crs.coordinate_operation
    if "transverse mercator" not in operation.method_name.lower():
        return False
    values = {
        p.name.lower(): float(p.value) for p in operation.params if not isinstance(p.value, str)
    }
    datum = (crs.datum.name if crs.datum else "").lower()
    return (
        abs(values.get("longitude of natural origin", -1) - CENTRAL_MERIDIAN) < 1e-9
        and abs(values.get("scale factor at natural origin", 0) - 0.9999) < 1e-12
        and abs(values.get("false easting", 0) - 500_000) < 1e-6
        and abs(values.get("false northing", 1) - 0) < 1e-6
        and ("2000" in datum or "vietnam" in datum or "wgs" in datum)
    )


def source_for(declared: str | None, chosen: str) -> Source:
    """The file's own coordinate system when it declares one (a .prj, a GeoPackage's), else
    the one chosen for the import. Raises ``UnknownCrs`` for one we cannot use."""
    if not declared:
        return CHOSEN[SourceCrs(chosen)]
    try:
        crs = pyproj.CRS(declared)
    except CRSError as error:
        raise UnknownCrs(str(error)) from error
    if _is_hue_zone(crs):
        return VN2000_HUE
    if crs.is_geographic and crs.equals("OGC:CRS84", ignore_axis_order=True):
        return WGS84  # EPSG:4326 too: the file's axis order is longitude first all the same
    if crs.to_epsg(min_confidence=70) is None:
        raise UnknownCrs(crs.name)
    try:
        transform = _generic(crs.to_wkt())
    except pyproj.exceptions.ProjError as error:  # pragma: no cover - PROJ refuses the pair
        raise UnknownCrs(crs.name) from error
    return Source(crs.name, transform)


def outside_reason(bounds: tuple[float, float, float, float], *, source: Source) -> str | None:
    """Why a zone whose WGS 84 bounds are ``bounds`` cannot be where it says, or None."""
    min_lon, min_lat, max_lon, max_lat = bounds
    if not np.isfinite(bounds).all():
        return "infinite"
    west, south, east, north = VIETNAM
    if min_lon < west or max_lon > east or min_lat < south or max_lat > north:
        return "vietnam"
    if source.is_vn2000_hue:
        reach = ZONE_HALF_WIDTH + ZONE_TOLERANCE
        if min_lon < CENTRAL_MERIDIAN - reach or max_lon > CENTRAL_MERIDIAN + reach:
            return "zone"
    return None


def looks_swapped(bounds: tuple[float, float, float, float]) -> bool:
    """Projected coordinates with northing first: Vietnamese surveys call the northing X."""
    min_x, _, _, max_y = bounds
    return min_x > 1_000_000 and max_y < 1_000_000
