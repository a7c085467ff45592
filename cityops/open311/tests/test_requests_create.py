"""POST requests.{fmt}: keys, validation, the report it creates, retries, limits and photos."""

import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from cityops.accounts.models import ApiKey
from cityops.accounts.services import apikey_create, apikey_revoke
from cityops.agencies.tests.factories import AreaFactory
from cityops.demo.hue import seed_configuration
from cityops.open311.tests.helpers import BASE, FORMATS, form, problems, read
from cityops.reports import workflow
from cityops.reports.choices import AttachmentKind, Channel, EventKind, ReportStatus
from cityops.reports.models import DeadlinePolicy, Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps

pytestmark = pytest.mark.django_db

URL = f"{BASE}/requests"


def post(client, fmt="json", data=None, **extra):
    return client.post(f"{URL}.{fmt}", data or {}, **extra)


def post_form(client, fmt="json", data=None, **extra):
    """Form-encoded, as the GeoReport v2 specification sends it."""
    return client.post(
        f"{URL}.{fmt}",
        urlencode(data or {}, doseq=True),
        content_type="application/x-www-form-urlencoded",
        **extra,
    )


# Success -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_form_encoded_post_creates_one_submitted_report_and_returns_its_id(
    client, api_key, potholes, fmt
):
    response = post_form(
        client,
        fmt,
        form(
            api_key,
            email="lan@example.vn",
            first_name="Lan",
            last_name="Nguyễn",
            phone="0901234567",
            device_id="phone-42",
            account_id="ignored-7",
            address_string="12 Lê Lợi",
        ),
    )

    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert read(response, fmt, "requests") == [
        {
            "service_request_id": str(report.pk),
            "service_notice": "Đã gửi — IOC sẽ tiếp nhận trong 30 phút làm việc",
            "account_id": "",
        }
    ]
    assert report.status == ReportStatus.SUBMITTED
    assert report.channel == Channel.OPEN311
    assert report.category == potholes
    assert (report.lat, report.lon, report.address) == (16.46, 107.59, "12 Lê Lợi")
    assert report.description == "Ổ gà sâu trước số 12 Lê Lợi"
    assert (report.contact_name, report.contact_phone, report.contact_email) == (
        "Nguyễn Lan",
        "0901234567",
        "lan@example.vn",
    )
    assert report.device_id == "phone-42"
    assert report.reporter is None
    submitted = report.events.get(kind=EventKind.SUBMITTED)
    assert submitted.data == {"channel": "open311", "attributes": {"size": "large"}}


def test_the_notice_is_in_english_for_an_english_client(client, api_key, potholes):
    response = post(client, data=form(api_key), HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()[0]["service_notice"] == (
        "Submitted — the IOC will acknowledge it within 30 working minutes"
    )


def test_the_notice_gives_the_acknowledgement_time_of_the_categorys_policy(client, api_key):
    fast = DeadlinePolicy.objects.create(name="fast", ack_minutes=15)
    CategoryFactory(code="noise", deadline_policy=fast)

    response = post(client, data=form(api_key, service_code="noise"))

    assert "trong 15 phút làm việc" in response.json()[0]["service_notice"]


def test_the_api_key_may_come_in_the_query_string(client, api_key, potholes):
    data = form(api_key)
    del data["api_key"]

    response = client.post(f"{URL}.json?api_key={api_key}", data)

    assert response.status_code == 200
    assert Report.objects.count() == 1


def test_a_post_needs_no_csrf_token(api_key, potholes):
    browserless = Client(enforce_csrf_checks=True)

    assert post(browserless, data=form(api_key)).status_code == 200


def test_an_address_alone_is_a_location(client, api_key, potholes):
    response = post(client, data=form(api_key, lat="", long="", address_string="Chợ Đông Ba"))

    assert response.status_code == 200
    report = Report.objects.get()
    assert (report.lat, report.lon, report.address) == (None, None, "Chợ Đông Ba")


def test_an_address_id_is_the_code_of_a_ward(client, api_key, potholes):
    AreaFactory(code="19753", name="Phường Phú Xuân")

    response = post(client, data=form(api_key, lat="", long="", address_id="19753"))

    assert response.status_code == 200
    assert Report.objects.get().address == "Phường Phú Xuân"


def test_a_post_without_description_is_described_by_its_service(client, api_key, potholes):
    post(client, data=form(api_key, description=""))

    assert Report.objects.get().description == "Ổ gà"


def test_a_media_url_is_kept_as_a_link_in_the_description(client, api_key, potholes):
    post(client, data=form(api_key, media_url="https://example.org/p/1.jpg"))

    assert Report.objects.get().description == (
        "Ổ gà sâu trước số 12 Lê Lợi\n\nẢnh / Photo: https://example.org/p/1.jpg"
    )


def test_multivaluelist_answers_are_kept_as_lists_and_unknown_attributes_ignored(
    client, api_key, potholes
):
    data = form(api_key, **{"attribute[depth_cm]": "7.5", "attribute[colour]": "red"})
    data["attribute[hazards][]"] = ["water", "night"]

    response = post(client, data=data)

    assert response.status_code == 200, response.content
    submitted = Report.objects.get().events.get(kind=EventKind.SUBMITTED)
    assert submitted.data["attributes"] == {
        "size": "large",
        "depth_cm": "7.5",
        "hazards": ["water", "night"],
    }


def test_a_service_without_attributes_needs_none(client, api_key, litter):
    response = post(client, data=form(api_key, service_code="litter"))

    assert response.status_code == 200
    assert Report.objects.get().events.get().data == {"channel": "open311"}


def test_the_huế_configuration_accepts_a_post_with_its_required_attribute(client, api_key):
    seed_configuration()
    data = form(api_key, service_code="sanitation", **{"attribute[waste_type]": "household"})
    del data["attribute[size]"]

    response = post(client, data=data)

    assert response.status_code == 200, response.content
    assert Report.objects.get().category.code == "sanitation"


# Keys ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", ["missing", "unknown", "revoked"])
def test_a_post_without_a_live_api_key_is_forbidden(client, api_key, potholes, fmt, key):
    data = form(api_key)
    if key == "missing":
        del data["api_key"]
    elif key == "unknown":
        data["api_key"] = "co_0000_not-a-key"
    else:
        apikey_revoke(api_key=ApiKey.objects.get())

    response = post(client, fmt, data)

    assert response.status_code == 403
    assert problems(response, fmt) == ["api_key: missing, invalid or revoked."]
    assert not Report.objects.exists()


def test_an_empty_api_key_is_a_missing_one(client, api_key, potholes):
    assert post(client, data=form(api_key, api_key="")).status_code == 403


# Validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_code_is_not_found(client, api_key, potholes, fmt):
    response = post(client, fmt, form(api_key, service_code="unicorns"))

    assert response.status_code == 404
    assert problems(response, fmt) == ["Unknown service_code 'unicorns'."]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_service_code_and_location_are_two_errors(client, api_key, potholes, fmt):
    data = {"api_key": api_key, "description": "Ổ gà"}

    response = post(client, fmt, data)

    assert response.status_code == 400
    assert problems(response, fmt) == [
        "service_code: Required: the code of one of the services.",
        "location: Give lat and long, or address_string, or address_id.",
    ]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"long": ""}, "location: Give both lat and long, or neither."),
        ({"lat": "91"}, "lat: Must be a number from -90 to 90."),
        ({"long": "east"}, "long: Must be a number from -180 to 180."),
        ({"lat": "nan"}, "lat: Must be a number from -90 to 90."),
        ({"description": "x" * 4001}, "description: At most 4000 characters."),
        ({"attribute[size]": ""}, "attribute[size]: Required: Kích thước / Size."),
        (
            {"attribute[size]": "huge"},
            "attribute[size]: Unknown value 'huge'; use one of: small, large.",
        ),
        ({"attribute[depth_cm]": "deep"}, "attribute[depth_cm]: Must be a number."),
        ({"email": "not-an-address"}, "email: Not an email address."),
        ({"media_url": "ftp://example.org/x.jpg"}, "media_url: Must be an http or https URL."),
        ({"device_id": "d" * 101}, "device_id: At most 100 characters."),
        ({"phone": "0" * 31}, "phone: At most 30 characters."),
        ({"first_name": "A" * 100, "last_name": "B" * 50}, "first_name: At most 150 characters."),
        ({"address_string": "x" * 301}, "address_string: At most 300 characters in all."),
        (
            {"email": "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63, "e" * 40, "vn"])},
            "email: At most 254 characters.",
        ),
        (
            {"lat": "", "long": "", "address_id": "00000"},
            "address_id: Unknown: use the code of a ward or commune (e.g. 19753).",
        ),
    ],
)
def test_each_invalid_field_is_a_400_naming_it(client, api_key, potholes, fields, expected):
    response = post(client, data=form(api_key, **fields))

    assert response.status_code == 400
    assert problems(response, "json") == [expected]
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_problem_is_listed_at_once(client, api_key, potholes, fmt):
    data = form(
        api_key,
        lat="200",
        email="nobody",
        **{"attribute[size]": "huge", "attribute[depth_cm]": "deep"},
    )
    data["attribute[hazards][]"] = ["water", "fire"]

    response = post(client, fmt, data)

    assert response.status_code == 400
    assert problems(response, fmt) == [
        "lat: Must be a number from -90 to 90.",
        "email: Not an email address.",
        "attribute[size]: Unknown value 'huge'; use one of: small, large.",
        "attribute[depth_cm]: Must be a number.",
        "attribute[hazards]: Unknown value 'fire'; use one of: water, night.",
    ]


def test_two_values_for_a_single_value_attribute_are_refused(client, api_key, potholes):
    data = form(api_key)
    data["attribute[size]"] = ["small", "large"]

    response = post(client, data=data)

    assert problems(response, "json") == ["attribute[size]: Give one value."]


# Photos (multipart, Helsinki's extension) ----------------------------------------------------


def test_a_multipart_photo_is_attached_without_its_exif(client, api_key, potholes):
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825), "the upload carries GPS"
    data = form(api_key)
    data["media"] = SimpleUploadedFile("pothole.jpg", photo, content_type="image/jpeg")

    response = post(client, data=data)

    assert response.status_code == 200, response.content
    attachment = Report.objects.get().attachments.get()
    assert attachment.kind == AttachmentKind.REPORT
    with attachment.file.open("rb") as stored:
        assert dict(Image.open(stored).getexif()) == {}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_that_is_not_an_image_is_refused(client, api_key, potholes, fmt):
    data = form(api_key)
    data["media"] = SimpleUploadedFile("notes.txt", b"not a photo at all", "text/plain")

    response = post(client, fmt, data)

    assert response.status_code == 400
    (problem,) = problems(response, fmt)
    assert problem.startswith("media: Photo 1: ")
    assert not Report.objects.exists()


def test_a_bad_file_is_listed_with_the_forms_other_problems(client, api_key, potholes):
    data = form(api_key, lat="", long="")
    data["media"] = SimpleUploadedFile("notes.txt", b"not a photo at all", "text/plain")

    response = post(client, data=data)

    found = problems(response, "json")
    assert found[0] == "location: Give lat and long, or address_string, or address_id."
    assert found[1].startswith("media: Photo 1: ")


# Retries (idempotency by device_id) ----------------------------------------------------------


def test_a_retry_from_the_same_device_returns_the_first_request(client, api_key, potholes):
    data = form(api_key, device_id="phone-42")

    first = post(client, data=data)
    again = post(client, "xml", data)

    assert Report.objects.count() == 1
    report_id = str(Report.objects.get().pk)
    assert first.json()[0]["service_request_id"] == report_id
    assert read(again, "xml", "requests")[0]["service_request_id"] == report_id


def test_a_retry_with_the_same_photo_is_the_same_request(client, api_key, potholes):
    photo = jpeg_with_gps()

    for _ in range(2):
        data = form(api_key, device_id="phone-42")
        data["media"] = SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")
        assert post(client, data=data).status_code == 200

    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"description": "Một ổ gà khác"},
        {"attribute[size]": "small"},
        {"lat": "16.47"},
        {"device_id": "phone-43"},
    ],
)
def test_a_different_payload_from_the_device_is_a_new_request(client, api_key, potholes, change):
    post(client, data=form(api_key, device_id="phone-42"))
    post(client, data=form(api_key, **{"device_id": "phone-42", **change}))

    assert Report.objects.count() == 2


def test_the_same_payload_after_ten_minutes_is_a_new_request(client, api_key, potholes):
    data = form(api_key, device_id="phone-42")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = post(client, data=data).json()[0]["service_request_id"]
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        assert post(client, data=data).json()[0]["service_request_id"] == first
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        assert post(client, data=data).json()[0]["service_request_id"] != first

    assert Report.objects.count() == 2


def test_without_a_device_id_every_post_is_a_new_request(client, api_key, potholes):
    post(client, data=form(api_key))
    post(client, data=form(api_key))

    assert Report.objects.count() == 2


def test_a_refused_post_does_not_block_its_corrected_retry(client, api_key, potholes):
    data = form(api_key, device_id="phone-42")
    data["media"] = SimpleUploadedFile("notes.txt", b"not a photo", "text/plain")
    assert post(client, data=data).status_code == 400

    data["media"] = SimpleUploadedFile("notes.txt", b"not a photo", "text/plain")
    assert post(client, data=data).status_code == 400, "the key was released, not replayed"


def test_a_report_is_written_in_one_statement(client, api_key, potholes):
    """Intake's database work per report: on PostgreSQL the report and its first event in one
    statement; SQLite, which cannot, writes them in a transaction (a savepoint here, inside the
    test's), after the API key's lookup. Categories, deadline policies and area boundaries are
    read from memory."""
    post_form(client, data=form(api_key))  # the first request of a process loads them

    with CaptureQueriesContext(connection) as captured:
        response = post_form(client, data=form(api_key, lat="16.4637", long="107.5909"))

    assert response.status_code == 200
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    one_by_one = ["SAVEPOINT", "INSERT", "INSERT", "RELEASE"]
    assert statements == [
        "SELECT",
        *(["WITH"] if connection.vendor == "postgresql" else one_by_one),
    ]


def test_a_key_revoked_here_is_refused_on_its_next_post(client, api_key, potholes):
    assert post_form(client, data=form(api_key)).status_code == 200

    apikey_revoke(api_key=ApiKey.objects.get())

    response = post_form(client, data=form(api_key))
    assert response.status_code == 403
    assert problems(response, "json") == ["api_key: missing, invalid or revoked."]


# Rate limits ---------------------------------------------------------------------------------


@pytest.fixture
def two_per_minute(settings):
    def limit(**rates):
        settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, **rates}

    with time_machine.travel(timezone.now(), tick=False):  # one fixed window
        yield limit


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_third_post_from_one_address_in_a_minute_is_refused(
    client, api_key, potholes, two_per_minute, fmt
):
    two_per_minute(write_per_ip="2/m")

    responses = [post(client, fmt, form(api_key)) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert 1 <= int(responses[2]["Retry-After"]) <= 60
    (problem,) = problems(responses[2], fmt)
    assert problem.startswith("Too many requests: retry in ")
    assert Report.objects.count() == 2


def test_the_limit_per_key_holds_across_addresses(client, api_key, potholes, two_per_minute):
    two_per_minute(write_per_key="2/m")
    other_key = apikey_create(name="Other client").secret

    statuses = [
        post(client, data=form(api_key), REMOTE_ADDR=f"10.0.0.{n}").status_code for n in range(3)
    ]
    other = post(client, data=form(other_key), REMOTE_ADDR="10.0.0.9")

    assert statuses == [200, 200, 429]
    assert other.status_code == 200


def test_an_unexpected_failure_releases_the_device_key(client, api_key, potholes, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    data = form(api_key, device_id="phone-42")
    monkeypatch.setattr(workflow, "report_submit", broken)
    with pytest.raises(RuntimeError):
        post(client, data=data)
    monkeypatch.undo()

    assert post(client, data=data).status_code == 200
    assert Report.objects.count() == 1


def test_a_retry_is_answered_only_to_a_valid_key_and_only_to_the_key_that_sent_it(
    client, api_key, potholes
):
    first = post(client, data=form(api_key, device_id="phone-42")).json()[0]
    other_key = apikey_create(name="Other client").secret

    from_other_key = post(client, data=form(other_key, device_id="phone-42")).json()[0]
    without_key = post(client, data={**form(api_key, device_id="phone-42"), "api_key": ""})

    assert from_other_key["service_request_id"] != first["service_request_id"]
    assert without_key.status_code == 403
    assert Report.objects.count() == 2
