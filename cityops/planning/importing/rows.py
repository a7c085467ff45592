"""One feature of a file → a zone (``ZoneRow``) or the reason it is refused."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext_noop
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from cityops.planning.importing.crs import Source, looks_swapped, outside_reason
from cityops.planning.land_use import land_use
from cityops.planning.privacy import public_attributes
from cityops.planning.said import Said
from cityops.planning.services import ZoneRow

# The field names plans are delivered with, tried in this order (case-insensitive).
CANDIDATES = {
    "use_code": (
        "use_code", "MaLoaiDat", "MaLDat", "MADAT", "MaDat", "KyHieu", "KyHieuLD", "KH",
        "MaMDSD", "MDSD", "LoaiDat", "landuse", "code",
    ),
    "use_name": ("use_name", "TenLoaiDat", "TenLDat", "TenDat", "ChucNang", "MucDich", "name"),
    "zone_code": ("zone_code", "MaO", "MaLo", "KyHieuO", "KyHieuLo", "SoHieuO", "ODat", "zone"),
}  # fmt: skip
ROLES = tuple(CANDIDATES)


@dataclass(frozen=True)
class FieldMap:
    """Which of a file's fields holds the use code, the use name and the zone code."""

    use_code: str
    use_name: str | None = None
    zone_code: str | None = None


class NoCodeField(ValueError):
    """No field of the file holds the land-use code."""


def field_map_for(fields: tuple[str, ...], chosen: dict[str, str]) -> FieldMap:
    """The fields the import was told to use, else the first of the usual names found."""
    by_lower = {name.lower(): name for name in fields}
    found: dict[str, str | None] = {}
    for role in ROLES:
        wanted = (chosen.get(role) or "").strip()
        if wanted:
            if wanted.lower() not in by_lower:
                raise NoCodeField(wanted)
            found[role] = by_lower[wanted.lower()]
            continue
        found[role] = next(
            (by_lower[c.lower()] for c in CANDIDATES[role] if c.lower() in by_lower), None
        )
    code = found.pop("use_code")
    if code is None:
        raise NoCodeField("")
    return FieldMap(use_code=code, **found)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    return str(value)


def _polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    """The polygons of a geometry (a repaired one may come back as a collection)."""
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    if not parts:
        return None
    polygons: list[Polygon] = []
    for part in parts:
        polygons.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


@dataclass(frozen=True)
class Outcome:
    """A zone, or a refusal; ``repaired`` notes a geometry made valid."""

    zone: ZoneRow | None = None
    refused: Said | None = None
    repaired: bool = False


def row_to_zone(
    *, wkb: bytes | None, attributes: dict[str, Any], fields: FieldMap, source: Source
) -> Outcome:
    code = _text(attributes.get(fields.use_code)).upper()
    if not code:
        return Outcome(
            refused=Said(
                gettext_noop("No land-use code (field %(field)s)."), {"field": fields.use_code}
            )
        )
    if wkb is None:
        return Outcome(refused=Said(gettext_noop("No geometry.")))
    geometry = shapely.force_2d(shapely.from_wkb(wkb))
    if geometry.is_empty:
        return Outcome(refused=Said(gettext_noop("Empty geometry.")))
    if not isinstance(geometry, (Polygon, MultiPolygon)):
        return Outcome(
            refused=Said(
                gettext_noop("Not a polygon (%(kind)s): a zone is an area."),
                {"kind": geometry.geom_type},
            )
        )
    raw_bounds = geometry.bounds
    if source.is_vn2000_hue and looks_swapped(raw_bounds):
        return Outcome(
            refused=Said(
                gettext_noop(
                    "Coordinates outside the zone: easting and northing look swapped "
                    "(in VN-2000, X is the northing)."
                )
            )
        )
    geometry = shapely.transform(geometry, source.transform)
    reason = outside_reason(geometry.bounds, source=source)
    if reason == "zone":
        return Outcome(
            refused=Said(
                gettext_noop(
                    "Coordinates outside Huế's 3° zone (central meridian 107°00′): "
                    "was the file drawn in another zone or in the 6° UTM zone?"
                )
            )
        )
    if reason is not None:
        return Outcome(
            refused=Said(
                gettext_noop("Coordinates outside Vietnam: check the file's coordinate system.")
            )
        )
    repaired = False
    if not geometry.is_valid:
        reason_text = shapely.is_valid_reason(geometry)
        fixed = _polygonal(shapely.make_valid(geometry))
        if fixed is None or fixed.is_empty or fixed.area <= 0:
            return Outcome(
                refused=Said(gettext_noop("Invalid geometry: %(reason)s."), {"reason": reason_text})
            )
        geometry, repaired = fixed, True
    name_in_file = _text(attributes.get(fields.use_name)) if fields.use_name else ""
    properties = public_attributes({key: _jsonable(value) for key, value in attributes.items()})
    return Outcome(
        zone=ZoneRow(
            use_code=code,
            use_name=(name_in_file or land_use(code)[0])[:200],
            zone_code=_text(attributes.get(fields.zone_code))[:60] if fields.zone_code else "",
            geometry=geometry,
            properties=properties,
        ),
        repaired=repaired,
    )
