"""Acceptance: a real Open311 client (the ``georeport`` package) against a live CityOps server.

Requests are created the way the GeoReport v2 specification shows (a form-encoded POST with
``requests``); everything else goes through ``georeport.GeoReport`` in both of its formats, which
parses XML with xmltodict and JSON with ``response.json()``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import requests
from django.utils import timezone
from georeport import GeoReport

from cityops.accounts.services import apikey_create
from cityops.demo.hue import seed_configuration
from cityops.reports import workflow
from cityops.reports.models import Report
from cityops.reports.tests.helpers import jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)

HUE_CODES = {
    "construction-order",
    "sanitation",
    "traffic-infrastructure",
    "urban-infrastructure",
    "public-order",
    "tourism",
    "administrative-conduct",
    "other",
}


def as_list(value: Any) -> list[Any]:
    """xmltodict gives one child as a dict and several as a list."""
    return value if isinstance(value, list) else [value]


@pytest.fixture
def city(live_server, operator):
    """Huế's configuration, a key, and three requests POSTed over HTTP; one already resolved."""
    seed_configuration()
    key = apikey_create(name="GeoReport acceptance").secret
    url = f"{live_server.url}/open311/v2/requests.json"

    def create(**fields: str) -> str:
        response = requests.post(url, data={"api_key": key, **fields}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()[0]["service_request_id"]

    rubbish = create(
        service_code="sanitation",
        lat="16.4637",
        long="107.5909",
        description="Rác thải đổ trộm bên bờ sông Hương",
        **{"attribute[waste_type]": "household", "attribute[volume_m3]": "0.5"},
        email="an@example.vn",
        phone="0905111222",
        first_name="An",
        device_id="phone-1",
    )
    pothole = create(
        service_code="traffic-infrastructure",
        address_string="45 Hùng Vương",
        description="Ổ gà lớn giữa đường Hùng Vương",
        **{"attribute[hazard_size]": "large"},
    )
    photo = requests.post(
        url,
        data={
            "api_key": key,
            "service_code": "other",
            "lat": "16.47",
            "long": "107.58",
            "description": "Biển quảng cáo sắp đổ",
        },
        files={"media": ("bien.jpg", jpeg_with_gps(), "image/jpeg")},
        timeout=10,
    )
    assert photo.status_code == 200, photo.text
    signboard = photo.json()[0]["service_request_id"]

    report = Report.objects.get(pk=int(pothole))
    workflow.report_accept(report=report, actor=operator)
    workflow.report_resolve(report=report, actor=operator, result="Đã vá ổ gà")
    return {"rubbish": rubbish, "pothole": pothole, "signboard": signboard}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_georeport_client_reads_services_definitions_and_requests(live_server, city, fmt):
    client = GeoReport(
        root_address=f"{live_server.url}/open311/v2", jurisdiction="hue.gov.vn", output_format=fmt
    )

    services = {s["service_code"]: s for s in as_list(client.get_service_list())}
    assert set(services) == HUE_CODES
    assert services["sanitation"]["service_name"] == "Vệ sinh môi trường"
    assert str(services["sanitation"]["metadata"]).lower() == "true"
    assert str(services["other"]["metadata"]).lower() == "false"

    definition = client.get_service_definition("sanitation")
    assert definition["service_code"] == "sanitation"
    attributes = definition["attributes"]
    attributes = attributes if fmt == "json" else as_list(attributes["attribute"])
    assert [a["code"] for a in attributes] == ["waste_type", "volume_m3"]
    values = attributes[0]["values"]
    values = values if fmt == "json" else as_list(values["value"])
    assert {"key": "household", "name": "Rác sinh hoạt / Household waste"} in [
        dict(v) for v in values
    ]

    everything = as_list(client.get_service_requests())
    assert [r["service_request_id"] for r in everything] == [
        city["signboard"],
        city["pothole"],
        city["rubbish"],
    ]

    (rubbish,) = as_list(client.get_service_requests(service_code="sanitation"))
    assert rubbish["service_request_id"] == city["rubbish"]
    assert rubbish["description"] == "Rác thải đổ trộm bên bờ sông Hương"
    assert rubbish["status"] == "open"
    assert float(rubbish["lat"]) == 16.4637
    assert rubbish["address_id"], "the ward found at the point, by its code"
    assert "an@example.vn" not in str(rubbish)
    assert "0905111222" not in str(rubbish)

    two = as_list(client.get_service_requests(service_code="sanitation,traffic-infrastructure"))
    assert {r["service_request_id"] for r in two} == {city["rubbish"], city["pothole"]}

    (closed,) = as_list(client.get_service_requests(status="closed"))
    assert (closed["service_request_id"], closed["status"]) == (city["pothole"], "closed")
    assert closed["status_notes"] == "Đã vá ổ gà"
    assert closed["address"] == "45 Hùng Vương"

    today = timezone.now()
    window = as_list(
        client.get_service_requests(
            start_date=(today - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            end_date=(today + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            status="open",
        )
    )
    assert {r["service_request_id"] for r in window} == {city["rubbish"], city["signboard"]}

    picked = as_list(
        client.get_service_requests(service_request_id=f"{city['rubbish']},{city['pothole']}")
    )
    assert {r["service_request_id"] for r in picked} == {city["rubbish"], city["pothole"]}

    one = client.get_service_request(city["signboard"])
    assert one["service_request_id"] == city["signboard"]
    assert one["service_code"] == "other"
    assert one["description"] == "Biển quảng cáo sắp đổ"
    assert one["requested_datetime"].endswith("+07:00")


def test_the_client_gets_an_http_error_for_an_unknown_service(live_server, city):
    client = GeoReport(root_address=f"{live_server.url}/open311/v2", output_format="xml")

    with pytest.raises(requests.HTTPError) as raised:
        client.get_service_definition("unicorns")

    assert raised.value.response.status_code == 404
    assert b"<errors><error><code>404</code>" in raised.value.response.content
