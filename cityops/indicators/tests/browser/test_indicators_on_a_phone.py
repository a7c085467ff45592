"""An operator uploads a department's CSV on a phone and reads the refused row; a leader, on a
phone, goes from the tiles to the e-health indicator, drills down to a ward and follows its
figure to the upload row it came from."""

from __future__ import annotations

import pytest

from cityops.indicators.models import Upload

from .conftest import PHONE, signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "\ufeffchỉ tiêu;kỳ;địa bàn;giá trị\n"
    "ho-so-suc-khoe-dien-tu;2022;;66\n"
    "ho-so-suc-khoe-dien-tu;2023;;78,5\n"
    "ho-so-suc-khoe-dien-tu;2021;19789;45\n"
    "ho-so-suc-khoe-dien-tu;2023;19789;47\n"
    "ho-so-suc-khoe-dien-tu;2023;19753;93,41\n"
    "ho-so-suc-khoe-dien-tu;2023;99999;90\n"
)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_upload_then_a_leader_drills_down_on_a_phone(
    new_page, live_server, operator, leader, ehealth, phu_xuan, thuan_hoa, tmp_path
):
    staff = new_page(PHONE, language="en")
    signed_in_as(staff, operator, live_server.url)
    staff.goto("/console/indicators/new/")
    file = tmp_path / "so-y-te-2023.csv"
    file.write_text(CSV, encoding="utf-8")
    staff.get_by_label("File of figures").set_input_files(str(file))
    staff.get_by_role("button", name="Upload").click()
    staff.wait_for_url("**/console/indicators/*/")
    assert staff.get_by_text("5 of 6 rows accepted").first.is_visible()
    refused = staff.locator("table.refused")
    assert "unknown area code “99999”" in refused.inner_text()
    assert fits(staff)
    upload = Upload.objects.get()

    page = new_page(PHONE, language="en")
    signed_in_as(page, leader, live_server.url)
    page.goto("/dashboard/")
    page.get_by_role("link", name="Indicators").first.click()
    page.wait_for_url("**/dashboard/indicators/")
    tile = page.locator("article.tile").first
    # The status is written, not only coloured; the sparkline has a text alternative.
    assert tile.locator(".status-label").inner_text() == "On track"
    assert tile.get_by_role("img").get_attribute("aria-label") == (
        "2 figures, from 66 (2022) to 78.5 (2023)"
    )
    assert fits(page)
    tile.get_by_role("link", name=ehealth.name).click()
    page.wait_for_url(f"**/dashboard/indicators/{ehealth.code}/")
    areas = page.locator("table.areas")
    ward = areas.get_by_role("row").filter(has_text="Phường Thuận Hóa")
    assert "Off track" in ward.inner_text()
    assert fits(page)
    ward.get_by_role("link").click()
    page.wait_for_url(f"**/console/indicators/{upload.pk}/#row-5")
    row = page.locator("#row-5")
    assert "Phường Thuận Hóa" in row.inner_text()
    assert "47" in row.inner_text()
