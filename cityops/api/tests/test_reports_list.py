"""GET /api/v1/reports: the public search."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cityops.agencies.tests.factories import AreaFactory
from cityops.api.schemas import ReportQuery
from cityops.api.tests.conftest import API, bearer
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus
from cityops.reports.filters import ReportFilter
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps
from cityops.reports.tests.photo_blur import blur_now

URL = f"{API}/reports"
S = ReportStatus


def ids(response):
    assert response.status_code == 200, response.json()
    return [report["id"] for report in response.json()["results"]]


def test_the_api_takes_the_filter_parameters_as_they_are():
    assert set(ReportQuery.model_fields) == {*ReportFilter.PARAMETERS, "page", "page_size"}


@pytest.mark.django_db
def test_the_public_sees_reviewed_reports_newest_first_but_not_unreviewed_or_rejected_ones(
    api_client, make_report
):
    older = make_report(S.ACCEPTED)
    newer = make_report(S.IN_PROGRESS)
    closed = make_report(S.CLOSED)
    make_report(S.SUBMITTED)
    make_report(S.REJECTED)
    response = api_client.get(URL)
    assert ids(response) == [closed.pk, newer.pk, older.pk]
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (3, 1, 50)


@pytest.mark.django_db
def test_each_report_says_where_it_stands_and_who_handles_it(api_client, make_report, agency):
    report = make_report(S.IN_PROGRESS, title="Ổ gà")
    item = api_client.get(URL).json()["results"][0]
    assert item["id"] == report.pk
    assert item["title"] == "Ổ gà"
    assert item["status"] == "in_progress"
    assert item["status_group"] == "open"
    assert item["status_label"]
    assert item["agency"] == {"code": agency.code, "name": "Sở Xây dựng"}
    assert set(item["deadline"]) == {
        "due_at",
        "overdue",
        "extended",
        "original_due_at",
        "extension_reason",
    }
    assert "timeline" not in item


@pytest.mark.django_db
def test_status_labels_follow_the_requested_language(api_client, make_report):
    make_report(S.IN_PROGRESS)
    english = api_client.get(URL, headers={"Accept-Language": "en"}).json()["results"][0]
    assert english["status_label"] == "In progress"


@pytest.mark.django_db
def test_the_list_never_shows_who_reported_or_how_to_reach_them(api_client, make_report, citizen):
    make_report(
        S.ACCEPTED,
        reporter=citizen,
        contact_name="Trần Thị B",
        contact_phone="0912345678",
        contact_email="b@example.vn",
        device_id="phone-42",
    )
    response = api_client.get(URL)
    text = response.content.decode()
    for secret in ("Trần Thị B", "0912345678", "b@example.vn", "phone-42", citizen.username):
        assert secret not in text
    item = response.json()["results"][0]
    assert not {"reporter", "contact_name", "contact_phone", "contact_email"} & set(item)


@pytest.mark.django_db
def test_filters_narrow_the_list_by_the_canonical_parameters(
    api_client, make_report, agency, other_agency, operator
):
    area = AreaFactory(code="19774", centroid_lat=16.50, centroid_lon=107.65)
    AreaFactory(code="19775")  # the ward of the other reports (the test area's centre)
    lighting = CategoryFactory(code="urban-infrastructure")
    lamp = make_report(S.ACCEPTED, category=lighting, description="Đèn đường hỏng")
    in_area = make_report(S.ACCEPTED, lat=16.50, lon=107.65, description="Cây đổ")
    assigned = make_report(S.IN_PROGRESS, description="Ngập nước")
    done = make_report(S.CLOSED, description="Rác")
    assert ids(api_client.get(URL, {"category": "urban-infrastructure"})) == [lamp.pk]
    assert ids(api_client.get(URL, {"status": "closed"})) == [done.pk]
    assert set(ids(api_client.get(URL, {"status": "open"}))) == {lamp.pk, in_area.pk, assigned.pk}
    assert ids(api_client.get(URL, {"status": "in_progress"})) == [assigned.pk]
    assert ids(api_client.get(URL, {"area": area.code})) == [in_area.pk]
    assert set(ids(api_client.get(URL, {"agency": agency.code}))) == {assigned.pk, done.pk}
    assert ids(api_client.get(URL, {"bbox": "107.6,16.48,107.7,16.52"})) == [in_area.pk]
    assert ids(api_client.get(URL, {"q": "Đèn hỏng"})) == [lamp.pk]
    assert ids(api_client.get(URL, {"id": f"{lamp.pk},{done.pk}", "status": "open"})) == [lamp.pk]
    assert ids(api_client.get(URL, {"submitted_to": "2000-01-01"})) == []
    assert len(ids(api_client.get(URL, {"submitted_from": "2000-01-01"}))) == 4


@pytest.mark.django_db
def test_bad_filters_are_all_named_at_once(api_client):
    response = api_client.get(
        URL, {"status": "lost", "bbox": "1,2,3", "submitted_from": "yesterday", "id": "x"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"status", "bbox", "submitted_from", "id"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"submitted_from": "0001-01-01"}, "submitted_from"),
        ({"updated_before": "9999-12-31T23:00:00-12:00"}, "updated_before"),
        ({"q": "nul\x00"}, "q"),
        ({"category": "a\x00b"}, "category"),
    ],
)
def test_values_no_database_can_hold_are_refused_not_crashed_on(api_client, params, field):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


@pytest.mark.django_db
def test_pages_split_the_list(api_client, make_report):
    reports = [make_report(S.ACCEPTED) for _ in range(3)]
    newest_first = [r.pk for r in reversed(reports)]
    first = api_client.get(URL, {"page_size": 2})
    assert ids(first) == newest_first[:2]
    second = api_client.get(URL, {"page_size": 2, "page": 2}).json()
    assert [r["id"] for r in second["results"]] == newest_first[2:]
    assert (second["count"], second["page"], second["page_size"]) == (3, 2, 2)
    beyond = api_client.get(URL, {"page_size": 2, "page": 9}).json()
    assert (beyond["count"], beyond["results"]) == (3, [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 201}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"page": 1_000_001}, "page"),
    ],
)
def test_paging_outside_its_limits_is_refused_clearly(api_client, params, field):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


@pytest.mark.django_db
def test_a_page_may_hold_up_to_200_reports(api_client, make_report):
    make_report(S.ACCEPTED)
    assert api_client.get(URL, {"page_size": 200}).json()["page_size"] == 200


@pytest.mark.django_db
def test_the_list_is_public_and_ignores_credentials(api_client, make_report, token):
    make_report(S.ACCEPTED)
    assert api_client.get(URL, headers=bearer(token)).status_code == 200


def _rated_with_photo(make_report, citizen):
    report = make_report(S.RESOLVED, reporter=citizen, photos=[jpeg_with_gps()])
    workflow.report_rate(report=report, actor=citizen, value=RatingValue.SATISFIED)
    blur_now()  # the photo's blur job, queued for a commit the test's transaction never makes
    return report


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_number_of_reports(
    api_client, make_report, citizen, django_assert_max_num_queries
):
    for _ in range(5):
        _rated_with_photo(make_report, citizen)
    with CaptureQueriesContext(connection) as five:
        assert api_client.get(URL, {"page_size": 200}).json()["count"] == 5
    assert len(five) <= 6
    for _ in range(35):
        _rated_with_photo(make_report, citizen)
    with django_assert_max_num_queries(len(five)):
        body = api_client.get(URL, {"page_size": 200}).json()
    assert body["count"] == 40
    assert all(r["photos"] and r["rating"]["value"] == "satisfied" for r in body["results"])


@pytest.mark.django_db
def test_the_count_on_the_page_that_ends_the_list_includes_a_report_reviewed_just_now(
    api_client, make_report
):
    make_report(S.ACCEPTED)
    make_report(S.ACCEPTED)
    assert api_client.get(URL, {"page_size": 1}).json()["count"] == 2  # counted, then kept
    make_report(S.ACCEPTED)
    assert api_client.get(URL, {"page_size": 2, "page": 2}).json()["count"] == 3
    assert api_client.get(URL).json()["count"] == 3


@pytest.mark.django_db
def test_the_count_on_other_pages_is_at_most_30_seconds_old(api_client, make_report):
    start = timezone.now()
    make_report(S.ACCEPTED)
    make_report(S.ACCEPTED)
    with clock.frozen_at(start):
        assert api_client.get(URL, {"page_size": 1}).json()["count"] == 2
    make_report(S.ACCEPTED)
    with clock.frozen_at(start + timedelta(seconds=29)):
        assert api_client.get(URL, {"page_size": 1}).json()["count"] == 2
    with clock.frozen_at(start + timedelta(seconds=30)):
        assert api_client.get(URL, {"page_size": 1}).json()["count"] == 3


@pytest.mark.django_db
def test_each_filter_has_its_own_count(api_client, make_report):
    lighting = CategoryFactory(code="urban-infrastructure")
    for _ in range(3):
        make_report(S.ACCEPTED)
    make_report(S.ACCEPTED, category=lighting)
    make_report(S.ACCEPTED, category=lighting)
    everything = api_client.get(URL, {"page_size": 1}).json()
    lamps = api_client.get(URL, {"page_size": 1, "category": lighting.code}).json()
    assert (everything["count"], lamps["count"]) == (5, 2)


@pytest.mark.django_db
def test_a_page_takes_a_fixed_number_of_queries_and_counts_at_most_once_in_30_seconds(
    api_client, make_report, citizen, django_assert_num_queries
):
    for _ in range(3):
        _rated_with_photo(make_report, citizen)
    with django_assert_num_queries(4):  # the page, its photos, its ratings and the count
        assert api_client.get(URL, {"page_size": 2}).json()["count"] == 3
    for _ in range(10):
        _rated_with_photo(make_report, citizen)
    with django_assert_num_queries(3):
        body = api_client.get(URL, {"page_size": 10}).json()
    # The count kept from the first page (3), raised to the 10 reports this full page shows.
    assert (body["count"], len(body["results"])) == (10, 10)
