"""POST requests: a place outside the city's areas is refused, in JSON and XML alike."""

import pytest

from cityops.agencies.tests.factories import AreaFactory
from cityops.open311.tests.helpers import BASE, FORMATS, form, problems
from cityops.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_placed_outside_the_city_is_refused(client, api_key, potholes, fmt):
    AreaFactory(centroid_lat=16.46, centroid_lon=107.59)

    response = client.post(f"{BASE}/requests.{fmt}", form(api_key, lat="0", long="0"))

    assert response.status_code == 400
    assert any("outside the city" in problem for problem in problems(response, fmt))
    assert not Report.objects.exists()
