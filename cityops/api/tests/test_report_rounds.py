"""API v1: one rating per result, and a place outside the city is refused with a clear 400."""

import pytest

from cityops.agencies.tests.factories import AreaFactory
from cityops.api.tests.conftest import API, bearer
from cityops.reports.models import Rating, Report


@pytest.mark.django_db
def test_a_second_rating_of_the_same_result_is_refused_with_409(api_client, resolved_report, token):
    def rate():
        return api_client.post(
            f"{API}/reports/{resolved_report.pk}/rating",
            {"value": "unsatisfied"},
            content_type="application/json",
            headers=bearer(token),
        )

    assert rate().status_code == 201
    response = rate()

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_rated"
    assert "already rated" in body["message"]
    assert Rating.objects.filter(report=resolved_report).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("lat", "lon"), [(21.0285, 105.8542), (0, 0)], ids=["hanoi", "0-0"])
def test_a_report_placed_outside_the_city_is_refused_with_400(api_client, category, lat, lon):
    AreaFactory(centroid_lat=16.46, centroid_lon=107.59)

    response = api_client.post(
        f"{API}/reports",
        {"category": category.code, "description": "Đèn đường hỏng", "lat": lat, "lon": lon},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "outside the city" in response.json()["fields"]["location"][0]
    assert not Report.objects.exists()
