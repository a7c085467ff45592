"""An agency staff member's day in Chromium: sign in, open the inbox (live), take up a report,
write a public note, extend the deadline once, resolve it with a photo; the citizen's page then
shows the note, the extension's reason and the result. With CITYOPS_SCREENSHOTS_DIR set (e.g. to
docs/screenshots), the inbox and the report page are photographed there as agency-*.png; a plain
test run writes nothing into the checkout."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from cityops.accounts.tests.factories import UserFactory
from cityops.portal.tests.browser.conftest import DESKTOP, PHONE
from cityops.reports import workflow
from cityops.reports.choices import Priority, ReportStatus
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps, report_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the user factory's


def sign_in(page, username: str, path: str) -> None:
    page.goto(path)
    page.get_by_label("Email, phone number or user name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_url(f"**{path}")


def shoot(page, name: str) -> None:
    if out := os.environ.get("CITYOPS_SCREENSHOTS_DIR"):
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"agency-{name}.png"), full_page=True)


def test_agency_staff_take_up_note_extend_and_resolve_a_report(
    new_page, operator, agency, agency_staff
):
    citizen = UserFactory(username="an", full_name="Nguyễn Văn An", email="an@example.vn")
    roads = CategoryFactory(
        code="traffic-infrastructure", name="Hạ tầng giao thông", name_en="Traffic infrastructure"
    )
    lights = CategoryFactory(
        code="urban-infrastructure",
        name="Hạ tầng đô thị",
        name_en="Urban infrastructure",
        default_priority=Priority.URGENT,
    )

    def assigned(**kwargs) -> Report:
        return report_in(
            ReportStatus.ASSIGNED,
            operator=operator,
            reporter=citizen,
            agency=agency,
            staff=agency_staff,
            **kwargs,
        )

    # An urgent report of last week is overdue (4 working hours); the one to handle is new.
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        late = assigned(
            category=lights,
            description="Đèn đường tắt cả dãy trên đường Lê Duẩn",
            address="Lê Duẩn, Phú Xuân",
        )
    report = assigned(
        category=roads,
        title="Ổ gà lớn trước chợ Đông Ba",
        description=(
            "Ổ gà sâu khoảng 20 cm giữa làn xe máy, đã có người ngã. "
            "Gọi tôi: 0905 123 456, Nguyễn Văn An."
        ),
        address="Trần Hưng Đạo, Phú Xuân",
        contact_name="Nguyễn Văn An",
        contact_phone="0905123456",
        photos=[jpeg_with_gps((900, 600))],
    )
    assigned(category=roads, description="Vỉa hè bị lấn chiếm trước số 20 Hùng Vương")

    # The inbox: most urgent first, the overdue one marked, live.
    page = new_page(DESKTOP, language="en")
    sign_in(page, agency_staff.username, "/agency/")
    first_row = page.locator("table.inbox tbody tr").first
    assert first_row.get_attribute("data-report") == str(late.pk)
    assert "overdue" in (first_row.get_attribute("class") or "")
    assert "overdue by" in first_row.locator(".due").inner_text()
    page.locator(".live-status[data-state=live]").wait_for()
    html = page.content()
    assert "0905 123 456" not in html
    assert "Nguyễn Văn An" not in html
    shoot(page, "inbox-desktop")

    phone = new_page(PHONE, language="en")
    sign_in(phone, agency_staff.username, "/agency/")
    phone.locator(".live-status[data-state=live]").wait_for()
    shoot(phone, "inbox-phone")

    # A change made elsewhere (the IOC's note) reaches the open inbox without a reload.
    workflow.report_add_note(report=late, actor=operator, text="Khẩn: khu vực tối hoàn toàn.")
    page.locator(f'tr.live-new[data-report="{late.pk}"]').wait_for()

    # Take it up.
    page.get_by_role("link", name=re.compile(f"#{report.pk} ")).click()
    page.wait_for_url(f"**/agency/reports/{report.pk}/")
    assert "0905 123 456" not in page.content()
    assert "Nguyễn Văn An" not in page.content()
    page.get_by_role("button", name="Take up this report").click()
    page.get_by_text("now being handled").wait_for()
    assert page.locator(".status-now .badge").inner_text().strip() == "In progress"

    # A public progress note.
    page.get_by_label("Progress note").fill("Đã khảo sát, sẽ vá trong tuần này.")
    page.get_by_label("Public: also on the citizen's timeline").check()
    page.get_by_role("button", name="Save the note").click()
    page.get_by_text("The note is on the report's public timeline.").wait_for()
    assert "Đã khảo sát, sẽ vá trong tuần này." in page.locator(".timeline").inner_text()
    shoot(page, "report-desktop")
    phone.goto(f"/agency/reports/{report.pk}/")
    shoot(phone, "report-phone")

    # The one extension; its form is gone afterwards.
    report.refresh_from_db()
    # An extension ends on a working day (five working days later).
    new_due = timezone.localtime(working_calendar().add_working_days(report.due_at, 5))
    page.get_by_label("Public reason").fill("Chờ nhựa đường nóng từ nhà cung cấp.")
    page.get_by_label("New expected date").fill(new_due.strftime("%Y-%m-%d"))
    page.locator("#id_extend-new_time").fill("16:00")
    page.get_by_role("button", name="Extend the deadline").click()
    page.get_by_text("The deadline is extended").wait_for()
    page.get_by_text("Already extended on").wait_for()
    assert page.get_by_role("button", name="Extend the deadline").count() == 0
    assert page.get_by_label("Public reason").count() == 0

    # The result, from the Hue-S template, with a photo.
    reply = page.get_by_label("Reply to the citizen (published)")
    template = reply.input_value()
    assert template.startswith("Kính gửi: Quý Ông/Bà.")
    assert agency.name in template
    reply.fill(template.replace("…", "Đã vá ổ gà bằng bê tông nhựa nóng ngày hôm nay."))
    page.get_by_label("Photos of the result (up to 5)").set_input_files(
        files=[{"name": "da-va.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
    )
    page.get_by_role("button", name="Publish the result").click()
    page.get_by_text("the citizen can now rate it").wait_for()
    assert page.locator(".status-now .badge").inner_text().strip() == "Resolved"
    page.get_by_role("img", name="Photo 1 of the result").wait_for()

    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert report.extended_at is not None
    assert report.attachments.filter(kind="result").count() == 1

    # The citizen's public page.
    public = new_page(PHONE, language="en")
    public.goto(f"/reports/{report.pk}")
    text = public.locator("main").inner_text()
    assert "Đã khảo sát, sẽ vá trong tuần này." in text
    assert "Chờ nhựa đường nóng từ nhà cung cấp." in text
    result = public.locator(".result").inner_text()
    assert "Đã vá ổ gà bằng bê tông nhựa nóng ngày hôm nay." in result
