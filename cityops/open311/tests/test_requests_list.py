"""GET requests.{fmt}: fields, filters, the 90-day window, paging, privacy and query count."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cityops.agencies.tests.factories import AreaFactory
from cityops.open311.serializers import iso
from cityops.open311.tests.helpers import BASE, FORMATS, problems, read
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus, Visibility
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory, ReportFactory
from cityops.reports.tests.helpers import jpeg_with_gps, report_in, submit
from cityops.reports.tests.photo_blur import blur_now

pytestmark = pytest.mark.django_db

S = ReportStatus
URL = f"{BASE}/requests"

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
EXTENSION_FIELDS = {"detailed_status", "title", "media_urls", "notes", "extended_attributes"}


def ids(response, fmt="json"):
    return [int(item["service_request_id"]) for item in read(response, fmt, "requests")]


@pytest.fixture
def journey(operator, agency, agency_staff, citizen, potholes):
    """Reports along the lifecycle, oldest first; a rejected one must never show."""

    def make(status, **kwargs):
        kwargs.setdefault("category", potholes)
        return report_in(
            status, operator=operator, agency=agency, staff=agency_staff, reporter=citizen, **kwargs
        )

    return {
        "submitted": make(S.SUBMITTED, description="Ổ gà mới gửi"),
        "rejected": make(S.REJECTED, description="Quảng cáo rác"),
        "assigned": make(S.ASSIGNED, description="Ổ gà đã chuyển"),
        "resolved": make(S.RESOLVED, description="Ổ gà đã vá"),
        "closed": make(S.CLOSED, description="Ổ gà đã đóng"),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_lists_public_reports_newest_first_with_every_field(client, journey, agency, fmt):
    area = AreaFactory(
        code="19753", name="Phường Phú Xuân", centroid_lat=16.46, centroid_lon=107.59
    )
    assigned = journey["assigned"]
    assigned.area = area  # as area_at would have found it inside a seeded boundary
    assigned.address = "12 Lê Lợi"
    assigned.save()

    response = client.get(f"{URL}.{fmt}")

    assert response.status_code == 200
    found = read(response, fmt, "requests")
    order = ["closed", "resolved", "assigned", "submitted"]
    assert [int(item["service_request_id"]) for item in found] == [
        journey[name].pk for name in order
    ]
    assert all(set(item) == REQUEST_FIELDS for item in found)
    item = found[2]
    assigned.refresh_from_db()
    assert item == {
        "service_request_id": str(assigned.pk),
        "status": "open",
        "status_notes": "",
        "service_name": "Ổ gà",
        "service_code": "potholes",
        "description": "Ổ gà đã chuyển",
        "agency_responsible": "Sở Xây dựng",
        "service_notice": "Đã chuyển xử lý",
        "requested_datetime": iso(assigned.submitted_at),
        "updated_datetime": iso(assigned.updated_at),
        "expected_datetime": iso(assigned.due_at),
        "address": "12 Lê Lợi",
        "address_id": "19753",
        "zipcode": "",
        "lat": "16.46",
        "long": "107.59",
        "media_url": "",
    }
    assert item["requested_datetime"].endswith("+07:00")
    resolved = found[1]
    assert (resolved["status"], resolved["status_notes"]) == (
        "closed",
        "Đã vá ổ gà bằng bê tông nhựa.",
    )


def test_json_requests_carry_numbers_for_coordinates(client, journey):
    item = client.get(f"{URL}.json").json()[0]

    assert (item["lat"], item["long"]) == (16.46, 107.59)
    assert item["service_request_id"] == str(journey["closed"].pk)


def test_a_rejected_report_is_never_listed(client, journey):
    assert journey["rejected"].pk not in ids(client.get(f"{URL}.json"))
    response = client.get(f"{URL}.json", {"service_request_id": journey["rejected"].pk})
    assert ids(response) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["assigned", "submitted"]),
        ("closed", ["closed", "resolved"]),
        ("open,closed", ["closed", "resolved", "assigned", "submitted"]),
    ],
)
def test_status_filters_by_open_or_closed(client, journey, fmt, status, expected):
    response = client.get(f"{URL}.{fmt}", {"status": status})

    assert ids(response, fmt) == [journey[name].pk for name in expected]


def test_an_unknown_status_is_a_400(client, journey):
    response = client.get(f"{URL}.json", {"status": "pending"})

    assert response.status_code == 400
    (problem,) = problems(response, "json")
    assert problem.startswith("status: Unknown status 'pending'")


def test_service_code_takes_a_comma_list(client, potholes, litter):
    pothole = submit(category=potholes)
    rubbish = submit(category=litter)
    submit(category=CategoryFactory(code="trees"))

    response = client.get(f"{URL}.json", {"service_code": "potholes,litter"})

    assert ids(response) == [rubbish.pk, pothole.pk]


def test_service_request_id_overrides_every_other_filter(client, journey):
    wanted = f"{journey['submitted'].pk},{journey['closed'].pk}"
    response = client.get(
        f"{URL}.json",
        {"service_request_id": wanted, "status": "open", "service_code": "litter"},
    )

    assert sorted(ids(response)) == sorted([journey["submitted"].pk, journey["closed"].pk])


def test_service_request_id_also_ignores_the_date_window(client, potholes):
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        old = submit(category=potholes)

    assert ids(client.get(f"{URL}.json", {"service_request_id": str(old.pk)})) == [old.pk]


@pytest.mark.parametrize("wanted", ["12,abc", "²", "99999999999999999999", "0"])
def test_a_malformed_service_request_id_is_a_400(client, db, wanted):
    response = client.get(f"{URL}.json", {"service_request_id": wanted})

    assert response.status_code == 400
    assert problems(response, "json") == [
        "service_request_id: Ids are whole numbers separated by commas."
    ]


def test_bbox_keeps_reports_inside_the_box(client, potholes):
    inside = submit(category=potholes, lat=16.46, lon=107.59)
    submit(category=potholes, lat=16.30, lon=107.80)

    response = client.get(f"{URL}.json", {"bbox": "107.5,16.4,107.6,16.5"})

    assert ids(response) == [inside.pk]


def test_search_finds_words_in_the_description(client, potholes):
    wanted = submit(category=potholes, description="Cây đổ chắn đường Lê Lợi")
    submit(category=potholes, description="Ổ gà")

    assert ids(client.get(f"{URL}.json", {"search": "cây lê"})) == [wanted.pk]


def test_updated_after_lists_reports_changed_since(client, potholes, operator):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=200)):
        old = submit(category=potholes)
        submit(category=potholes)
    with time_machine.travel(start - timedelta(days=1)):
        workflow.report_accept(report=old, actor=operator)

    response = client.get(
        f"{URL}.json", {"updated_after": (start - timedelta(days=2)).date().isoformat()}
    )

    assert ids(response) == [old.pk], "an update window is not cut to the last 90 days"


# The date window -----------------------------------------------------------------------------


@pytest.fixture
def over_time(potholes):
    """Reports submitted 100, 60 and 1 day(s) ago."""
    now = timezone.now()
    made = {}
    for days in (100, 60, 1):
        with time_machine.travel(now - timedelta(days=days)):
            made[days] = submit(category=potholes)
    return made


def test_without_dates_the_last_90_days_are_listed(client, over_time):
    assert ids(client.get(f"{URL}.json")) == [over_time[1].pk, over_time[60].pk]


def test_start_date_alone_lists_90_days_from_it(client, over_time):
    start = (timezone.localdate() - timedelta(days=110)).isoformat()

    listed = ids(client.get(f"{URL}.json", {"start_date": start}))

    assert listed == [over_time[60].pk, over_time[100].pk], "not the one of yesterday"


def test_start_and_end_date_bound_the_submission_time(client, over_time):
    today = timezone.localdate()
    response = client.get(
        f"{URL}.json",
        {
            "start_date": (today - timedelta(days=61)).isoformat() + "T00:00:00Z",
            "end_date": (today - timedelta(days=59)).isoformat() + "T00:00:00+07:00",
        },
    )

    assert ids(response) == [over_time[60].pk]


def test_a_plus_sign_lost_in_an_unencoded_query_string_is_restored(client, over_time):
    start = (timezone.localdate() - timedelta(days=2)).isoformat()

    response = client.get(f"{URL}.json?start_date={start}T00:00:00+07:00")

    assert response.status_code == 200
    assert ids(response) == [over_time[1].pk]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_window_over_90_days_is_a_400(client, db, fmt):
    response = client.get(f"{URL}.{fmt}", {"start_date": "2026-01-01", "end_date": "2026-04-15"})

    assert response.status_code == 400
    assert problems(response, fmt) == ["end_date: At most 90 days after start_date."]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"start_date": "yesterday"},
            ["start_date: Use an ISO-8601 date or date-time, e.g. 2026-07-01T08:00:00+07:00."],
        ),
        (
            {"start_date": "2026-03-01", "end_date": "2026-02-01"},
            ["end_date: Must not be before start_date."],
        ),
    ],
)
def test_bad_dates_are_a_400_naming_the_open311_parameter(client, db, query, expected):
    response = client.get(f"{URL}.json", query)

    assert response.status_code == 400
    assert problems(response, "json") == expected


# Paging --------------------------------------------------------------------------------------


def test_page_and_page_size_walk_through_the_list(client, potholes):
    made = [submit(category=potholes) for _ in range(5)]
    newest_first = [report.pk for report in reversed(made)]

    pages = [
        ids(client.get(f"{URL}.json", {"page_size": "2", "page": str(page)})) for page in (1, 2, 3)
    ]

    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_page_beyond_the_end_is_empty(client, potholes, fmt):
    submit(category=potholes)

    response = client.get(f"{URL}.{fmt}", {"page": "9"})

    assert response.status_code == 200
    assert read(response, fmt, "requests") == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"page_size": "1001"}, "page_size: Must be at most 1000."),
        ({"page_size": "0"}, "page_size: Must be a whole number, 1 or more."),
        ({"page": "0"}, "page: Must be a whole number, 1 or more."),
        ({"page": "two"}, "page: Must be a whole number, 1 or more."),
        ({"page": "²"}, "page: Must be a whole number, 1 or more."),
        ({"page": "99999999999999999999"}, "page: Must be at most 1000000."),
    ],
)
def test_paging_out_of_bounds_is_a_400(client, db, fmt, query, expected):
    response = client.get(f"{URL}.{fmt}", query)

    assert response.status_code == 400
    assert problems(response, fmt) == [expected]


def test_paging_and_filter_problems_are_listed_together(client, db):
    response = client.get(f"{URL}.json", {"page_size": "5000", "bbox": "1,2"})

    assert problems(response, "json") == [
        "page_size: Must be at most 1000.",
        "bbox: Give four numbers: min_long,min_lat,max_long,max_lat.",
    ]


def test_at_most_1000_requests_come_by_default(client, potholes):
    Report.objects.bulk_create(ReportFactory.build_batch(1001, category=potholes))

    assert len(client.get(f"{URL}.json").json()) == 1000
    assert len(client.get(f"{URL}.json", {"page": "2"}).json()) == 1


# Extensions, photos and privacy --------------------------------------------------------------


@pytest.fixture
def rated(operator, agency, agency_staff, citizen, potholes):
    """A closed report with a photo, public and internal notes and a rating."""
    report = report_in(
        S.IN_PROGRESS,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        reporter=citizen,
        category=potholes,
        title="Ổ gà Lê Lợi",
        contact_name="Trần Thị Mai",
        contact_phone="0912345678",
        contact_email="mai@example.vn",
        device_id="device-secret-1",
        photos=[jpeg_with_gps()],
    )
    workflow.report_add_note(
        report=report, actor=agency_staff, text="Ghi chú nội bộ: gọi 0912345678"
    )
    workflow.report_add_note(
        report=report, actor=agency_staff, text="Đã rào chắn khu vực", visibility=Visibility.PUBLIC
    )
    workflow.report_resolve(
        report=report,
        actor=agency_staff,
        result="Đã vá xong",
        photos=[SimpleUploadedFile("after.jpg", jpeg_with_gps())],
    )
    workflow.report_rate(report=report, actor=citizen, value=RatingValue.SATISFIED)
    blur_now()  # the photos' blur job, queued for a commit the test's transaction never makes
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_add_the_detailed_status_timeline_photos_and_attributes(client, rated, fmt):
    response = client.get(f"{URL}.{fmt}", {"extensions": "true"})

    (item,) = read(response, fmt, "requests")
    assert set(item) == REQUEST_FIELDS | EXTENSION_FIELDS
    assert (item["status"], item["detailed_status"], item["title"]) == (
        "closed",
        "closed",
        "Ổ gà Lê Lợi",
    )
    photos = [a.pk for a in rated.attachments.order_by("kind", "pk")]  # report, then result
    assert [url.split("?v=")[0] for url in item["media_urls"]] == [
        f"http://testserver/media/attachments/{pk}.jpg" for pk in photos
    ]
    assert item["media_url"] == item["media_urls"][0]
    assert [note["type"] for note in item["notes"]] == [
        "submitted",
        "accepted",
        "assigned",
        "agency_accepted",
        "note",
        "resolved",
        "rated",
    ]
    assert item["notes"][4]["description"] == "Đã rào chắn khu vực"
    assert item["notes"][2]["description"] == "Chuyển đơn vị xử lý"  # no note: the kind's name
    assert all(note["datetime"].endswith("+07:00") for note in item["notes"])
    assert item["extended_attributes"] == {
        "channel": "web",
        "area": "",
        "priority": "normal",
        "rating": "satisfied",
    }


def test_extended_attributes_name_the_area(client, potholes):
    report = submit(category=potholes)
    report.area = AreaFactory(code="19789", name="Phường Thuận Hóa")
    report.save()

    item = client.get(f"{URL}.json", {"extensions": "true"}).json()[0]

    assert item["extended_attributes"]["area"] == {"code": "19789", "name": "Phường Thuận Hóa"}
    assert item["extended_attributes"]["rating"] is None


def test_a_photo_is_published_only_once_the_ioc_has_reviewed_the_report(client, potholes, operator):
    report = submit(category=potholes, photos=[jpeg_with_gps()])
    blur_now()  # the photo's blur job, queued for a commit the test's transaction never makes

    assert client.get(f"{URL}.json").json()[0]["media_url"] == ""

    workflow.report_accept(report=report, actor=operator)
    url = client.get(f"{URL}.json").json()[0]["media_url"]
    assert url.split("?v=")[0] == (
        f"http://testserver/media/attachments/{report.attachments.get().pk}.jpg"
    )
    photo = client.get(url)
    photo.close()  # a FileResponse holds the file open until closed
    assert photo.status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_reporter_identity_or_internal_note_is_ever_published(client, rated, citizen, fmt):
    for query in ({}, {"extensions": "true"}):
        body = client.get(f"{URL}.{fmt}", query).content.decode()
        for secret in (
            "Trần Thị Mai",
            "0912345678",
            "mai@example.vn",
            "device-secret-1",
            citizen.username,
            citizen.email,
            "Ghi chú nội bộ",
        ):
            assert secret not in body
        for field in ("email", "phone", "device_id", "account_id", "first_name", "contact"):
            assert f'"{field}"' not in body
            assert f"<{field}>" not in body


@pytest.fixture
def in_progress_with_photo(operator, agency, agency_staff, potholes):
    """Makes ``count`` reports in progress at the agency, each with a photo."""

    def make(count):
        reports = [
            report_in(
                S.IN_PROGRESS,
                operator=operator,
                agency=agency,
                staff=agency_staff,
                category=potholes,
                photos=[jpeg_with_gps()],
            )
            for _ in range(count)
        ]
        blur_now()  # the photos' blur job, queued for a commit the test never makes
        return reports

    return make


def test_the_number_of_queries_does_not_grow_with_the_number_of_reports(
    client, in_progress_with_photo
):
    def make(count):
        for report in in_progress_with_photo(count):
            report.area = AreaFactory()
            report.save()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{URL}.json", {"extensions": "true"})
        assert response.status_code == 200
        return len(captured), len(response.json())

    make(5)
    few, listed_few = queries()
    make(25)
    many, listed_many = queries()

    assert (listed_few, listed_many) == (5, 30)
    # The page's ids, then the rows not yet written: with their latest note, photos, timelines
    # and ratings (open311/rows.py).
    assert few == many <= 5, (few, many)


def test_the_rating_is_that_of_the_latest_result(client, operator, agency, agency_staff, citizen):
    report = report_in(
        S.RESOLVED, operator=operator, agency=agency, staff=agency_staff, reporter=citizen
    )
    workflow.report_rate(report=report, actor=citizen, value=RatingValue.UNSATISFIED)

    def rating():
        item = client.get(f"{URL}.json", {"extensions": "true"}).json()[0]
        return item["extended_attributes"]["rating"]

    assert rating() == "unsatisfied"
    workflow.report_reopen(report=report, actor=citizen, reason="Vẫn còn ổ gà")
    assert rating() is None, "a reopened report waits for a new result"


@pytest.mark.parametrize("fmt", FORMATS)
def test_personal_data_written_in_public_text_is_masked(client, operator, citizen, potholes, fmt):
    report = report_in(
        S.ACCEPTED,
        operator=operator,
        reporter=citizen,
        category=potholes,
        title="Gọi 0905 123 456",
        description="Xe 75A-123.45 đỗ chắn lối, liên hệ mai@example.vn",
    )

    response = client.get(f"{URL}/{report.pk}.{fmt}", {"extensions": "true"})

    body = response.content.decode()
    for secret in ("0905 123 456", "0905123456", "75A-123.45", "mai@example.vn"):
        assert secret not in body
    (item,) = read(response, fmt, "requests")
    assert "đỗ chắn lối" in item["description"]


def test_status_notes_is_the_latest_public_note_as_written_never_a_later_internal_one(
    client, operator, agency, agency_staff, potholes
):
    report = report_in(
        S.IN_PROGRESS, operator=operator, agency=agency, staff=agency_staff, category=potholes
    )
    for text, visibility in (
        ("Đã rào chắn khu vực", Visibility.PUBLIC),
        ("Liên hệ tổng đài 0234 3822 222 để vào công trường", Visibility.PUBLIC),
        ("Ghi chú nội bộ: chờ vật tư", Visibility.INTERNAL),
    ):
        workflow.report_add_note(
            report=report, actor=agency_staff, text=text, visibility=visibility
        )

    for query in ({}, {"extensions": "true"}):
        (item,) = client.get(f"{URL}.json", query).json()
        # Staff's words for the public: shown as written (a switchboard is not personal data).
        assert item["status_notes"] == "Liên hệ tổng đài 0234 3822 222 để vào công trường"


def test_without_extensions_a_page_takes_two_queries_whatever_the_number_of_reports(
    client, agency_staff, in_progress_with_photo, django_assert_num_queries
):
    def make(count):
        for report in in_progress_with_photo(count):
            workflow.report_add_note(
                report=report, actor=agency_staff, text="Đang xử lý", visibility=Visibility.PUBLIC
            )

    for count, listed in ((3, 3), (20, 23)):
        make(count)
        # The page's ids; the requests not yet written with their latest note; their photos.
        with django_assert_num_queries(3):
            body = client.get(f"{URL}.json").json()
        assert len(body) == listed
        assert all(item["status_notes"] == "Đang xử lý" and item["media_url"] for item in body)
