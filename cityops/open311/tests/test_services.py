import pytest

from cityops.demo.hue import seed_configuration
from cityops.open311.tests.helpers import BASE, FORMATS, problems, read
from cityops.reports.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_lists_the_active_categories_in_vietnamese(client, potholes, litter, fmt):
    CategoryFactory(code="retired", is_active=False)

    response = client.get(f"{BASE}/services.{fmt}")

    assert response.status_code == 200
    assert read(response, fmt, "services") == [
        {
            "service_code": "potholes",
            "service_name": "Ổ gà",
            "description": "Ổ gà trên đường",
            "metadata": "true",
            "type": "realtime",
            "keywords": "ổ gà, đường",
            "group": "Giao thông",
        },
        {
            "service_code": "litter",
            "service_name": "Rác",
            "description": "",
            "metadata": "false",
            "type": "realtime",
            "keywords": "",
            "group": "",
        },
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_named_in_english_for_accept_language_en(client, potholes, fmt):
    response = client.get(f"{BASE}/services.{fmt}", HTTP_ACCEPT_LANGUAGE="en")

    (service,) = read(response, fmt, "services")
    assert (service["service_name"], service["description"]) == ("Potholes", "Holes in the road")


@pytest.mark.parametrize(("locale", "name"), [("en", "Potholes"), ("vi", "Ổ gà"), ("", "Ổ gà")])
def test_the_locale_parameter_chooses_the_language_of_service_names(client, potholes, locale, name):
    response = client.get(f"{BASE}/services.json", {"locale": locale}, HTTP_ACCEPT_LANGUAGE="en")

    expected = name if locale else "Potholes"  # an empty locale is an absent one
    assert response.json()[0]["service_name"] == expected


def test_json_services_carry_metadata_as_a_boolean(client, potholes):
    assert client.get(f"{BASE}/services.json").json()[0]["metadata"] is True


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_the_attributes_in_order(client, potholes, fmt):
    response = client.get(f"{BASE}/services/potholes.{fmt}")

    assert response.status_code == 200
    definition = read(response, fmt, "service_definition")
    assert definition["service_code"] == "potholes"
    assert [a["code"] for a in definition["attributes"]] == ["size", "depth_cm", "hazards"]
    assert definition["attributes"][0] == {
        "variable": "true",
        "code": "size",
        "datatype": "singlevaluelist",
        "required": "true",
        "datatype_description": "",
        "order": "1",
        "description": "Kích thước / Size",
        "values": [{"key": "small", "name": "Nhỏ"}, {"key": "large", "name": "Lớn"}],
    }
    assert definition["attributes"][1]["values"] == []
    assert definition["attributes"][1]["datatype_description"] == "Centimetres"


def test_json_service_definition_is_an_object_with_typed_values(client, potholes):
    definition = client.get(f"{BASE}/services/potholes.json").json()

    size = definition["attributes"][0]
    assert (size["variable"], size["required"], size["order"]) == (True, True, 1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_without_attributes_has_an_empty_definition(client, litter, fmt):
    definition = read(client.get(f"{BASE}/services/litter.{fmt}"), fmt, "service_definition")

    assert definition == {"service_code": "litter", "attributes": []}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["nothing-here", "retired"])
def test_an_unknown_or_retired_service_is_not_found(client, fmt, code):
    CategoryFactory(code="retired", is_active=False)

    response = client.get(f"{BASE}/services/{code}.{fmt}")

    assert response.status_code == 404
    assert problems(response, fmt) == [f"Unknown service_code {code!r}."]


def test_the_huế_configuration_publishes_its_real_attributes(client):
    seed_configuration()

    codes = {s["service_code"]: s for s in client.get(f"{BASE}/services.json").json()}
    assert {"construction-order", "sanitation", "other"} <= codes.keys()
    assert codes["other"]["metadata"] is False
    definition = client.get(f"{BASE}/services/sanitation.json").json()
    waste = definition["attributes"][0]
    assert (waste["code"], waste["datatype"], waste["required"]) == (
        "waste_type",
        "singlevaluelist",
        True,
    )
    assert {"key": "household", "name": "Rác sinh hoạt / Household waste"} in waste["values"]
