"""Sending a report with mistakes: the errors are next to the fields and nothing typed is lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityops.accounts.tests.factories import UserFactory
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invalid_input_is_explained_and_the_typed_text_survives(new_page):
    CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")
    UserFactory(username="binh", email="binh@example.vn")
    page = new_page()
    page.goto("/account/sign-in?next=/reports/new")
    page.get_by_label("Email, số điện thoại hoặc tên đăng nhập").fill("binh@example.vn")
    page.get_by_label("Mật khẩu").fill("correct horse battery")
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_url("**/reports/new")

    page.get_by_label("Lĩnh vực").select_option("sanitation")
    page.get_by_label("Họ tên của bạn").fill("Trần Thị Bình")
    page.get_by_label("Điện thoại").fill("0905 123 456")
    page.get_by_label("Vấn đề là gì?").fill("   ")
    page.get_by_role("button", name="Gửi phản ánh").click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    # The summary takes the focus, so screen readers announce it first.
    # expect(), not wait_for_function: the Content-Security-Policy refuses eval in the page.
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.locator("#error-description").inner_text() == "Hãy mô tả vấn đề."
    assert "Hãy chọn vị trí trên bản đồ" in page.locator("#error-address").inner_text()
    assert page.locator("#error-consent").is_visible()
    assert page.locator("#id_description").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Họ tên của bạn").input_value() == "Trần Thị Bình"
    assert page.get_by_label("Điện thoại").input_value() == "0905 123 456"
    assert page.get_by_label("Lĩnh vực").input_value() == "sanitation"
    assert not Report.objects.exists()
