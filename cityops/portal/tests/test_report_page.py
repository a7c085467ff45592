"""The report page: who may see it, what it says, and the reporter's and followers' actions."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityops.accounts.tests.factories import UserFactory
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus, Visibility
from cityops.reports.models import Follow, Report
from cityops.reports.tests.helpers import jpeg_with_gps
from cityops.reports.tests.photo_blur import blur_now

S = ReportStatus


def url(report: Report, name: str = "report") -> str:
    return reverse(f"portal:{name}", args=[report.pk])


@pytest.fixture
def reporter(db):
    return UserFactory(
        username="reporter",
        full_name="Nguyễn Thị Lan",
        email="lan@example.vn",
        phone="0905123456",
    )


@pytest.mark.django_db
def test_a_public_report_shows_status_in_words_deadline_agency_and_timeline(
    client, make_report, reporter
):
    report = make_report(S.IN_PROGRESS, reporter=reporter, description="Cống thoát nước bị tắc")

    response = client.get(url(report))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Cống thoát nước bị tắc" in html
    assert "Đang xử lý" in html
    assert "Hạn xử lý" in html
    assert timezone.localtime(report.due_at).strftime("%d/%m/%Y %H:%M") in html
    assert "Sở Xây dựng" in html
    kinds = [event.kind for event in response.context["events"]]
    assert kinds == ["submitted", "accepted", "assigned", "agency_accepted"]


@pytest.mark.django_db
def test_the_public_sees_the_given_name_only_and_never_contact_details(
    client, make_report, reporter
):
    report = make_report(
        S.ACCEPTED,
        reporter=reporter,
        contact_name="Nguyễn Thị Lan",
        contact_phone="0905123456",
        contact_email="lan@example.vn",
    )

    html = client.get(url(report)).content.decode()

    assert "Lan" in html
    for secret in ("Nguyễn Thị", "0905123456", "lan@example.vn", "reporter"):
        assert secret not in html


@pytest.mark.django_db
def test_an_anonymous_report_shows_anonymous(client, make_report, reporter):
    report = make_report(S.ACCEPTED, reporter=reporter, is_anonymous=True)
    html = client.get(url(report)).content.decode()
    assert "Ẩn danh" in html
    assert ">Lan<" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.REJECTED, S.SUBMITTED])
def test_hidden_or_unreviewed_reports_are_404_except_for_their_reporter(
    client, make_report, reporter, citizen, status
):
    report = make_report(status, reporter=reporter)

    assert client.get(url(report)).status_code == 404
    client.force_login(citizen)
    assert client.get(url(report)).status_code == 404
    client.force_login(reporter)
    assert client.get(url(report)).status_code == 200


@pytest.mark.django_db
def test_an_unknown_report_is_a_friendly_404(client):
    response = client.get("/reports/999999")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_the_result_and_its_photo_are_shown(client, make_report, agency_staff, reporter):
    report = make_report(S.IN_PROGRESS, reporter=reporter, photos=[jpeg_with_gps()])
    workflow.report_resolve(
        report=report, actor=agency_staff, result="Đã nạo vét cống.", photos=[jpeg_with_gps()]
    )
    blur_now()  # the blur job, queued for the commit (a test's transaction never commits)

    response = client.get(url(report))

    html = response.content.decode()
    assert "Đã nạo vét cống." in html
    assert len(response.context["photos"]["report"]) == 1
    assert len(response.context["photos"]["result"]) == 1
    result_photo = response.context["photos"]["result"][0]
    assert result_photo["thumbnail_url"] in html
    assert client.get(result_photo["url"]).status_code == 200


@pytest.mark.django_db
def test_the_reporter_rates_a_resolved_report_and_it_closes(client, make_report, reporter):
    report = make_report(S.RESOLVED, reporter=reporter)
    client.force_login(reporter)
    assert client.get(url(report)).context["rating_form"] is not None

    response = client.post(url(report, "rate"), {"value": "satisfied", "comment": "Cảm ơn"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.CLOSED
    page = client.get(url(report)).content.decode()
    assert "Hài lòng" in page
    assert client.get(url(report)).context["rating_form"] is None


@pytest.mark.django_db
def test_an_unsatisfied_reporter_may_reopen_with_a_reason(client, make_report, reporter):
    report = make_report(S.RESOLVED, reporter=reporter)
    client.force_login(reporter)
    client.post(url(report, "rate"), {"value": RatingValue.UNSATISFIED})
    assert client.get(url(report)).context["reopen_form"] is not None

    empty = client.post(url(report, "reopen"), {"reason": "  "})
    assert empty.status_code == 400
    assert "reason" in empty.context["reopen_form"].errors

    client.post(url(report, "reopen"), {"reason": "Cống vẫn tắc sau mưa"})

    report.refresh_from_db()
    assert report.status == S.IN_PROGRESS


@pytest.mark.django_db
def test_a_rating_without_a_value_is_explained(client, make_report, reporter):
    report = make_report(S.RESOLVED, reporter=reporter)
    client.force_login(reporter)
    response = client.post(url(report, "rate"), {"comment": "?"})
    assert response.status_code == 400
    assert "value" in response.context["rating_form"].errors


@pytest.mark.django_db
def test_nobody_but_the_reporter_may_rate_or_reopen(client, make_report, reporter, citizen):
    report = make_report(S.RESOLVED, reporter=reporter)
    client.force_login(citizen)
    assert client.get(url(report)).context["rating_form"] is None

    assert client.post(url(report, "rate"), {"value": "satisfied"}).status_code == 403
    assert client.post(url(report, "reopen"), {"reason": "Không"}).status_code == 403
    report.refresh_from_db()
    assert report.status == S.RESOLVED


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in_for_any_action(client, make_report, reporter):
    report = make_report(S.RESOLVED, reporter=reporter)
    for name in ("rate", "reopen", "follow", "unfollow"):
        response = client.post(url(report, name), {"value": "satisfied", "reason": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:sign_in"))
        assert f"next={url(report)}" in response["Location"].replace("%2F", "/")


@pytest.mark.django_db
def test_rating_an_unresolved_report_says_it_cannot_be_rated(client, make_report, reporter):
    report = make_report(S.IN_PROGRESS, reporter=reporter)
    client.force_login(reporter)
    response = client.post(url(report, "rate"), {"value": "satisfied"}, follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == S.IN_PROGRESS


@pytest.mark.django_db
def test_anyone_signed_in_follows_and_unfollows(client, make_report, citizen):
    report = make_report(S.ACCEPTED)
    client.force_login(citizen)

    client.post(url(report, "follow"))
    assert Follow.objects.filter(report=report, user=citizen).exists()
    assert client.get(url(report)).context["following"] is True

    client.post(url(report, "unfollow"))
    assert not Follow.objects.filter(report=report, user=citizen).exists()


@pytest.mark.django_db
def test_following_with_htmx_swaps_the_button(client, make_report, citizen):
    report = make_report(S.ACCEPTED)
    client.force_login(citizen)

    response = client.post(url(report, "follow"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="follow"')
    assert url(report, "unfollow") in html


@pytest.mark.django_db
def test_follow_this_one_instead_opens_the_followed_report(client, make_report, citizen):
    report = make_report(S.ACCEPTED)
    client.force_login(citizen)

    response = client.post(
        url(report, "follow"), {"next": url(report)}, headers={"HX-Request": "true"}
    )

    assert response["HX-Redirect"] == url(report)
    assert Follow.objects.filter(report=report, user=citizen).exists()


@pytest.mark.django_db
def test_an_offsite_next_is_ignored(client, make_report, citizen):
    report = make_report(S.ACCEPTED)
    client.force_login(citizen)
    response = client.post(url(report, "follow"), {"next": "https://evil.example/"})
    assert response["Location"] == url(report)


@pytest.mark.django_db
def test_hidden_reports_cannot_be_followed_by_others(client, make_report, reporter, citizen):
    report = make_report(S.REJECTED, reporter=reporter)
    client.force_login(citizen)
    assert client.post(url(report, "follow")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["rate", "reopen", "follow", "unfollow"])
def test_every_action_is_csrf_protected(make_report, reporter, name):
    report = make_report(S.RESOLVED, reporter=reporter)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post(url(report, name), {"value": "satisfied", "reason": "x"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == S.RESOLVED


@pytest.mark.django_db
def test_actions_are_post_only(client, make_report, reporter):
    report = make_report(S.RESOLVED, reporter=reporter)
    client.force_login(reporter)
    for name in ("rate", "reopen", "follow", "unfollow"):
        assert client.get(url(report, name)).status_code == 405


@pytest.mark.django_db
def test_writes_are_rate_limited_per_address(client, settings, make_report, citizen):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "write_per_ip": "2/m"}
    report = make_report(S.ACCEPTED)
    client.force_login(citizen)

    assert client.post(url(report, "follow")).status_code == 302
    assert client.post(url(report, "unfollow")).status_code == 302
    limited = client.post(url(report, "follow"))

    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert "Quá nhiều lần thử" in limited.content.decode()


@pytest.mark.django_db
def test_the_page_has_a_share_link_and_escapes_citizen_text(client, make_report):
    report = make_report(S.ACCEPTED, description="<b>in đậm</b>")
    html = client.get(url(report)).content.decode()
    assert f'value="http://testserver{url(report)}"' in html
    assert "<b>in đậm</b>" not in html


@pytest.mark.django_db
def test_citizen_notes_are_shown_to_the_reporter_only(client, make_report, reporter):
    report = make_report(S.RESOLVED, reporter=reporter)
    workflow.report_rate(
        report=report, actor=reporter, value=RatingValue.UNSATISFIED, comment="Số nhà 12 vẫn tắc"
    )
    assert "Số nhà 12 vẫn tắc" not in client.get(url(report)).content.decode()
    client.force_login(reporter)
    assert "Số nhà 12 vẫn tắc" in client.get(url(report)).content.decode()


@pytest.mark.django_db
def test_a_citizens_notes_reach_ioc_staff_as_written_and_agency_staff_masked(
    client, make_report, reporter, operator, agency_staff
):
    report = make_report(S.RESOLVED, reporter=reporter)
    workflow.report_rate(
        report=report,
        actor=reporter,
        value=RatingValue.UNSATISFIED,
        comment="Hàng xóm 0914 222 333 vẫn thấy tắc",
    )
    client.force_login(operator)
    assert "Hàng xóm 0914 222 333 vẫn thấy tắc" in client.get(url(report)).content.decode()
    client.force_login(agency_staff)
    html = client.get(url(report)).content.decode()
    assert "Hàng xóm 091•••••33 vẫn thấy tắc" in html
    assert "0914 222 333" not in html


@pytest.mark.django_db
def test_staff_words_for_the_public_are_shown_as_written(client, make_report, agency_staff):
    switchboard = "Gọi 0234 3822 222 (tổng đài của Sở)"
    report = make_report(S.IN_PROGRESS)
    workflow.report_add_note(
        report=report,
        actor=agency_staff,
        text=f"Đã rào. {switchboard}",
        visibility=Visibility.PUBLIC,
    )
    workflow.report_resolve(report=report, actor=agency_staff, result=f"Đã vá. {switchboard}")

    html = client.get(url(report)).content.decode()

    assert f"Đã rào. {switchboard}" in html
    assert f"Đã vá. {switchboard}" in html


@pytest.mark.django_db
def test_followers_get_an_email_when_the_agency_resolves(
    client, make_report, citizen, agency_staff, django_capture_on_commit_callbacks
):
    report = make_report(S.IN_PROGRESS)
    client.force_login(citizen)
    client.post(url(report, "follow"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.report_resolve(report=report, actor=agency_staff, result="Đã xong.")

    assert [message.to for message in mail.outbox] == [[citizen.email]]
    assert url(report) in mail.outbox[0].body
