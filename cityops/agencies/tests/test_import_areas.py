"""Importing real area boundaries from GeoJSON."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cityops.agencies.models import Area
from cityops.agencies.selectors import area_at
from cityops.agencies.services import areas_import_geojson
from cityops.agencies.tests.factories import AreaFactory, square
from cityops.platform.errors import InvalidInput

# A real-shaped (irregular) polygon east of the factory's default square around 16.46, 107.59.
POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [
            [107.605, 16.455],
            [107.640, 16.452],
            [107.652, 16.470],
            [107.630, 16.489],
            [107.607, 16.480],
            [107.605, 16.455],
        ]
    ],
}
INSIDE_NEW = (16.47, 107.63)  # lat, lon: inside POLYGON, outside the old square
INSIDE_OLD_ONLY = (16.46, 107.59)


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry or POLYGON}


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def vy_da(db: None) -> Area:
    return AreaFactory(code="19777", name="Phường Vỹ Dạ")


@pytest.fixture
def write(tmp_path: Path):
    def write(name: str, content: Any) -> Path:
        path = tmp_path / name
        path.write_text(
            content if isinstance(content, str) else json.dumps(content), encoding="utf-8"
        )
        return path

    return write


def test_an_imported_polygon_replaces_the_boundary_and_area_at_uses_it(vy_da, write):
    path = write("vy-da.geojson", collection(feature({"code": "19777"})))
    out = StringIO()
    call_command("import_areas", str(path), stdout=out, stderr=StringIO())
    vy_da.refresh_from_db()
    assert vy_da.boundary == POLYGON
    assert vy_da.boundary_source == "imported: vy-da.geojson"
    assert "Imported 1 boundaries" in out.getvalue()
    assert area_at(lat=INSIDE_NEW[0], lon=INSIDE_NEW[1]) == vy_da
    assert area_at(lat=INSIDE_OLD_ONLY[0], lon=INSIDE_OLD_ONLY[1]) is None


def test_the_code_may_sit_in_another_property_and_be_a_number(vy_da):
    data = collection(feature({"ma_xa": 19777}))
    assert areas_import_geojson(data=data, code_property="ma_xa", source="imported: x") == 1
    vy_da.refresh_from_db()
    assert vy_da.boundary_source == "imported: x"


def test_a_multipolygon_is_accepted(vy_da):
    multi = {
        "type": "MultiPolygon",
        "coordinates": [POLYGON["coordinates"], square(107.7, 16.5)["coordinates"]],
    }
    assert areas_import_geojson(data=collection(feature({"code": "19777"}, multi))) == 1
    assert area_at(lat=16.5, lon=107.7) == vy_da


def test_features_are_matched_by_name_without_diacritics_when_asked(vy_da):
    data = collection(feature({"name": "Vy Da"}))
    assert areas_import_geojson(data=data) == 0
    assert areas_import_geojson(data=data, match_name=True) == 1


def test_unmatched_features_are_reported(vy_da, write):
    unmatched: list[str] = []
    data = collection(feature({"code": "19777"}), feature({"code": "99999", "name": "Nowhere"}))
    assert areas_import_geojson(data=data, on_unmatched=unmatched.append) == 1
    assert len(unmatched) == 1
    assert "feature 2 (Nowhere)" in unmatched[0]

    err = StringIO()
    call_command("import_areas", str(write("two.geojson", data)), stdout=StringIO(), stderr=err)
    assert "Unmatched feature 2 (Nowhere)" in err.getvalue()


def test_a_file_where_nothing_matches_is_an_error(vy_da, write):
    path = write("none.geojson", collection(feature({"id": "19777"})))
    with pytest.raises(CommandError, match=r"No feature .* matched an area"):
        call_command("import_areas", str(path), stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not json", "is not a GeoJSON file: it is not valid JSON"),
        ({"type": "Feature", "geometry": POLYGON}, "Not a GeoJSON FeatureCollection"),
        ([1, 2, 3], "Not a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection"}, 'no "features" list'),
    ],
)
def test_a_file_that_is_not_a_geojson_feature_collection_is_refused(vy_da, write, content, message):
    path = write("bad.geojson", content)
    with pytest.raises(CommandError, match=message):
        call_command("import_areas", str(path), stdout=StringIO(), stderr=StringIO())


def test_a_missing_file_is_refused_clearly(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_areas", str(tmp_path / "missing.geojson"))


BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[107.6, 16.4], [107.7, 16.5], [107.7, 16.4], [107.6, 16.5], [107.6, 16.4]]],
}
POINT = {"type": "Point", "coordinates": [107.6, 16.4]}
PROJECTED = square(780000.0, 1820000.0, half=500.0)  # VN-2000 metres, not degrees


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (BOW_TIE, "invalid polygon \\(Self-intersection"),
        (POINT, "must be a Polygon or MultiPolygon, not Point"),
        (PROJECTED, "not longitude/latitude"),
    ],
)
def test_an_invalid_geometry_is_refused_and_nothing_is_imported(vy_da, geometry, message):
    other = AreaFactory(code="19789", name="Phường Thuận Hóa")
    before = (other.boundary, vy_da.boundary)
    data = collection(feature({"code": "19789"}), feature({"code": "19777"}, geometry))
    with pytest.raises(InvalidInput, match=message):
        areas_import_geojson(data=data)
    other.refresh_from_db()
    vy_da.refresh_from_db()
    assert (other.boundary, vy_da.boundary) == before
