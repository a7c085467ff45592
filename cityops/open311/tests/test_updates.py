"""GET servicerequestupdates.{fmt} (mySociety's extension): the public timeline as a feed."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cityops.open311.serializers import iso
from cityops.open311.tests.helpers import BASE, FORMATS, problems, read
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, RejectionReason, ReportStatus, Visibility
from cityops.reports.selectors import attachment_urls
from cityops.reports.tests.helpers import jpeg_with_gps, report_in, submit
from cityops.reports.tests.photo_blur import blur_now

pytestmark = pytest.mark.django_db

URL = f"{BASE}/servicerequestupdates"
S = ReportStatus


@pytest.fixture
def resolved(operator, agency, agency_staff, potholes):
    report = report_in(
        S.IN_PROGRESS, operator=operator, agency=agency, staff=agency_staff, category=potholes
    )
    workflow.report_add_note(report=report, actor=agency_staff, text="Nội bộ: chờ vật tư")
    workflow.report_resolve(
        report=report,
        actor=agency_staff,
        result="Đã vá xong",
        photos=[SimpleUploadedFile("after.jpg", jpeg_with_gps())],
    )
    blur_now()  # the photo's blur job, queued for a commit the test's transaction never makes
    return report


@pytest.mark.parametrize("fmt", FORMATS)
def test_updates_list_public_events_oldest_first_without_the_submission(client, resolved, fmt):
    response = client.get(URL + f".{fmt}")

    assert response.status_code == 200
    updates = read(response, fmt, "updates")
    events = list(resolved.events.filter(visibility=Visibility.PUBLIC).order_by("created_at"))[1:]
    assert [u["update_id"] for u in updates] == [str(e.pk) for e in events]
    last = updates[-1]
    photo = resolved.attachments.get()
    assert last == {
        "update_id": str(events[-1].pk),
        "service_request_id": str(resolved.pk),
        "status": "closed",
        "updated_datetime": iso(events[-1].created_at),
        "description": "Đã vá xong",
        "media_url": f"http://testserver{attachment_urls(attachment=photo)['url']}",
    }
    assert updates[0]["status"] == "open"
    assert updates[0]["description"] == "IOC đã tiếp nhận"  # no note: the kind's name
    assert "Nội bộ" not in response.content.decode()


def test_extensions_add_the_detailed_status_and_kind(client, resolved):
    last = client.get(URL + ".json", {"extensions": "true"}).json()[-1]

    assert (last["detailed_status"], last["type"]) == ("resolved", "resolved")


def test_updates_of_a_rejected_report_are_not_listed(client, potholes, operator):
    report = submit(category=potholes)
    workflow.report_accept(report=report, actor=operator)
    workflow.report_reject(report=report, actor=operator, reason=RejectionReason.SPAM)

    assert client.get(URL + ".json").json() == []


def test_by_default_the_last_24_hours_are_listed(client, potholes, operator):
    now = timezone.now()
    old, recent = submit(category=potholes), submit(category=potholes)
    with time_machine.travel(now - timedelta(days=2)):
        workflow.report_accept(report=old, actor=operator)
    workflow.report_accept(report=recent, actor=operator)

    updates = client.get(URL + ".json").json()

    assert [u["service_request_id"] for u in updates] == [str(recent.pk)]


def test_start_and_end_date_choose_the_window(client, potholes, operator):
    now = timezone.now()
    old, recent = submit(category=potholes), submit(category=potholes)
    with time_machine.travel(now - timedelta(days=2)):
        workflow.report_accept(report=old, actor=operator)
    workflow.report_accept(report=recent, actor=operator)

    updates = client.get(
        URL + ".json",
        {
            "start_date": (now - timedelta(days=3)).isoformat(),
            "end_date": (now - timedelta(days=1)).isoformat(),
        },
    ).json()

    assert [u["service_request_id"] for u in updates] == [str(old.pk)]


def test_updates_are_paged(client, potholes, operator):
    reports = [submit(category=potholes) for _ in range(3)]
    for report in reports:
        workflow.report_accept(report=report, actor=operator)

    second = client.get(URL + ".json", {"page_size": "2", "page": "2"}).json()

    assert [u["service_request_id"] for u in second] == [str(reports[2].pk)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"start_date": "2026-01-01", "end_date": "2026-06-01"},
            "end_date: At most 90 days after start_date.",
        ),
        (
            {"start_date": "2026-02-01", "end_date": "2026-01-01"},
            "end_date: Must not be before start_date.",
        ),
        (
            {"end_date": "soon"},
            "end_date: Use an ISO-8601 date or date-time, e.g. 2026-07-01T08:00:00+07:00.",
        ),
        ({"page_size": "1001"}, "page_size: Must be at most 1000."),
    ],
)
def test_bad_update_queries_are_a_400(client, db, fmt, query, expected):
    response = client.get(URL + f".{fmt}", query)

    assert response.status_code == 400
    assert problems(response, fmt) == [expected]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_citizens_comment_and_reason_are_never_published_as_updates(
    client, resolved, citizen, fmt
):
    type(resolved).objects.filter(pk=resolved.pk).update(reporter=citizen)
    resolved.refresh_from_db()
    personal = "gọi tôi 0905 123 456, CCCD 046 099 012 345"
    workflow.report_rate(
        report=resolved,
        actor=citizen,
        value=RatingValue.UNSATISFIED,
        comment=f"Chưa xong, {personal}",
    )
    workflow.report_reopen(report=resolved, actor=citizen, reason=f"Vẫn còn ổ gà, {personal}")

    response = client.get(URL + f".{fmt}")

    body = response.content.decode()
    for words in ("Chưa xong", "Vẫn còn ổ gà", "0905", "046 099", "•••345"):
        assert words not in body
    descriptions = [update["description"] for update in read(response, fmt, "updates")]
    assert descriptions[-3:] == ["Đã vá xong", "Đã đánh giá", "Mở lại"]
