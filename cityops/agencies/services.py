"""Writes for areas and agencies."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from typing import Any

import shapely
from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from cityops.agencies.models import Area
from cityops.platform.errors import InvalidInput

_POLYGONAL = ("Polygon", "MultiPolygon")
# Prefixes that name the kind of unit, left out when names are compared.
_UNIT_WORDS = ("phuong", "xa", "thi tran", "ward", "commune")


def _folded(text: str) -> str:
    """Lower case, without diacritics (đ → d), without the unit word: 'Phường Vỹ Dạ' → 'vy da'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = " ".join(plain.lower().replace("-", " ").split())
    for unit in _UNIT_WORDS:
        if words.startswith(unit + " "):
            return words[len(unit) + 1 :]
    return words


def _code(value: Any) -> str:
    """Codes compare as text without leading zeros: 19777, "19777" and "019777" are one."""
    return str(value).strip().lstrip("0")


def _features(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InvalidInput(
            f"Not a GeoJSON FeatureCollection (found {found!r}): the file must be an object "
            'with "type": "FeatureCollection" and a "features" list.',
            code="not_geojson",
        )
    features = data.get("features")
    if not isinstance(features, list):
        raise InvalidInput('The FeatureCollection has no "features" list.', code="not_geojson")
    return features


def _label(position: int, feature: Any, name_property: str) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    name = properties.get(name_property) or properties.get("name")
    return f"feature {position}" + (f" ({name})" if name else "")


def _geometry(feature: Any, label: str) -> shapely.Geometry:
    """The feature's polygon, or InvalidInput saying what is wrong with it."""
    raw = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(raw, dict) or raw.get("type") not in _POLYGONAL:
        kind = raw.get("type") if isinstance(raw, dict) else None
        raise InvalidInput(f"{label}: geometry must be a Polygon or MultiPolygon, not {kind}.")
    try:
        geometry = shape(raw)
    except Exception as error:  # shapely raises several types for malformed coordinates
        raise InvalidInput(f"{label}: unreadable coordinates ({error}).") from error
    if geometry.is_empty:
        raise InvalidInput(f"{label}: the polygon is empty.")
    if not geometry.is_valid:
        raise InvalidInput(f"{label}: invalid polygon ({explain_validity(geometry)}).")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidInput(
            f"{label}: coordinates are not longitude/latitude; convert the file "
            "to WGS 84 (EPSG:4326) first."
        )
    return geometry


@transaction.atomic
def areas_import_geojson(
    *,
    data: dict[str, Any],
    code_property: str = "code",
    match_name: bool = False,
    name_property: str = "name",
    source: str = "imported",
    on_unmatched: Callable[[str], None] | None = None,
) -> int:
    """Replace area boundaries with the polygons of a GeoJSON FeatureCollection.

    A feature belongs to the area whose code is in its ``code_property``; with ``match_name``,
    a feature without a known code is matched on ``name_property`` ignoring case, diacritics
    and the word "Phường"/"Xã". Every matched geometry must be a valid Polygon or MultiPolygon
    in longitude/latitude, else nothing is imported. Unmatched features are passed, described,
    to ``on_unmatched``. Returns how many areas got a new boundary.
    """
    features = _features(data)
    areas = list(Area.objects.all())
    by_code = {_code(area.code): area for area in areas}
    by_name = {_folded(area.name): area for area in areas}
    matched: dict[int, tuple[Area, shapely.Geometry]] = {}
    problems: list[str] = []
    for position, feature in enumerate(features, start=1):
        label = _label(position, feature, name_property)
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        area = None
        if properties.get(code_property) is not None:
            area = by_code.get(_code(properties[code_property]))
        if area is None and match_name and isinstance(properties.get(name_property), str):
            area = by_name.get(_folded(properties[name_property]))
        if area is None:
            if on_unmatched is not None:
                on_unmatched(
                    f"{label}: no area with {code_property}="
                    f"{properties.get(code_property)!r}"
                    + (
                        f" or {name_property}={properties.get(name_property)!r}"
                        if match_name
                        else ""
                    )
                )
            continue
        try:
            geometry = _geometry(feature, label)
        except InvalidInput as error:
            problems.append(error.message)
            continue
        if area.pk in matched:
            problems.append(f"{label}: a second boundary for {area.name}.")
            continue
        matched[area.pk] = (area, geometry)
    if problems:
        raise InvalidInput(
            "Nothing was imported: " + " ".join(problems),
            code="invalid_geometry",
            fields={"features": problems},
        )
    for area, geometry in matched.values():
        area.boundary = json.loads(json.dumps(mapping(geometry)))
        area.boundary_source = source[:200]
        area.save(update_fields=["boundary", "boundary_source", "updated_at"])
    return len(matched)
