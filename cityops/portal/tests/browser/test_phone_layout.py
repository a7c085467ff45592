"""On a phone (390 px, and a small 360 px one) no public page scrolls sideways, station names
read as names, and a table wider than the screen scrolls in its own box with a visible cue."""

from __future__ import annotations

import pytest

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.tests.factories import AgencyFactory
from cityops.monitoring.tests.factories import SensorFactory
from cityops.portal.tests.browser.conftest import PHONE
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/reports/new", "/account/sign-in", "/account/sign-up", "/privacy", "/air/",
         "/warnings/", "/transparency/"]  # fmt: skip

# Tables wider than their box: each must sit in a scroll box whose cue shows.
UNCUED_WIDE_TABLES = """() => [...document.querySelectorAll("main table")]
  .filter(table => table.getBoundingClientRect().width > table.parentElement.clientWidth + 1)
  .filter(table => {
    const box = table.closest(".table-scroll");
    const hint = box && box.querySelector(":scope > .scroll-hint");
    return !(box && ["auto", "scroll"].includes(getComputedStyle(box).overflowX)
             && hint && hint.getBoundingClientRect().height > 0
             && hint.getBoundingClientRect().left >= box.getBoundingClientRect().left - 1);
  })
  .map(table => table.className || table.textContent.slice(0, 40))"""


def test_public_pages_fit_a_phone_and_wide_tables_say_they_scroll(new_page, operator):
    category = CategoryFactory(code="urban-infrastructure", name="Hạ tầng đô thị: chiếu sáng, "
                               "cấp thoát nước, cây xanh")  # fmt: skip
    unit = AgencyFactory(name="Công ty CP Môi trường và Công trình đô thị Huế (HEPCO)")
    report_in(ReportStatus.ACCEPTED, operator=operator, category=category)
    staff = UserFactory(role=Role.AGENCY_STAFF, agency=unit)
    report_in(ReportStatus.ASSIGNED, operator=operator, category=category, agency=unit, staff=staff)
    SensorFactory(code="hue-aq-09", name="Quan trắc không khí Phú Bài (mô phỏng)")
    page = new_page(PHONE)

    for width in (PHONE["width"], 360):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        for path in PAGES:
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{path} is {overflow} px wide on a {width} px phone"
            assert page.evaluate(UNCUED_WIDE_TABLES) == [], path

    page.set_viewport_size(PHONE)
    page.goto("/transparency/")
    box = page.locator(".table-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the wide table does scroll
    assert box.locator(".scroll-hint").is_visible()
    page.goto("/air/")
    name = page.get_by_role("rowheader", name="Quan trắc không khí Phú Bài")
    # The name has the row's whole width: two lines at most, not a word per line.
    assert (
        name.bounding_box()["width"] > 0.8 * page.locator("table.stations").bounding_box()["width"]
    )
    assert name.bounding_box()["height"] < 3.2 * 24
