"""The pay page and the console's payments pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityops.payments.choices import Gateway, PaymentStatus
from cityops.payments.models import Notification
from cityops.payments.services import payment_mark_paid, payment_start

pytestmark = pytest.mark.django_db


def fee(gateway=Gateway.VNPAY, amount=50_000):
    return payment_start(
        purpose="test",
        reference="HS-1",
        description="Lệ phí",
        amount_vnd=amount,
        gateway=gateway,
        payer_name="Lê Văn Tám",
    )


def test_the_pay_page_sends_the_payer_to_vnpay_with_a_signed_address(client, gateway):
    payment = fee()
    answer = client.get(reverse("payments:pay", args=[payment.txn_ref]))
    assert answer.status_code == 302
    assert answer["Location"].startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?")
    assert f"vnp_TxnRef={payment.txn_ref}" in answer["Location"]
    assert "vnp_SecureHash=" in answer["Location"]


def test_the_pay_page_sends_the_payer_to_the_address_momo_gives(client, gateway):
    payment = fee(Gateway.MOMO)
    answer = client.get(reverse("payments:pay", args=[payment.txn_ref]))
    assert answer["Location"] == f"{gateway.url}/momo/pay?orderId={payment.txn_ref}"
    path, body = gateway.requests[0]
    assert (path, body["amount"], body["requestType"]) == (
        "/momo/v2/gateway/api/create",
        50_000,
        "captureWallet",
    )
    assert body["ipnUrl"].endswith("/payments/ipn/momo")


def test_a_bank_transfer_shows_its_vietqr_code_and_the_memo_to_write(client, gateway):
    payment = fee(Gateway.VIETQR)
    page = client.get(reverse("payments:pay", args=[payment.txn_ref]))
    assert page.status_code == 200
    assert payment.txn_ref in page.content.decode()
    png = client.get(reverse("payments:vietqr_png", args=[payment.txn_ref]))
    assert png["Content-Type"] == "image/png"
    assert png.content[:4] == b"\x89PNG"


def test_a_paid_payment_is_not_paid_again(client, gateway):
    payment = fee()
    payment_mark_paid(payment=payment, gateway_transaction="1", amount_vnd=50_000)
    answer = client.get(reverse("payments:pay", args=[payment.txn_ref]))
    assert answer["Location"] == reverse("payments:status", args=[payment.txn_ref])


def test_operators_see_the_payments_and_the_flagged_ones(client, operator):
    flagged = fee()
    payment_mark_paid(payment=flagged, gateway_transaction="1", amount_vnd=1)
    client.force_login(operator)
    page = client.get(reverse("console:payments:payments"), {"flagged": "on"})
    text = page.content.decode()
    assert page.status_code == 200
    assert flagged.txn_ref in text
    assert "amount 1 ≠ 50000" in text


def test_an_operator_records_a_refund_with_a_reason(client, operator):
    payment = fee()
    payment_mark_paid(payment=payment, gateway_transaction="1", amount_vnd=50_000)
    client.force_login(operator)
    url = reverse("console:payments:refund", args=[payment.pk])
    client.post(url, {"reason": ""})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    client.post(url, {"reason": "Hồ sơ bị trả lại"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert Notification.objects.get(kind="refund").payload["reason"] == "Hồ sơ bị trả lại"


def test_leaders_read_payments_but_cannot_refund(client, leader):
    payment = fee()
    client.force_login(leader)
    assert client.get(reverse("console:payments:payment", args=[payment.pk])).status_code == 200
    answer = client.post(reverse("console:payments:refund", args=[payment.pk]), {"reason": "x"})
    assert answer.status_code == 403


def test_staff_confirm_a_transfer_with_its_statement_line(client, operator):
    payment = fee(Gateway.VIETQR, 75_000)
    client.force_login(operator)
    client.post(
        reverse("console:payments:confirm_transfer", args=[payment.pk]),
        {"bank_reference": "FT2634", "amount_vnd": "75000", "statement_date": "2026-12-07"},
    )
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_transaction) == (PaymentStatus.PAID, "FT2634")
