"""OGC API – Features: landing, conformance, collections, items with bbox and paging, one
feature; unpublished layers do not exist; bad parameters are refused with a reason."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from cityops.planning import ogc_views, selectors
from cityops.planning.models import Zone
from cityops.planning.services import ZoneRow
from cityops.platform.ratelimit import Rate

from .conftest import make_layer

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(db):
    """Ten parcels in a row along longitude, 0.001° wide, and a draft layer."""
    rows = [
        ZoneRow(use_code="ODT", use_name="Đất ở", zone_code=f"ODT-{n}",
                geometry=box(107.590 + n * 0.001, 16.46, 107.591 + n * 0.001, 16.461),
                properties={"so_thua": n})
        for n in range(10)
    ]  # fmt: skip
    make_layer("draft", published=False, rows=rows[:1])
    return make_layer("phan-khu", rows=rows)


def test_the_landing_page_links_conformance_and_collections(en_client, grid):
    landing = en_client.get("/ogc/")
    assert landing.status_code == 200
    assert landing["Access-Control-Allow-Origin"] == "*"
    rels = {link["rel"]: link["href"] for link in landing.json()["links"]}
    assert rels["conformance"].endswith("/ogc/conformance")
    assert rels["data"].endswith("/ogc/collections")
    conforms = en_client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conforms


def test_only_published_layers_are_collections(en_client, grid):
    listed = en_client.get("/ogc/collections").json()["collections"]
    assert [c["id"] for c in listed] == ["phan-khu"]
    one = en_client.get("/ogc/collections/phan-khu").json()
    assert one["extent"]["spatial"]["bbox"] == [[107.59, 16.46, 107.6, 16.461]]
    assert one["decision_number"] == "1234/QĐ-UBND"
    assert one["itemType"] == "feature"
    for url in ("/ogc/collections/draft", "/ogc/collections/draft/items",
                "/ogc/collections/nothing/items"):  # fmt: skip
        assert en_client.get(url).status_code == 404


def test_items_are_geojson_with_use_and_plan_properties(en_client, grid):
    answer = en_client.get("/ogc/collections/phan-khu/items")
    assert answer["Content-Type"] == "application/geo+json"
    data = answer.json()
    assert (data["numberMatched"], data["numberReturned"]) == (10, 10)
    properties = data["features"][0]["properties"]
    assert properties["use_code"] == "ODT"
    assert properties["use_name"] == "Đất ở tại đô thị"
    assert properties["zone_code"] == "ODT-0"
    assert properties["plan_name"]
    assert properties["decision_date"] == "2024-05-02"
    assert properties["as_of"] == "2025-01-15"
    assert properties["attributes"] == {"so_thua": 0}
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_paging_gives_next_and_prev_links_that_walk_every_item(en_client, grid):
    url, seen, pages = "/ogc/collections/phan-khu/items?limit=4", [], 0
    while url:
        data = en_client.get(url).json()
        pages += 1
        seen += [feature["properties"]["zone_code"] for feature in data["features"]]
        links = {link["rel"]: link["href"] for link in data["links"]}
        if pages > 1:
            assert "prev" in links
        url = links.get("next", "").replace("http://testserver", "")
    assert pages == 3
    assert seen == [f"ODT-{n}" for n in range(10)]
    last = en_client.get("/ogc/collections/phan-khu/items?limit=4&offset=8").json()
    assert (last["numberMatched"], last["numberReturned"]) == (10, 2)
    assert "next" not in {link["rel"] for link in last["links"]}


@pytest.mark.parametrize("grid_cells_max", [400, 0], ids=["through-the-grid", "by-extents"])
def test_bbox_keeps_the_zones_it_meets(en_client, grid, monkeypatch, grid_cells_max):
    monkeypatch.setattr(selectors, "BBOX_CELLS_MAX", grid_cells_max)
    data = en_client.get("/ogc/collections/phan-khu/items?bbox=107.5925,16.4600,107.5945,16.4610")
    codes = [feature["properties"]["zone_code"] for feature in data.json()["features"]]
    assert codes == ["ODT-2", "ODT-3", "ODT-4"]
    assert data.json()["numberMatched"] == 3
    next_links = [link for link in data.json()["links"] if link["rel"] == "self"]
    assert "bbox=107.5925" in next_links[0]["href"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("bbox=1,2,3", "bbox takes four numbers"),
        ("bbox=a,b,c,d", "bbox takes four numbers"),
        ("bbox=107,17,108,16", "south is above its north"),
        ("limit=0", "limit must be between 1 and 1000"),
        ("limit=5000", "limit must be between 1 and 1000"),
        ("limit=ten", "limit must be a whole number"),
        ("offset=-1", "offset must be between"),
        ("f=html", "Only f=json"),
    ],
)
def test_bad_parameters_are_refused_with_a_reason(en_client, grid, query, message):
    answer = en_client.get(f"/ogc/collections/phan-khu/items?{query}")
    assert answer.status_code == 400
    assert message in answer.json()["description"]


def test_one_feature_by_its_id_and_none_from_another_layer(en_client, grid):
    first = en_client.get("/ogc/collections/phan-khu/items?limit=1").json()["features"][0]
    one = en_client.get(f"/ogc/collections/phan-khu/items/{first['id']}")
    assert one.status_code == 200
    assert one.json()["properties"]["zone_code"] == "ODT-0"
    draft_zone = Zone.objects.get(layer__slug="draft")
    assert en_client.get(f"/ogc/collections/phan-khu/items/{draft_zone.pk}").status_code == 404
    assert en_client.get(f"/ogc/collections/draft/items/{draft_zone.pk}").status_code == 404
    assert en_client.get("/ogc/collections/phan-khu/items/999999").status_code == 404
    assert en_client.get("/ogc/collections/phan-khu/items/abc").status_code == 404


def test_the_ogc_api_is_rate_limited(en_client, grid, monkeypatch):
    monkeypatch.setattr(ogc_views, "PER_IP", Rate(2, 60))
    codes = [en_client.get("/ogc/collections").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
