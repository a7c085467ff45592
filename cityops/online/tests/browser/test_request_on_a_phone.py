"""A citizen finds a service on a phone, sends the request with a document, follows it, and an
agency officer processes it until the citizen reads the result.

The steps are separate functions so that the request-pay-receipt journey adds its payment
step between ``citizen_requests`` and ``agency_finishes`` (a paid service: the pay button,
the gateway, the receipt link on the application's page)."""

from __future__ import annotations

import pytest

from cityops.online.choices import ApplicationStatus as S
from cityops.online.models import Application
from cityops.online.tests.factories import PDF, OnlineServiceFactory

from .conftest import PHONE, signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def citizen_requests(page, service) -> Application:
    page.goto("/online/")
    page.get_by_label("Search a service").fill("cu tru")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Request this service").click()
    page.wait_for_url(f"**/online/{service.code}/")
    page.get_by_label("What you ask for (optional)").fill("Xác nhận để làm hồ sơ nhập học.")
    page.get_by_label("Căn cước công dân").set_input_files(
        {"name": "cccd.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url("**/online/applications/HS-*/")
    application = Application.objects.get()
    assert page.locator("#status").inner_text().strip().endswith("Received")
    assert page.get_by_text(application.number).first.is_visible()
    return application


def agency_finishes(page, application: Application) -> None:
    page.goto("/agency/online/")
    page.get_by_role("link", name=application.number).click()
    page.get_by_role("button", name="Accept and start processing").click()
    page.get_by_label("Result for the applicant").fill("Đã xác nhận, mời nhận bản điện tử.")
    page.get_by_role("button", name="Finish").click()
    assert page.locator("#status").inner_text().strip() == "Done"


def test_a_citizen_requests_a_free_service_and_follows_it_until_done(
    new_page, live_server, citizen, agency, agency_staff
):
    service = OnlineServiceFactory(
        code="xac-nhan-cu-tru", name="Xác nhận thông tin về cư trú", agency=agency,
        documents=[{"key": "cccd", "name": "Căn cước công dân", "required": True}],
    )  # fmt: skip
    phone = new_page(PHONE, language="en")
    signed_in_as(phone, citizen, live_server.url)
    application = citizen_requests(phone, service)
    # (A paid service: the payment step goes here.)
    officer = new_page(PHONE, language="en")
    signed_in_as(officer, agency_staff, live_server.url)
    agency_finishes(officer, application)
    phone.get_by_role("link", name="My applications").first.click()
    phone.get_by_role("link", name=f"{application.number} · {service.name}").click()
    assert phone.locator("#status").inner_text().strip().endswith("Done")
    assert phone.get_by_text("Đã xác nhận, mời nhận bản điện tử.").first.is_visible()
    kinds = phone.locator("#timeline li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds == ["created", "submitted", "in_progress", "done"]
    application.refresh_from_db()
    assert application.status == S.DONE
    # The page fits the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
