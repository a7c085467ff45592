"""A citizen's whole journey in Chromium, on a phone: sign up, send a report with a photo, see
it in "my reports", follow the IOC and the agency's work, see the result, rate it; a follower
gets an email for every public step."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from cityops.accounts.models import User
from cityops.accounts.tests.factories import UserFactory
from cityops.reports import workflow
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, login: str, password: str, next_url: str = "/") -> None:
    page.goto(f"/account/sign-in?next={next_url}")
    page.get_by_label("Email, số điện thoại hoặc tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").last.click()


def test_a_citizen_reports_from_a_phone_and_rates_the_result(
    new_page, operator, agency, agency_staff
):
    category = CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")
    follower = UserFactory(username="neighbour", full_name="Lê Thị Hoa", email="hoa@example.vn")
    page = new_page()

    # Sign up, on the way to sending a report.
    page.goto("/reports/new")
    assert "/account/sign-in" in page.url
    page.get_by_role("link", name="Tạo tài khoản").click()
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Email hoặc số điện thoại").fill("an@example.vn")
    page.get_by_label("Mật khẩu").fill("song-huong-2026")
    page.locator("#id_accepted_terms").check()
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.wait_for_url("**/reports/new")
    citizen = User.objects.get(email="an@example.vn")

    # The report: the place picked on the map, a photo shrunk in the browser, consent.
    page.locator("#pick-map").click(position={"x": 180, "y": 120})
    assert page.locator("#id_lat").input_value() != ""
    assert page.locator("#id_lon").input_value() != ""
    page.get_by_label("Địa chỉ hoặc địa danh").fill("Chợ Đông Ba, Phú Xuân")
    page.get_by_label("Lĩnh vực").select_option("sanitation")
    page.get_by_label("Vấn đề là gì?").fill("Rác thải tồn đọng trước cổng chợ Đông Ba")
    page.locator("#id_photos").set_input_files(
        files=[{"name": "rac.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((900, 600))}]
    )
    page.wait_for_selector("#id_photos[data-state=ready]")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.wait_for_url(re.compile(r"/reports/\d+$"))
    report = Report.objects.get(reporter=citizen)
    assert page.get_by_text("Đã gửi", exact=True).first.is_visible()
    assert report.category == category
    assert report.address == "Chợ Đông Ba, Phú Xuân"
    assert report.attachments.count() == 1
    assert report.lat is not None

    page.get_by_role("link", name="Phản ánh của tôi").click()
    assert page.get_by_text("Rác thải tồn đọng trước cổng chợ Đông Ba").is_visible()

    # The IOC accepts; a neighbour signs in and follows the now public report.
    workflow.report_accept(report=report, actor=operator)
    neighbour = new_page()
    follower.set_password("mat-khau-hang-xom")
    follower.save()
    sign_in(neighbour, "hoa@example.vn", "mat-khau-hang-xom", f"/reports/{report.pk}")
    neighbour.wait_for_url(f"**/reports/{report.pk}")
    neighbour.get_by_role("button", name="Theo dõi phản ánh này").click()
    neighbour.get_by_role("button", name="Bỏ theo dõi").wait_for()

    # The IOC assigns, the agency takes it up and resolves it with a photo.
    workflow.report_assign(report=report, agency=agency, actor=operator)
    workflow.report_agency_accept(report=report, actor=agency_staff)
    workflow.report_resolve(
        report=report,
        actor=agency_staff,
        result="Đã thu gom toàn bộ rác và đặt thêm thùng rác.",
        photos=[jpeg_with_gps((800, 600))],
    )

    page.goto(f"/reports/{report.pk}")
    assert page.locator(".status-now").inner_text().strip().endswith("Đã xử lý")
    assert "Đã thu gom toàn bộ rác và đặt thêm thùng rác." in page.locator(".result").inner_text()
    assert page.get_by_role("img", name="Ảnh 1 của kết quả").is_visible()
    timeline = page.locator(".timeline").inner_text()
    for step in ("Đã gửi", "IOC đã tiếp nhận", "Chuyển đơn vị xử lý", "Đã xử lý"):
        assert step in timeline

    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_url(f"**/reports/{report.pk}")
    assert page.locator(".status-now").inner_text().strip().endswith("Đã đóng")
    report.refresh_from_db()
    assert report.status == "closed"

    to_follower = [m for m in mail.outbox if m.to == [follower.email]]
    to_citizen = [m for m in mail.outbox if m.to == [citizen.email]]
    # assigned, taken up, resolved, rated (the follow came after the acceptance)
    assert len(to_follower) == 4
    assert any("Đã xử lý" in m.subject for m in to_follower)
    assert all(f"/reports/{report.pk}" in m.body for m in to_follower)
    # the reporter hears of everyone's steps but their own rating
    assert len(to_citizen) == 4
