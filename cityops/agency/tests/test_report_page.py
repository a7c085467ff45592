"""The report page of the agency workspace: what staff read (never who reported), which
reports they may open at all, and which actions they are offered."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus, Visibility
from cityops.reports.deadlines import working_calendar
from cityops.reports.tests.helpers import jpeg_with_gps
from cityops.reports.tests.photo_blur import blur_now

from .conftest import REPORTER_EMAIL, REPORTER_NAME, REPORTER_PHONE

S = ReportStatus


def page(client, report) -> str:
    response = client.get(reverse("agency:report", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_page_shows_the_content_place_photos_deadline_and_whole_timeline(
    staff_client, make_report, operator, agency_staff
):
    report = make_report(
        S.ASSIGNED,
        description="Ổ gà sâu 20 cm trước số 5 Lê Lợi",
        address="5 Lê Lợi, Phú Xuân",
        photos=[jpeg_with_gps()],
    )
    blur_now()  # the photo's blur job: agencies see the blurred copy, once it exists
    workflow.report_add_note(
        report=report, actor=operator, text="Đã gọi điện xác minh.", visibility=Visibility.INTERNAL
    )

    html = page(staff_client, report)

    assert "Ổ gà sâu 20 cm trước số 5 Lê Lợi" in html
    assert "5 Lê Lợi, Phú Xuân" in html
    assert 'id="report-map"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert "Photo 1 of the problem" in html
    assert timezone.localtime(report.due_at).strftime("%d/%m/%Y %H:%M") in html
    assert "Traffic infrastructure" in html
    for step in ("Submitted", "Accepted by the IOC", "Assigned to an agency"):
        assert step in html
    assert "Đã gọi điện xác minh." in html  # internal notes too
    assert ">internal<" in html


@pytest.mark.django_db
def test_the_reporters_identity_never_reaches_agency_staff_even_written_in_the_text(
    staff_client, make_report, reporter, operator
):
    report = make_report(
        S.IN_PROGRESS,
        title=f"Đèn hỏng, báo bởi {REPORTER_NAME}",
        description=(
            f"Tôi là {REPORTER_NAME}, gọi {REPORTER_PHONE} hoặc 0905123456, "
            f"email {REPORTER_EMAIL}. Đèn đường hỏng ở kiệt 12 Kim Long."
        ),
        device_id="device-7f3a9c",
    )
    workflow.report_add_note(
        report=report,
        actor=operator,
        text=f"Người phản ánh {REPORTER_NAME} ({REPORTER_PHONE}) muốn được gọi lại.",
        visibility=Visibility.INTERNAL,
    )

    html = page(staff_client, report)
    inbox = staff_client.get(reverse("agency:inbox")).content.decode()

    for text in (html, inbox):
        assert "Đèn" in text  # the report is there …
        for secret in (
            REPORTER_NAME,
            REPORTER_PHONE,
            "0905123456",
            REPORTER_EMAIL,
            reporter.get_full_name(),
            "device-7f3a9c",
        ):
            assert secret not in text  # … its reporter is not
    assert "Đèn đường hỏng ở kiệt 12 Kim Long." in html  # ordinary numbers stay


@pytest.mark.django_db
def test_another_agencys_report_and_a_missing_one_do_not_exist_for_staff(
    staff_client, make_report, other_agency, other_agency_staff, operator
):
    theirs = make_report(S.IN_PROGRESS, agency=other_agency, staff=other_agency_staff)
    waiting = make_report(S.ACCEPTED)  # in the IOC's queue, never assigned

    for report_pk in (theirs.pk, waiting.pk, 999_999):
        response = staff_client.get(reverse("agency:report", args=[report_pk]))
        assert response.status_code == 404


@pytest.mark.django_db
def test_a_report_the_agency_returned_stays_readable_but_offers_no_action(
    staff_client, make_report, agency_staff
):
    report = make_report(S.ASSIGNED)
    workflow.report_return(report=report, actor=agency_staff, reason="Thuộc Điện lực.")

    html = page(staff_client, report)

    assert "no longer assigned to your agency" in html
    assert "Thuộc Điện lực." in html
    for action in ("take-up", "resolve", "note", "extend", "return"):
        assert reverse(f"agency:{action.replace('-', '_')}", args=[report.pk]) not in html


@pytest.mark.django_db
def test_the_report_of_a_reassigned_agency_hides_the_new_agencys_internal_notes(
    staff_client, make_report, operator, other_agency, other_agency_staff
):
    report = make_report(S.IN_PROGRESS)
    workflow.report_assign(report=report, agency=other_agency, actor=operator)
    workflow.report_add_note(
        report=report,
        actor=other_agency_staff,
        text="Ghi chú nội bộ của Điện lực",
        visibility=Visibility.INTERNAL,
    )
    workflow.report_add_note(
        report=report, actor=other_agency_staff, text="Đang thay cột", visibility=Visibility.PUBLIC
    )

    html = page(staff_client, report)

    assert "Ghi chú nội bộ của Điện lực" not in html
    assert "Đang thay cột" in html


@pytest.mark.parametrize(
    ("status", "offered", "hidden"),
    [
        (S.ASSIGNED, {"take_up", "resolve", "note", "extend", "return"}, set()),
        (S.IN_PROGRESS, {"resolve", "note", "extend", "return"}, {"take_up"}),
        (S.RESOLVED, {"note"}, {"take_up", "resolve", "extend", "return"}),
        (S.CLOSED, set(), {"take_up", "resolve", "note", "extend", "return"}),
    ],
)
@pytest.mark.django_db
def test_only_the_moves_allowed_from_the_current_status_are_offered(
    staff_client, make_report, status, offered, hidden
):
    report = make_report(status)

    html = page(staff_client, report)

    for action in offered:
        assert f'action="{reverse(f"agency:{action}", args=[report.pk])}"' in html
    for action in hidden:
        assert f'action="{reverse(f"agency:{action}", args=[report.pk])}"' not in html


@pytest.mark.django_db
def test_the_result_form_starts_from_the_hue_s_reply_template_with_the_agency_name(
    staff_client, make_report, agency
):
    report = make_report(S.IN_PROGRESS)

    html = page(staff_client, report)

    assert "Kính gửi: Quý Ông/Bà." in html
    assert f"Vấn đề quý Ông/Bà phản ánh, {agency.name} xin thông báo kết quả xử lý như sau:" in html
    assert "Trân trọng./." in html


SWITCHBOARD = "Gọi 0234 3822 222 (tổng đài của Sở)"


@pytest.mark.django_db
def test_staff_words_for_the_public_are_shown_as_written_a_citizens_words_masked(
    staff_client, make_report, agency_staff, reporter
):
    report = make_report(S.IN_PROGRESS)
    workflow.report_add_note(
        report=report,
        actor=agency_staff,
        text=f"Đã rào. {SWITCHBOARD}",
        visibility=Visibility.PUBLIC,
    )
    workflow.report_extend(
        report=report,
        actor=agency_staff,
        reason=f"Chờ vật tư. {SWITCHBOARD}",
        new_due_at=working_calendar().add_working_days(report.due_at, 2),
    )
    report = workflow.report_resolve(
        report=report, actor=agency_staff, result=f"Đã vá. {SWITCHBOARD}"
    )
    workflow.report_rate(
        report=report,
        actor=reporter,
        value=RatingValue.UNSATISFIED,
        comment="Hàng xóm 0914 222 333 vẫn thấy ổ gà",
    )

    html = page(staff_client, report)

    for staff_words in (
        f"Đã rào. {SWITCHBOARD}",
        f"Chờ vật tư. {SWITCHBOARD}",
        f"Đã vá. {SWITCHBOARD}",
    ):
        assert staff_words in html
    assert "Hàng xóm 091•••••33 vẫn thấy ổ gà" in html
    assert "0914 222 333" not in html


@pytest.mark.django_db
def test_the_forms_say_that_public_words_are_published_as_written(staff_client, make_report):
    html = page(staff_client, make_report(S.IN_PROGRESS))

    # The progress note (when public), the extension's reason and the result.
    assert html.count("Shown to the public exactly as written") == 2
    assert html.count("A public note is shown to the public exactly as written") == 1
