"""The demo's stand-in for VNPay (``cityops run``): the payer pays or cancels there, and the
payment goes through CityOps' real VNPay path: signed address, signed notification, receipt."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from cityops.payments.choices import Gateway, Outcome, PaymentStatus
from cityops.payments.models import Notification
from cityops.payments.services import payment_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.CITYOPS_PAYMENTS_DEMO = True
    settings.CITYOPS_VNPAY_TMN_CODE = ""
    settings.CITYOPS_VNPAY_HASH_SECRET = ""


def fee(amount: int = 8_000):
    return payment_start(
        purpose="test",
        reference="HS-2026-000001",
        description="Lệ phí HS-2026-000001",
        amount_vnd=amount,
        gateway=Gateway.VNPAY,
        payer_name="Lê Văn Tám",
    )


def to_the_gateway(client: Client, txn_ref: str) -> str:
    answer = client.get(reverse("payments:pay", args=[txn_ref]))
    assert answer.status_code == 302
    return answer["Location"]


def test_the_demo_pays_at_its_stand_in_and_the_payment_is_paid_with_its_receipt(
    demo, client, handled, django_capture_on_commit_callbacks
):
    payment = fee()
    address = to_the_gateway(client, payment.txn_ref)
    assert address.startswith(reverse("payments:demo_vnpay") + "?")
    page = client.get(address, HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert "No money moves here." in body
    assert "8.000 đ" in body
    assert payment.txn_ref in body

    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(address, {"action": "pay"})
    assert urlsplit(back["Location"]).path == reverse("payments:return", args=["vnpay"])
    status = client.get(back["Location"], follow=True, HTTP_ACCEPT_LANGUAGE="en")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert [h.reference for h in handled] == ["HS-2026-000001"]  # the application's hook ran
    assert payment.receipt.number >= 1
    assert "Paid. Thank you." in status.content.decode()
    # The notification was checked as VNPay's would be, and kept.
    notice = Notification.objects.get(payment=payment, kind="ipn")
    assert (notice.signature_valid, notice.outcome) == (True, Outcome.PAID)


def test_cancelling_at_the_stand_in_fails_the_payment(demo, client, handled):
    payment = fee()
    address = to_the_gateway(client, payment.txn_ref)
    client.post(address, {"action": "cancel"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert handled == []


def test_a_tampered_address_is_refused_and_the_payment_stays_waiting(demo, client, handled):
    payment = fee()
    address = to_the_gateway(client, payment.txn_ref).replace("vnp_Amount=800000", "vnp_Amount=100")
    page = client.get(address, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert "not valid" in page.content.decode()
    assert client.post(address, {"action": "pay"}).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_return_address_to_another_site_is_refused(demo, client):
    payment = fee()
    address = to_the_gateway(client, payment.txn_ref)
    elsewhere = address.replace("http%3A%2F%2Ftestserver", "https%3A%2F%2Fevil.example")
    assert elsewhere != address
    assert client.get(elsewhere).status_code == 400


def test_the_stand_in_does_not_exist_outside_the_demo(settings, client):
    payment = fee()
    assert client.get(reverse("payments:demo_vnpay")).status_code == 404
    # Nor in a demo where a real VNPay terminal is configured: the payer goes to VNPay.
    settings.CITYOPS_PAYMENTS_DEMO = True
    settings.CITYOPS_VNPAY_TMN_CODE = "CITYOPS1"
    settings.CITYOPS_VNPAY_HASH_SECRET = "S" * 32
    assert client.get(reverse("payments:demo_vnpay")).status_code == 404
    assert to_the_gateway(client, payment.txn_ref).startswith("https://sandbox.vnpayment.vn/")


def test_the_csrf_token_is_needed_to_pay(demo, handled):
    payment = fee()
    browser = Client(enforce_csrf_checks=True)
    address = to_the_gateway(browser, payment.txn_ref)
    assert browser.post(address, {"action": "pay"}).status_code == 403
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
