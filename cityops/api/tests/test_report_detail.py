"""GET /api/v1/reports/{id}: one report with its public timeline."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityops.accounts.services import token_issue
from cityops.api.tests.conftest import API, bearer
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus, Visibility
from cityops.reports.deadlines import working_calendar
from cityops.reports.tests.helpers import jpeg_with_gps
from cityops.reports.tests.photo_blur import blur_now

S = ReportStatus


def url(report_id):
    return f"{API}/reports/{report_id}"


@pytest.mark.django_db
def test_the_detail_tells_the_whole_public_story(
    api_client, make_report, citizen, agency_staff, agency
):
    report = make_report(S.IN_PROGRESS, reporter=citizen, photos=[jpeg_with_gps()])
    workflow.report_add_note(
        report=report, actor=agency_staff, text="Đã cử đội đến", visibility=Visibility.PUBLIC
    )
    workflow.report_add_note(report=report, actor=agency_staff, text="Nội bộ: thiếu xe")
    new_due = working_calendar().add_working_days(report.due_at, 3)
    workflow.report_extend(
        report=report, actor=agency_staff, reason="Chờ vật tư", new_due_at=new_due
    )
    workflow.report_resolve(report=report, actor=agency_staff, result="Đã dọn xong")
    workflow.report_rate(report=report, actor=citizen, value=RatingValue.SATISFIED, comment="Tốt")
    blur_now()  # the photo's blur job, queued for a commit the test's transaction never makes

    response = api_client.get(url(report.pk), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "closed"
    assert body["status_label"] == "Closed"
    assert body["status_group"] == "closed"
    assert body["agency"]["name"] == "Sở Xây dựng"
    assert body["result"] == "Đã dọn xong"
    assert body["deadline"]["extended"] is True
    assert body["deadline"]["extension_reason"] == "Chờ vật tư"
    assert body["deadline"]["original_due_at"] is not None
    assert body["rating"]["value"] == "satisfied"
    assert body["rating"]["comment"] == "", "the reporter's comment is theirs, not the public's"
    assert body["photos"][0]["url"].startswith("http://testserver/media/attachments/")
    kinds = [event["kind"] for event in body["timeline"]]
    assert kinds[0] == "submitted"
    assert {"note", "extended", "resolved", "rated"} <= set(kinds)
    notes = [event["note"] for event in body["timeline"]]
    assert "Đã cử đội đến" in notes
    assert "Nội bộ: thiếu xe" not in notes
    resolved = next(e for e in body["timeline"] if e["kind"] == "resolved")
    assert resolved["agency"] == "Sở Xây dựng"
    assert resolved["status"] == "resolved"
    assert resolved["status_label"] == "Resolved"


@pytest.mark.django_db
def test_the_detail_never_shows_who_reported(api_client, make_report, citizen):
    report = make_report(
        S.ACCEPTED, reporter=citizen, contact_name="Lê Văn C", contact_email="c@example.vn"
    )
    response = api_client.get(url(report.pk))
    text = response.content.decode()
    for secret in ("Lê Văn C", "c@example.vn", citizen.username, citizen.email):
        assert secret not in text
    assert not {"reporter", "contact_name", "contact_email", "contact_phone"} & set(response.json())


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.SUBMITTED, S.REJECTED])
def test_unreviewed_and_rejected_reports_are_not_found_by_the_public(
    api_client, make_report, citizen, neighbour_token, status
):
    report = make_report(status, reporter=citizen)
    for headers in ({}, bearer(neighbour_token)):
        response = api_client.get(url(report.pk), headers=headers)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.SUBMITTED, S.REJECTED])
def test_the_reporter_sees_their_own_unreviewed_or_rejected_report(
    api_client, make_report, citizen, token, status
):
    report = make_report(status, reporter=citizen)
    response = api_client.get(url(report.pk), headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["status"] == status


@pytest.mark.django_db
def test_a_missing_report_is_not_found(api_client):
    assert api_client.get(url(999999)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("report_id", ["abc", "1.5", str(2**63)])
def test_a_report_number_must_be_a_whole_number_in_range(api_client, report_id):
    response = api_client.get(url(report_id))
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["report_id"]


@pytest.mark.django_db
def test_a_bad_token_is_refused_even_where_a_token_is_optional(api_client, make_report):
    report = make_report(S.ACCEPTED)
    response = api_client.get(url(report.pk), headers=bearer("cot_revoked"))
    assert response.status_code == 401


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_timeline_or_photos(
    api_client, make_report, agency_staff, django_assert_max_num_queries
):
    small = make_report(S.IN_PROGRESS, photos=[jpeg_with_gps()])
    blur_now()
    with CaptureQueriesContext(connection) as one:
        api_client.get(url(small.pk))
    assert len(one) <= 6
    big = make_report(S.IN_PROGRESS, photos=[jpeg_with_gps() for _ in range(5)])
    for n in range(30):
        workflow.report_add_note(
            report=big, actor=agency_staff, text=f"Bước {n}", visibility=Visibility.PUBLIC
        )
    blur_now()
    with django_assert_max_num_queries(len(one)):
        body = api_client.get(url(big.pk)).json()
    assert len(body["timeline"]) > 30
    assert len(body["photos"]) == 5


@pytest.mark.django_db
def test_an_overdue_report_says_so(api_client, make_report, monkeypatch):
    report = make_report(S.ACCEPTED)
    assert api_client.get(url(report.pk)).json()["deadline"]["overdue"] is False
    monkeypatch.setattr(clock, "now", lambda: report.due_at + timedelta(hours=1))
    assert api_client.get(url(report.pk)).json()["deadline"]["overdue"] is True


@pytest.mark.django_db
def test_personal_data_written_in_the_texts_is_masked_for_the_public(
    api_client, make_report, citizen, agency_staff
):
    report = make_report(
        S.IN_PROGRESS,
        reporter=citizen,
        description="Nhà số 12 xây lấn, chủ nhà SĐT 0905 123 456, CCCD 046 099 012 345",
    )

    body = api_client.get(url(report.pk)).content.decode()

    for secret in ("0905 123 456", "046 099 012 345"):
        assert secret not in body
    assert "Nhà số 12 xây lấn" in body


@pytest.fixture
def reopened(make_report, citizen, agency_staff):
    """A report whose reporter wrote personal data into a rating comment and a reopening reason."""
    report = make_report(S.RESOLVED, reporter=citizen)
    workflow.report_rate(
        report=report,
        actor=citizen,
        value=RatingValue.UNSATISFIED,
        comment="Chưa xong, gọi tôi 0905 123 456",
    )
    workflow.report_reopen(
        report=report, actor=citizen, reason="Vẫn hỏng, CCCD của tôi 046 099 012 345"
    )
    return report


def _citizen_words(body):
    notes = {event["kind"]: event["note"] for event in body["timeline"]}
    return body["rating"]["comment"], notes["rated"], notes["reopened"]


@pytest.mark.django_db
def test_a_citizens_rating_comment_and_reopening_reason_are_not_published(
    api_client, reopened, neighbour_token
):
    for headers in ({}, bearer(neighbour_token)):
        response = api_client.get(url(reopened.pk), headers=headers)
        assert _citizen_words(response.json()) == ("", "", "")
        for secret in ("Chưa xong", "Vẫn hỏng", "0905 123 456", "046 099 012 345", "•••"):
            assert secret not in response.content.decode()


@pytest.mark.django_db
def test_the_reporter_reads_their_own_comment_and_reason_as_they_wrote_them(
    api_client, reopened, token
):
    body = api_client.get(url(reopened.pk), headers=bearer(token)).json()
    assert _citizen_words(body) == (
        "Chưa xong, gọi tôi 0905 123 456",
        "Chưa xong, gọi tôi 0905 123 456",
        "Vẫn hỏng, CCCD của tôi 046 099 012 345",
    )


@pytest.mark.django_db
def test_ioc_staff_read_a_citizens_words_as_written_the_agency_in_charge_masked(
    api_client, reopened, operator, agency_staff, other_agency_staff
):
    ioc = api_client.get(url(reopened.pk), headers=bearer(token_issue(user=operator).secret))
    assert _citizen_words(ioc.json())[2] == "Vẫn hỏng, CCCD của tôi 046 099 012 345"
    agency = api_client.get(url(reopened.pk), headers=bearer(token_issue(user=agency_staff).secret))
    assert _citizen_words(agency.json()) == (
        "Chưa xong, gọi tôi 090•••••56",
        "Chưa xong, gọi tôi 090•••••56",
        "Vẫn hỏng, CCCD của tôi •••••••••345",
    )
    elsewhere = api_client.get(
        url(reopened.pk), headers=bearer(token_issue(user=other_agency_staff).secret)
    )
    assert _citizen_words(elsewhere.json()) == ("", "", "")


@pytest.mark.django_db
def test_staff_words_for_the_public_are_shown_as_written(api_client, make_report, agency_staff):
    switchboard = "Gọi 0234 3822 222 (tổng đài Sở Xây dựng)"
    report = make_report(S.IN_PROGRESS)
    workflow.report_add_note(
        report=report, actor=agency_staff, text=switchboard, visibility=Visibility.PUBLIC
    )
    workflow.report_extend(
        report=report,
        actor=agency_staff,
        reason=f"Chờ vật tư. {switchboard}",
        new_due_at=working_calendar().add_working_days(report.due_at, 2),
    )
    workflow.report_resolve(report=report, actor=agency_staff, result=f"Đã sửa. {switchboard}")

    body = api_client.get(url(report.pk)).json()

    assert switchboard in [event["note"] for event in body["timeline"]]
    assert body["result"] == f"Đã sửa. {switchboard}"
    assert body["deadline"]["extension_reason"] == f"Chờ vật tư. {switchboard}"
