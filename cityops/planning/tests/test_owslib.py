"""A GIS client (OWSLib, what QGIS-like tools use) reads the layers over HTTP."""

from __future__ import annotations

import pytest
from owslib.ogcapi.features import Features
from shapely.geometry import box

from cityops.planning.services import ZoneRow

from .conftest import make_layer

pytestmark = pytest.mark.django_db(transaction=True)


def test_owslib_lists_the_collections_and_reads_items_with_bbox_and_paging(live_server):
    rows = [
        ZoneRow(use_code="CXK" if n % 2 else "ODT", use_name="", zone_code=f"Z-{n}",
                geometry=box(107.58 + n * 0.002, 16.46, 107.581 + n * 0.002, 16.461))
        for n in range(25)
    ]  # fmt: skip
    make_layer("phan-khu", rows=rows)
    make_layer("draft", published=False, rows=rows[:2])
    api = Features(f"{live_server.url}/ogc/")
    assert api.conformance()["conformsTo"]
    assert api.feature_collections() == ["phan-khu"]
    assert api.collection("phan-khu")["title"] == "Lớp phan-khu"

    first = api.collection_items("phan-khu", limit=10)
    assert (first["numberMatched"], first["numberReturned"]) == (25, 10)
    third = api.collection_items("phan-khu", limit=10, offset=20)
    assert [f["properties"]["zone_code"] for f in third["features"]] == [
        f"Z-{n}" for n in range(20, 25)
    ]
    boxed = api.collection_items("phan-khu", bbox=[107.5835, 16.4600, 107.5875, 16.4610])
    assert [f["properties"]["zone_code"] for f in boxed["features"]] == ["Z-2", "Z-3"]
    green = boxed["features"][1]["properties"]
    assert green["use_code"] == "CXK"
    assert green["use_name"]  # the standard name, in the language asked
