"""A citizen finds a service on a phone, sends the request with a document, pays its fee
through VNPay, reads the receipt, follows the application, and an agency officer processes it
until the citizen reads the result.

VNPay is played by the test: the browser's visit to the gateway is answered as VNPay does, with
a redirect to the return address, after the gateway's server notification (IPN), signed as
VNPay's documentation describes, has reached CityOps — only the notification marks the fee
paid."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from cityops.online.choices import ApplicationStatus as S
from cityops.online.models import Application
from cityops.online.tests.factories import PDF, FeeFactory, OnlineServiceFactory
from cityops.payments.models import Receipt
from cityops.payments.tests import fake_gateway as fake

from .conftest import PHONE, signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def citizen_requests(page, service, *, search: str) -> Application:
    page.goto("/online/")
    page.get_by_label("Search a service").fill(search)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Request this service").click()
    page.wait_for_url(f"**/online/{service.code}/")
    page.get_by_label("What you ask for (optional)").fill("Xác nhận để làm hồ sơ nhập học.")
    page.get_by_label("Căn cước công dân").set_input_files(
        {"name": "cccd.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("VNPay").check()
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url("**/online/applications/HS-*/")
    application = Application.objects.get()
    assert page.locator("#status").inner_text().strip().endswith("Waiting for the fee")
    assert page.get_by_text(application.number).first.is_visible()
    return application


def vnpay_answers(page, live_url: str, gateway: fake.FakeGateway) -> None:
    """VNPay's side: its server notifies CityOps, then sends the payer back to the shop."""

    def visit(route) -> None:
        asked = {
            key: values[0] for key, values in parse_qs(urlsplit(route.request.url).query).items()
        }
        application = Application.objects.select_related("payment").get()
        assert asked["vnp_TxnRef"] == application.payment.txn_ref
        assert asked["vnp_Amount"] == "7500000"  # đồng × 100
        params = gateway.vnpay_ipn(application.payment)
        answer = requests.get(f"{live_url}/payments/ipn/vnpay", params=params, timeout=10)
        assert answer.json()["RspCode"] == "00"
        route.fulfill(
            status=302, headers={"Location": f"{asked['vnp_ReturnUrl']}?{urlencode(params)}"}
        )

    page.route("https://sandbox.vnpayment.vn/**", visit)


def citizen_pays_and_reads_the_receipt(page, application: Application) -> None:
    page.get_by_role("link", name="Pay the fee online").click()
    page.wait_for_url("**/payments/status/*")
    assert page.get_by_text("Paid. Thank you.").is_visible()
    page.get_by_role("link", name="Check the receipt").click()
    assert page.get_by_role("heading", name="Receipt check").is_visible()
    receipt = Receipt.objects.get(payment__application=application)
    assert page.get_by_text(f"{receipt.number:07d}").first.is_visible()
    assert page.get_by_text("75.000 đ").first.is_visible()


def agency_finishes(page, application: Application) -> None:
    page.goto("/agency/online/")
    page.get_by_role("link", name=application.number).click()
    page.get_by_role("button", name="Accept and start processing").click()
    page.get_by_label("Result for the applicant").fill("Đã xác nhận, mời nhận bản điện tử.")
    page.get_by_role("button", name="Finish").click()
    assert page.locator("#status").inner_text().strip() == "Done"


def test_a_citizen_requests_pays_gets_the_receipt_and_follows_it_until_done(
    new_page, live_server, citizen, agency, agency_staff, settings
):
    settings.CITYOPS_VNPAY_TMN_CODE = fake.VNPAY_TMN
    settings.CITYOPS_VNPAY_HASH_SECRET = fake.VNPAY_SECRET
    service = OnlineServiceFactory(
        code="giay-phep-xay-dung", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", agency=agency,
        documents=[{"key": "cccd", "name": "Căn cước công dân", "required": True}],
    )  # fmt: skip
    FeeFactory(service=service, amount_vnd=75_000)
    phone = new_page(PHONE, language="en")
    signed_in_as(phone, citizen, live_server.url)
    application = citizen_requests(phone, service, search="giay phep")
    vnpay_answers(phone, live_server.url, fake.FakeGateway())
    citizen_pays_and_reads_the_receipt(phone, application)
    phone.goto(f"/online/applications/{application.number}/")
    assert phone.locator("#status").inner_text().strip().endswith("Received")
    officer = new_page(PHONE, language="en")
    signed_in_as(officer, agency_staff, live_server.url)
    agency_finishes(officer, application)
    phone.get_by_role("link", name="My applications").first.click()
    phone.get_by_role("link", name=f"{application.number} · {service.name}").click()
    assert phone.locator("#status").inner_text().strip().endswith("Done")
    assert phone.get_by_text("Đã xác nhận, mời nhận bản điện tử.").first.is_visible()
    kinds = phone.locator("#timeline li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds == ["created", "submitted", "in_progress", "done"]
    assert phone.get_by_role("link", name="Electronic receipt").is_visible()
    application.refresh_from_db()
    assert application.status == S.DONE
    # The page fits the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
