"""The OpenAPI document and the docs page."""

import re

import pytest
from openapi_spec_validator import validate

from cityops.api.tests.conftest import API

WRITES = [
    ("post", "/api/v1/reports"),
    ("post", "/api/v1/reports/{report_id}/rating"),
    ("post", "/api/v1/reports/{report_id}/reopen"),
    ("put", "/api/v1/reports/{report_id}/follow"),
    ("delete", "/api/v1/reports/{report_id}/follow"),
    ("post", "/api/v1/sensors/{code}/readings"),
    ("post", "/api/v1/cameras/{code}/events"),
    ("post", "/api/v1/cameras/{code}/violations"),
    ("post", "/api/v1/vehicles/{vehicle_id}/positions"),
    ("post", "/api/v1/tourist/questions"),
    ("post", "/api/v1/tourist/answers/{answer_id}/feedback"),
    ("post", "/api/v1/tourist/reports"),
    ("post", "/api/v1/online/services/{code}/applications"),
]


@pytest.fixture
def schema(api_client, db):
    response = api_client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_openapi_document_is_valid(schema):
    validate(schema)
    assert schema["info"]["title"] == "CityOps API"
    assert schema["info"]["version"] == "1"


def test_the_document_lists_every_endpoint(schema):
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert operations == {
        ("post", "/api/v1/auth/token"),
        ("delete", "/api/v1/auth/token"),
        ("get", "/api/v1/categories"),
        ("get", "/api/v1/areas"),
        ("get", "/api/v1/reports"),
        ("get", "/api/v1/reports/mine"),
        ("get", "/api/v1/reports/{report_id}"),
        ("get", "/api/v1/reports/{report_id}/similar"),
        ("post", "/api/v1/reports/similar"),
        ("post", "/api/v1/classify"),
        ("get", "/api/v1/sensors"),
        ("get", "/api/v1/sensors/latest"),
        ("get", "/api/v1/sensors/{code}"),
        ("get", "/api/v1/sensors/{code}/readings"),
        ("get", "/api/v1/sensors/{code}/aqi"),
        ("get", "/api/v1/service-offices"),
        ("get", "/api/v1/planning/lookup"),
        ("get", "/api/v1/online/services"),
        ("get", "/api/v1/online/applications"),
        ("get", "/api/v1/online/applications/{number}"),
        *WRITES,
    }


def test_every_operation_declares_its_error_responses_in_the_one_shape(schema):
    for item in schema["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ErrorOut"
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "code",
        "message",
        "fields",
    }


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_document_the_idempotency_key_and_the_rate_limit(schema, method, path):
    operation = schema["paths"][path][method]
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert "Idempotency-Key" in headers
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert {"400", "409", "429"} <= set(operation["responses"])


def test_submitting_a_report_takes_json_or_a_multipart_form_with_photos(schema):
    body = schema["paths"]["/api/v1/reports"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    photos = body["multipart/form-data"]["schema"]["properties"]["photos"]
    assert photos["maxItems"] == 5
    assert photos["items"]["format"] == "binary"


def test_submitting_an_application_takes_json_or_a_multipart_form_with_documents(schema):
    operation = schema["paths"]["/api/v1/online/services/{code}/applications"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert operation["security"] == [{"BearerAuth": []}]


def test_credentials_are_optional_where_anonymous_use_is_allowed(schema):
    submit = schema["paths"]["/api/v1/reports"]["post"]
    assert {} in submit["security"]
    mine = schema["paths"]["/api/v1/reports/mine"]["get"]
    assert mine["security"] == [{"BearerAuth": []}]
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["ApiKeyAuth"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}


def test_the_docs_page_loads_nothing_from_another_host(api_client, db):
    response = api_client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = [
        url
        for url in re.findall(r"""(?:https?:)?//[^\s"'<>)]+""", html)
        if not url.split("//", 1)[1].startswith("testserver")
    ]
    assert external == []
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert assets
    for asset in assets:
        assert asset.startswith(f"{API}/docs/assets/")
        assert api_client.get(asset).status_code == 200
    assert '"validatorUrl": null' in html


def test_only_the_docs_assets_are_served(api_client, db):
    assert api_client.get(f"{API}/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert api_client.get(f"{API}/docs/assets/..%2F..%2Fmain.py").status_code == 404
    assert api_client.get(f"{API}/docs/assets/redoc.standalone.js").status_code == 404
