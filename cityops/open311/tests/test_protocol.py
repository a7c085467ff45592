"""What every endpoint shares: formats, methods, jurisdiction, XML that always parses."""

import xml.etree.ElementTree as ET

import pytest

from cityops.open311.render import to_xml
from cityops.open311.tests.helpers import BASE, FORMATS, form, problems, read
from cityops.reports.models import Report
from cityops.reports.tests.helpers import submit

pytestmark = pytest.mark.django_db

GET_PATHS = [
    "discovery",
    "services",
    "services/potholes",
    "requests",
    "requests/{id}",
    "tokens/cityops-{id}",
    "servicerequestupdates",
]


@pytest.fixture
def report(potholes):
    return submit(category=potholes)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", GET_PATHS)
def test_every_endpoint_answers_in_both_formats(client, report, path, fmt):
    response = client.get(f"{BASE}/{path.format(id=report.pk)}.{fmt}")

    assert response.status_code == 200
    read(response, fmt)  # parses, with the right content type


@pytest.mark.parametrize("path", GET_PATHS)
def test_an_unknown_format_suffix_is_not_found(client, report, path):
    response = client.get(f"{BASE}/{path.format(id=report.pk)}.csv")

    assert response.status_code == 404
    assert problems(response, "xml") == ["Unknown format 'csv': use .json or .xml."]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("post", "services", "GET, HEAD"),
        ("delete", "requests", "GET, HEAD, POST"),
        ("put", "requests/1", "GET, HEAD"),
    ],
)
def test_a_method_an_endpoint_does_not_serve_is_a_405(client, db, fmt, method, path, allow):
    response = getattr(client, method)(f"{BASE}/{path}.{fmt}")

    assert response.status_code == 405
    assert response["Allow"] == allow
    assert problems(response, fmt) == [f"Method {method.upper()} not allowed here."]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("jurisdiction", ["hue.gov.vn", ""])
def test_our_own_or_an_empty_jurisdiction_is_accepted(client, potholes, fmt, jurisdiction):
    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": jurisdiction})

    assert response.status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_another_jurisdiction_is_not_found(client, potholes, fmt):
    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "hanoi.gov.vn"})

    assert response.status_code == 404
    assert problems(response, fmt) == ["Unknown jurisdiction_id; this server serves 'hue.gov.vn'."]


def test_the_jurisdiction_is_a_setting(client, potholes, settings):
    settings.CITYOPS_OPEN311_JURISDICTION = "hanoi.gov.vn"

    ok = client.get(f"{BASE}/services.json", {"jurisdiction_id": "hanoi.gov.vn"})

    assert ok.status_code == 200


def test_characters_xml_cannot_carry_are_dropped_from_citizens_text(client, potholes):
    submit(category=potholes, description="Ổ gà\x01\x08 sâu\x1f")

    (item,) = read(client.get(f"{BASE}/requests.xml"), "xml", "requests")

    assert item["description"] == "Ổ gà sâu"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_null_character_in_any_parameter_is_a_400(client, api_key, potholes, fmt):
    searched = client.get(f"{BASE}/requests.{fmt}", {"search": "ổ\x00gà"})
    posted = client.post(f"{BASE}/requests.{fmt}", form(api_key, description="Ổ\x00gà"))

    assert problems(searched, fmt) == ["search: Null characters are not allowed."]
    assert problems(posted, fmt) == ["description: Null characters are not allowed."]
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_broken_form_body_is_an_open311_400_not_a_bare_page(client, api_key, potholes, fmt):
    response = client.post(
        f"{BASE}/requests.{fmt}",
        b"--xx\r\nbroken",
        content_type="multipart/form-data",  # no boundary: the body cannot be read
    )

    assert response.status_code == 400
    [problem] = problems(response, fmt)
    assert problem.startswith("Malformed request body:")
    assert not Report.objects.exists()


def test_xml_is_utf8_with_a_declaration_and_escapes_markup():
    body = to_xml([{"description": "<b>A & B</b> ổ gà"}], root="service_requests", item="request")

    assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<service_requests>")
    assert "&lt;b&gt;A &amp; B&lt;/b&gt; ổ gà".encode() in body
    parsed = ET.fromstring(body)  # noqa: S314 (built by the test itself)
    assert parsed.find("request/description").text == "<b>A & B</b> ổ gà"


def test_a_list_document_needs_an_item_name():
    with pytest.raises(ValueError, match="item element name"):
        to_xml([{}], root="services")
