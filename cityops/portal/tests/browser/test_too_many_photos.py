"""A sixth photo is never dropped silently: the form says so before and after sending."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityops.accounts.tests.factories import UserFactory
from cityops.console.tests.browser.conftest import signed_in_as
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_six_photos_are_refused_with_a_message_not_cut_to_five(new_page, live_server):
    CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")
    citizen = UserFactory(username="binh", email="binh@example.vn")
    page = new_page()
    signed_in_as(page, citizen, live_server.url)
    page.goto("/reports/new")

    photo = jpeg_with_gps((320, 240))
    files = [{"name": f"{n}.jpg", "mimeType": "image/jpeg", "buffer": photo} for n in range(6)]
    page.locator("#id_photos").set_input_files(files=files)

    expect(page.locator("#id_photos")).to_have_attribute("data-state", "too-many")
    expect(page.locator("#photos-status")).to_have_class("hint error")
    assert page.locator("#id_photos").get_attribute("aria-invalid") == "true"
    # Nothing was cut: all six would go, and the server refuses them with the limit.
    assert page.locator("#id_photos").evaluate("input => input.files.length") == 6
    page.get_by_label("Lĩnh vực").select_option("sanitation")
    page.get_by_label("Địa chỉ hoặc địa danh").fill("Chợ Đông Ba")
    page.get_by_label("Vấn đề là gì?").fill("Rác thải tồn đọng trước cổng chợ")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.locator("#error-summary").wait_for()
    assert "5" in page.locator("#error-summary").inner_text()
    assert not Report.objects.exists()
