"""The gateways' server notifications, as the fake gateway signs and sends them: paid, failed,
replayed, tampered, wrong amount; the browser's return never marks anything paid."""

from __future__ import annotations

import pytest

from cityops.payments.choices import Gateway, Outcome, PaymentStatus
from cityops.payments.models import Notification, Receipt
from cityops.payments.services import payment_start

pytestmark = pytest.mark.django_db


def fee(gateway: Gateway, amount: int = 50_000):
    return payment_start(
        purpose="test",
        reference="HS-1",
        description="Lệ phí cấp giấy phép",
        amount_vnd=amount,
        gateway=gateway,
        payer_name="Nguyễn Văn An",
    )


def test_a_vnpay_success_marks_the_payment_paid_once_and_makes_its_receipt(
    client, gateway, handled, django_capture_on_commit_callbacks
):
    payment = fee(Gateway.VNPAY)
    ipn = gateway.vnpay_ipn(payment)
    with django_capture_on_commit_callbacks(execute=True):
        assert gateway.send_vnpay(client, ipn) == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.gateway_transaction == ipn["vnp_TransactionNo"]
    assert Receipt.objects.get(payment=payment).number == 1
    # VNPay retries until it hears "00"/"02": the replay is answered, and changes nothing.
    assert gateway.send_vnpay(client, ipn)["RspCode"] == "02"
    assert handled == [payment]
    assert Receipt.objects.count() == 1
    assert list(payment.notifications.values_list("outcome", flat=True).order_by("pk")) == [
        Outcome.PAID,
        Outcome.REPLAYED,
    ]


def test_a_vnpay_refusal_marks_the_payment_failed(client, gateway, handled):
    payment = fee(Gateway.VNPAY)
    assert gateway.send_vnpay(client, gateway.vnpay_ipn(payment, paid=False))["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert handled == []


def test_a_vnpay_notification_with_a_tampered_signature_is_refused_and_kept(client, gateway):
    payment = fee(Gateway.VNPAY)
    answer = gateway.send_vnpay(client, gateway.vnpay_ipn(payment, tamper=True))
    assert answer["RspCode"] == "97"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    kept = Notification.objects.get()
    assert (kept.signature_valid, kept.outcome, kept.kind) == (False, Outcome.BAD_SIGNATURE, "ipn")
    assert kept.payload["vnp_TxnRef"] == payment.txn_ref


def test_a_signed_vnpay_notification_of_another_amount_is_refused_and_flagged(client, gateway):
    payment = fee(Gateway.VNPAY)
    answer = gateway.send_vnpay(client, gateway.vnpay_ipn(payment, amount_vnd=5_000))
    assert answer == {"RspCode": "04", "Message": "invalid amount"}
    payment.refresh_from_db()
    assert (payment.status, payment.flagged) == (PaymentStatus.PENDING, True)
    assert "5000" in payment.flag_reason


def test_a_vnpay_notification_of_an_unknown_order_is_answered_01(client, gateway):
    payment = fee(Gateway.VNPAY)
    ipn = gateway.vnpay_ipn(payment)
    payment.delete()
    assert gateway.send_vnpay(client, ipn)["RspCode"] == "01"


def test_a_momo_success_is_acknowledged_with_204_and_a_replay_changes_nothing(
    client, gateway, handled
):
    payment = fee(Gateway.MOMO, 120_000)
    ipn = gateway.momo_ipn(payment)
    assert gateway.send_momo(client, ipn) == 204
    assert gateway.send_momo(client, ipn) == 204
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.gateway_transaction == str(ipn["transId"])
    assert handled == [payment]


def test_a_momo_refusal_marks_the_payment_failed(client, gateway):
    payment = fee(Gateway.MOMO)
    assert gateway.send_momo(client, gateway.momo_ipn(payment, paid=False)) == 204
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED


def test_a_momo_notification_with_a_tampered_signature_is_refused(client, gateway, handled):
    payment = fee(Gateway.MOMO)
    assert gateway.send_momo(client, gateway.momo_ipn(payment, tamper=True)) == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert Notification.objects.get().signature_valid is False
    assert handled == []


def test_a_signed_momo_notification_of_another_amount_is_refused_and_flagged(client, gateway):
    payment = fee(Gateway.MOMO)
    assert gateway.send_momo(client, gateway.momo_ipn(payment, amount_vnd=1_000)) == 204
    payment.refresh_from_db()
    assert (payment.status, payment.flagged) == (PaymentStatus.PENDING, True)


def test_a_momo_notification_that_is_not_json_is_refused(client, gateway):
    answer = client.post("/payments/ipn/momo", "not json", content_type="application/json")
    assert answer.status_code == 400


def test_the_browser_return_never_marks_a_payment_paid(client, gateway):
    payment = fee(Gateway.VNPAY)
    # Even a correctly signed success in the return address is only kept: the status query the
    # return triggers asks the gateway, which has not settled the payment yet.
    params = gateway.vnpay_ipn(payment)
    answer = client.get("/payments/return/vnpay", params, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert "Waiting for the gateway" in answer.content.decode()
    assert [path for path, _ in gateway.requests] == ["/vnpay/query"]
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert "return" in kinds


def test_the_return_page_shows_paid_once_the_status_query_says_so(client, gateway):
    payment = fee(Gateway.MOMO, 30_000)
    gateway.settled[payment.txn_ref] = (True, 30_000)
    answer = client.get(
        "/payments/return/momo",
        {"orderId": payment.txn_ref, "resultCode": "0"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert "Paid. Thank you." in answer.content.decode()
