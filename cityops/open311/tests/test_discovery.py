import pytest

from cityops.open311.tests.helpers import BASE, FORMATS, read

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_endpoint_its_formats_and_where_to_get_a_key(client, fmt):
    response = client.get(f"{BASE}/discovery.{fmt}")

    assert response.status_code == 200
    found = read(response, fmt, "discovery")
    assert set(found) == {"changeset", "contact", "key_service", "endpoints"}
    assert found["changeset"].endswith("+07:00")
    assert "cityops apikey create" in found["key_service"]
    (endpoint,) = found["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2/",
        "changeset": found["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
