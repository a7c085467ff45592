"""POST /api/v1/reports: JSON or multipart with photos, signed in, with an API key or anonymous."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from cityops.accounts.services import apikey_create
from cityops.api.tests.conftest import API, bearer
from cityops.reports import workflow
from cityops.reports.choices import Channel, ReportStatus
from cityops.reports.models import Attachment, Follow, Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps
from cityops.reports.tests.photo_blur import blur_now

URL = f"{API}/reports"
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "reporter", "device_id")


def report_fields(**overrides):
    fields = {
        "category": "sanitation",
        "description": "Rác thải đổ trộm bên bờ sông Hương",
        "lat": 16.46,
        "lon": 107.59,
    }
    fields.update(overrides)
    return fields


def send(client, headers=None, **overrides):
    return client.post(
        URL, report_fields(**overrides), content_type="application/json", headers=headers or {}
    )


def photo(name="photo.jpg", content=None):
    return SimpleUploadedFile(name, content or jpeg_with_gps(), content_type="image/jpeg")


@pytest.mark.django_db
def test_an_anonymous_citizen_submits_a_report_as_json(api_client, category):
    response = send(api_client, title="Rác bờ sông", address="Đường Lê Lợi")
    assert response.status_code == 201
    body = response.json()
    report = Report.objects.get()
    assert body["id"] == report.pk
    assert body["status"] == "submitted"
    assert body["status_group"] == "open"
    assert body["category"] == {
        "code": "sanitation",
        "name": "Vệ sinh môi trường",
        "name_en": "Sanitation",
    }
    assert body["channel"] == "app"
    assert body["title"] == "Rác bờ sông"
    assert body["deadline"]["due_at"] is not None
    assert [event["kind"] for event in body["timeline"]] == ["submitted"]
    assert report.reporter is None
    assert report.channel == Channel.APP


@pytest.mark.django_db
def test_a_signed_in_citizen_is_the_reporter_and_follows_the_report(
    api_client, citizen, token, category
):
    response = send(api_client, headers=bearer(token), is_anonymous=True)
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.reporter == citizen
    assert report.is_anonymous
    assert Follow.objects.filter(report=report, user=citizen).exists()


@pytest.mark.django_db
def test_a_client_system_submits_with_its_api_key(api_client, api_key, category):
    response = send(api_client, headers={"X-API-Key": api_key})
    assert response.status_code == 201
    assert Report.objects.get().reporter is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [bearer("cot_unknown"), {"X-API-Key": "co_unknown"}, {"Authorization": "Token abc"}],
)
def test_unknown_credentials_are_refused_rather_than_ignored(api_client, category, headers):
    response = send(api_client, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_response_never_carries_contact_details(api_client, token, category):
    response = send(
        api_client,
        headers=bearer(token),
        contact_name="Nguyễn Văn A",
        contact_phone="0901234567",
        contact_email="a@example.vn",
        device_id="device-1",
    )
    text = response.content.decode()
    for secret in ("Nguyễn Văn A", "0901234567", "a@example.vn", "device-1", "citizen"):
        assert secret not in text
    assert not set(CONTACT_FIELDS) & set(response.json())
    report = Report.objects.get()
    assert (report.contact_name, report.contact_phone) == ("Nguyễn Văn A", "0901234567")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"category": "no-such-category"}, "category"),
        ({"category": None}, "category"),
        ({"lat": 16.46, "lon": None}, "location"),
        ({"lat": None, "lon": None}, "location"),
        ({"lat": 91}, "lat"),
        ({"lon": "east"}, "lon"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"title": "x" * 201}, "title"),
        ({"description": "nul\x00byte"}, "description"),
        ({"lng": 107.59}, "lng"),
    ],
)
def test_an_invalid_report_is_refused_per_field(api_client, category, overrides, field):
    response = send(api_client, **overrides)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    assert all(isinstance(m, str) and m for m in body["fields"][field])
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_an_address_alone_locates_a_report(api_client, category):
    response = send(api_client, lat=None, lon=None, address="12 Lê Lợi, Huế")
    assert response.status_code == 201
    assert response.json()["address"] == "12 Lê Lợi, Huế"


@pytest.mark.django_db
def test_a_retired_category_takes_no_more_reports(api_client):
    CategoryFactory(code="retired", is_active=False)
    response = send(api_client, category="retired")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["category"]


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{broken"])
def test_a_json_body_must_be_an_object(api_client, category, body):
    response = api_client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["body"]


@pytest.mark.django_db
def test_photos_in_a_multipart_form_are_stored_without_their_gps_metadata(
    api_client, category, operator
):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the upload does carry EXIF
    response = api_client.post(
        URL, {**report_fields(), "photos": [photo(content=original), photo()]}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["photos"] == []  # no public URL before the blur job made the blurred copies
    assert Attachment.objects.filter(report_id=body["id"]).count() == 2
    blur_now()
    workflow.report_accept(report=Report.objects.get(pk=body["id"]), actor=operator)
    first = api_client.get(f"{URL}/{body['id']}").json()["photos"][0]
    assert first["kind"] == "report"
    assert first["url"].startswith("http://testserver/")
    assert first["thumbnail_url"].startswith("http://testserver/")
    attachment = Attachment.objects.order_by("pk").first()
    stored = attachment.file.read()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"SecretPhone" not in stored


@pytest.mark.django_db
def test_multipart_fields_arrive_as_text_and_are_converted(api_client, category):
    response = api_client.post(
        URL, {**report_fields(lat="16.46", lon="107.59"), "is_anonymous": "true", "title": ""}
    )
    assert response.status_code == 201
    assert Report.objects.get().is_anonymous


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_with_a_photos_error(api_client, category):
    fake = SimpleUploadedFile("notes.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = api_client.post(URL, {**report_fields(), "photos": [photo(), fake]})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_image"
    assert body["fields"]["photos"][0].startswith("Photo 2:")
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_six_photos_are_one_too_many(api_client, category):
    response = api_client.post(URL, {**report_fields(), "photos": [photo() for _ in range(6)]})
    assert response.status_code == 400
    assert response.json()["fields"] == {"photos": ["At most 5 photos."]}
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_files_under_another_name_are_refused(api_client, category):
    response = api_client.post(URL, {**report_fields(), "image": photo()})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["image"]


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_first_response_and_creates_nothing(
    api_client, token, category
):
    headers = {**bearer(token), "Idempotency-Key": "5f0c6f0e-report-1"}
    first = send(api_client, headers=headers)
    retry = send(api_client, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_multipart_retry_with_the_same_photos_is_replayed(api_client, category):
    headers = {"Idempotency-Key": "upload-1"}
    content = jpeg_with_gps()
    first = api_client.post(
        URL, {**report_fields(), "photos": [photo(content=content)]}, headers=headers
    )
    retry = api_client.post(
        URL, {**report_fields(), "photos": [photo(content=content)]}, headers=headers
    )
    assert retry.content == first.content
    assert Report.objects.count() == 1
    other_photo = jpeg_with_gps(size=(80, 60))
    changed = api_client.post(
        URL, {**report_fields(), "photos": [photo(content=other_photo)]}, headers=headers
    )
    assert changed.status_code == 409


@pytest.mark.django_db
def test_the_same_key_with_another_report_is_refused(api_client, token, category):
    headers = {**bearer(token), "Idempotency-Key": "5f0c6f0e-report-1"}
    send(api_client, headers=headers)
    response = send(api_client, headers=headers, description="Một phản ánh khác")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_submissions_are_rate_limited_per_address(api_client, category, tight_limits):
    assert send(api_client).status_code == 201
    assert send(api_client).status_code == 201
    refused = send(api_client)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "50"
    assert refused.json()["code"] == "rate_limited"
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_submissions_with_an_api_key_are_also_rate_limited_per_key(
    api_client, api_key, category, tight_limits
):
    for address in ("10.0.0.1", "10.0.0.2"):
        response = api_client.post(
            URL,
            report_fields(),
            content_type="application/json",
            headers={"X-API-Key": api_key},
            REMOTE_ADDR=address,
        )
        assert response.status_code == 201
    third = api_client.post(
        URL,
        report_fields(),
        content_type="application/json",
        headers={"X-API-Key": api_key},
        REMOTE_ADDR="10.0.0.3",
    )
    assert third.status_code == 429


@pytest.mark.django_db
def test_a_submitted_report_waits_for_review_before_the_public_sees_it(api_client, category):
    report_id = send(api_client).json()["id"]
    assert api_client.get(f"{URL}/{report_id}").status_code == 404
    assert api_client.get(URL).json()["count"] == 0
    assert Report.objects.get().status == ReportStatus.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "expected"), [("true", True), ("on", True), ("false", False)])
def test_a_form_says_yes_or_no_in_words(api_client, category, value, expected):
    response = api_client.post(URL, {**report_fields(), "is_anonymous": value})
    assert response.status_code == 201
    assert Report.objects.get().is_anonymous is expected


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "yes", "maybe"])
def test_a_form_yes_or_no_in_other_words_is_refused(api_client, category, value):
    response = api_client.post(URL, {**report_fields(), "is_anonymous": value})
    assert response.status_code == 400
    assert response.json()["fields"] == {"is_anonymous": ["Use true or false."]}


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("lat", "16.46"), ("is_anonymous", 0)])
def test_json_values_must_have_the_right_type(api_client, category, field, value):
    response = send(api_client, **{field: value})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


@pytest.mark.django_db
def test_a_keyed_report_costs_a_fixed_number_of_statements(api_client, category):
    """The key's lookup, then in one transaction (a savepoint here): the reservation, the report
    and its event (one statement on PostgreSQL, row by row on SQLite), the answer kept for
    retries. Nothing is read back; categories, policies and boundaries come from memory."""
    key = apikey_create(name="Hue-S").secret
    send(api_client, headers={"X-API-Key": key, "Idempotency-Key": "first"})

    with CaptureQueriesContext(connection) as captured:
        response = send(api_client, headers={"X-API-Key": key, "Idempotency-Key": "second"})

    assert response.status_code == 201
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    one_by_one = ["SAVEPOINT", "INSERT", "INSERT", "RELEASE"]
    report = ["WITH"] if connection.vendor == "postgresql" else one_by_one
    assert statements == ["SELECT", "SAVEPOINT", "INSERT", *report, "UPDATE", "RELEASE"]
