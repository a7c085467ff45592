"""A tourist on a phone, in Chromium: asks in English, reads the answer, says it helped,
reports a problem and gets the reference of the report sent to the IOC."""

from __future__ import annotations

import pytest

from cityops.reports.choices import Channel
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.tourism.models import Shown
from cityops.tourism.services import faq_load_file

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tourist_asks_rates_the_answer_and_reports_a_problem(new_page):
    faq_load_file()
    CategoryFactory(code="tourism")
    page = new_page(PHONE, "en")
    page.goto("/tourist/")

    page.fill("#id_text", "How much is a ticket to the Imperial City?")
    page.locator("form.ask button[type=submit]").click()
    answer = page.locator("article.answer").first
    answer.wait_for()
    assert answer.get_attribute("data-entry") == "imperial-city-tickets"
    assert "200,000 VND" in answer.inner_text()

    answer.locator("button[name=helpful][value=yes]").click()
    page.locator("article.answer .thanks").first.wait_for()
    assert Shown.objects.get(rank=1).helpful is True

    page.click("#report-problem")
    page.fill("#id_message", "The cyclo driver asked 500,000 VND for 10 minutes.")
    page.fill("#id_contact_email", "anna@example.org")
    page.locator("form.problem button[type=submit]").click()
    reference = page.locator("#reference")
    reference.wait_for()

    report = Report.objects.get(channel=Channel.TOURIST)
    assert f"#{report.pk}" in reference.inner_text()
    assert page.locator("#report-link").get_attribute("href") == f"/reports/{report.pk}"
    assert "Imperial City" in report.description
    assert "anna@example.org" not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing overflows the phone's screen
