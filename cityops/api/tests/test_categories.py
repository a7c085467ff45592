"""GET /api/v1/categories."""

import pytest

from cityops.api.tests.conftest import API
from cityops.reports.choices import Priority
from cityops.reports.tests.factories import CategoryFactory

URL = f"{API}/categories"


@pytest.mark.django_db
def test_categories_list_the_active_ones_in_the_citys_order(api_client):
    CategoryFactory(code="tourism", position=2)
    CategoryFactory(
        code="sanitation",
        name="Vệ sinh môi trường",
        name_en="Sanitation",
        description="Rác thải, nước thải",
        group="Môi trường",
        attributes=[{"code": "size", "datatype": "string", "required": False}],
        default_priority=Priority.URGENT,
        position=1,
    )
    CategoryFactory(code="retired", is_active=False)
    response = api_client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert [c["code"] for c in body] == ["sanitation", "tourism"]
    assert body[0] == {
        "code": "sanitation",
        "name": "Vệ sinh môi trường",
        "name_en": "Sanitation",
        "description": "Rác thải, nước thải",
        "group": "Môi trường",
        "attributes": [{"code": "size", "datatype": "string", "required": False}],
        "default_priority": "urgent",
    }


@pytest.mark.django_db
def test_categories_need_no_sign_in_and_ignore_a_token(api_client):
    CategoryFactory()
    response = api_client.get(URL, headers={"Authorization": "Bearer whatever"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_categories_are_read_only(api_client):
    response = api_client.post(URL, {}, content_type="application/json")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.json()["code"] == "method_not_allowed"
