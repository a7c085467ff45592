"""A citizen scans a dossier's QR code on a phone, says they are dissatisfied (by keyboard for
one criterion), sends it, and the thank-you page offers the case to follow."""

from __future__ import annotations

import pytest

from cityops.reports.choices import Channel
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.services.public_views import dossier_path
from cityops.services.tests.factories import DossierFactory

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_rates_a_dossier_on_a_phone_and_can_follow_the_case(new_page):
    CategoryFactory(code="administrative-conduct")
    dossier = DossierFactory(number="H01.25-1207-0042")
    page = new_page(PHONE, language="en")
    page.goto(dossier_path(dossier))
    assert page.get_by_text("H01.25-1207-0042").is_visible()
    # Big enough to tap: each level is a whole labelled row.
    level = page.locator("label.level-dissatisfied")
    assert level.bounding_box()["height"] >= 44
    page.get_by_label("Dissatisfied").check()
    page.get_by_text("More details (optional)").click()
    page.locator("input[name=time][value='1']").focus()
    page.keyboard.press("Space")
    page.get_by_label("Comment (optional)").fill("Hẹn trả kết quả ba lần vẫn chưa có.")
    page.get_by_role("button", name="Send my rating").click()
    page.wait_for_url("**/services/thanks/**")
    assert page.get_by_role("heading", name="Thank you for your rating").is_visible()
    report = Report.objects.get(channel=Channel.SERVICE_RATING)
    assert "Processing time" in report.description or "Thời gian" in report.description
    page.get_by_role("link", name="Follow the case").click()
    page.wait_for_url(f"**/reports/{report.pk}")
    # The page fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
