"""GET /api/v1/areas."""

import pytest

from cityops.agencies.tests.factories import AreaFactory, square
from cityops.api.tests.conftest import API

URL = f"{API}/areas"


@pytest.fixture
def ward(db):
    return AreaFactory(
        code="19774", name="Phường Thuận Hóa", kind="ward", centroid_lat=16.46, centroid_lon=107.59
    )


def test_areas_list_code_name_kind_and_centroid_without_the_heavy_boundary(api_client, ward):
    response = api_client.get(URL)
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "19774",
            "name": "Phường Thuận Hóa",
            "kind": "ward",
            "centroid": {"lat": 16.46, "lon": 107.59},
        }
    ]


def test_areas_include_their_geojson_boundary_on_request(api_client, ward):
    AreaFactory(name="Xã Không Ranh Giới", boundary=None)
    body = api_client.get(URL, {"include": "boundary"}).json()
    by_name = {area["name"]: area for area in body}
    assert by_name["Phường Thuận Hóa"]["boundary"] == square(107.59, 16.46)
    assert by_name["Xã Không Ranh Giới"]["boundary"] is None


def test_areas_refuse_an_unknown_include(api_client, ward):
    response = api_client.get(URL, {"include": "population"})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["include"]


def test_areas_are_ordered_by_name(api_client, ward):
    AreaFactory(name="Phường An Cựu")
    assert [a["name"] for a in api_client.get(URL).json()] == [
        "Phường An Cựu",
        "Phường Thuận Hóa",
    ]
