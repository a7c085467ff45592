"""The daily reconciliation lists every difference; the bank's statement pays transfers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityops.payments.choices import Gateway, PaymentStatus
from cityops.payments.models import Reconciliation
from cityops.payments.reconcile import bank_statement_import, reconcile_settlement
from cityops.payments.services import payment_mark_paid, payment_start, payments_expire
from cityops.platform import clock

pytestmark = pytest.mark.django_db


def fee(gateway=Gateway.VNPAY, amount=50_000, reference="HS-1"):
    return payment_start(
        purpose="test",
        reference=reference,
        description="Lệ phí",
        amount_vnd=amount,
        gateway=gateway,
    )


def test_a_settlement_file_shows_every_kind_of_difference():
    paid_both = fee()
    payment_mark_paid(payment=paid_both, gateway_transaction="1", amount_vnd=50_000)
    paid_here_only = fee(reference="HS-2")
    payment_mark_paid(payment=paid_here_only, gateway_transaction="2", amount_vnd=50_000)
    paid_there_only = fee(reference="HS-3")
    other_amount = fee(reference="HS-4")
    flagged = fee(reference="HS-5")
    payment_mark_paid(payment=flagged, gateway_transaction="5", amount_vnd=1)
    text = "\n".join(
        [
            "txn_ref,amount_vnd,status,gateway_transaction",
            f"{paid_both.txn_ref},50000,paid,1",
            f"{paid_there_only.txn_ref},50000,paid,3",
            f"{other_amount.txn_ref},60000,paid,4",
            "261207FFFFFFFFFFFF,70000,paid,9",
        ]
    )
    report = reconcile_settlement(gateway=Gateway.VNPAY, day=timezone.localdate(), text=text)
    kinds = {(item["kind"], item["txn_ref"]) for item in report.differences}
    assert kinds == {
        ("paid_here_not_there", paid_here_only.txn_ref),
        ("paid_there_not_here", paid_there_only.txn_ref),
        ("amount_differs", other_amount.txn_ref),
        ("flagged", flagged.txn_ref),
        ("unknown_reference", "261207FFFFFFFFFFFF"),
    }
    assert report.checked == 5


def test_a_settlement_file_without_the_columns_is_refused():
    from cityops.platform.errors import InvalidInput

    with pytest.raises(InvalidInput, match="amount_vnd"):
        reconcile_settlement(gateway=Gateway.MOMO, day=timezone.localdate(), text="txn_ref\nx\n")


def test_the_bank_statement_pays_transfers_for_their_exact_amount_only():
    right = fee(Gateway.VIETQR, 200_000)
    short = fee(Gateway.VIETQR, 300_000, reference="HS-2")
    text = (
        "amount_vnd,memo,bank_reference\n"
        f"200.000,CK {right.txn_ref.lower()} nop phi,FT001\n"
        f"30000,{short.txn_ref},FT002\n"
    )
    report = bank_statement_import(day=timezone.localdate(), text=text)
    right.refresh_from_db()
    short.refresh_from_db()
    assert (right.status, right.gateway_transaction) == (PaymentStatus.PAID, "FT001")
    assert (short.status, short.flagged) == (PaymentStatus.PENDING, True)
    assert {item["kind"] for item in report.differences} == {"flagged", "amount_differs"}


def test_the_command_prints_the_differences_and_keeps_the_report(tmp_path, capsys):
    payment = fee(Gateway.MOMO)
    file = tmp_path / "momo.csv"
    file.write_text(f"txn_ref,amount_vnd,status\n{payment.txn_ref},50000,paid\n")
    today = timezone.localdate().isoformat()
    call_command("payments_reconcile", "--date", today, "--gateway", "momo", "--file", str(file))
    out = capsys.readouterr().out
    assert f"paid_there_not_here\t{payment.txn_ref}" in out
    assert Reconciliation.objects.get().gateway == Gateway.MOMO


def test_the_daily_run_asks_the_gateway_about_each_payment(gateway):
    payment = fee(Gateway.VNPAY, 40_000)
    gateway.settled[payment.txn_ref] = (True, 40_000)
    call_command("payments_reconcile", "--date", timezone.localdate().isoformat())
    report = Reconciliation.objects.get(gateway=Gateway.VNPAY)
    assert report.source == "status queries"
    assert report.differences == [
        {
            "kind": "paid_there_not_here",
            "txn_ref": payment.txn_ref,
            "ours": "pending",
            "theirs": 40_000,
        }
    ]


def test_waiting_payments_expire_unless_the_gateway_says_they_were_paid(gateway):
    paid_late, abandoned = fee(Gateway.MOMO, 10_000), fee(Gateway.VNPAY, 20_000, "HS-2")
    gateway.settled[paid_late.txn_ref] = (True, 10_000)
    with clock.frozen_at(clock.now() + timedelta(minutes=16)):
        assert payments_expire() == 1
    paid_late.refresh_from_db()
    abandoned.refresh_from_db()
    assert (paid_late.status, abandoned.status) == (PaymentStatus.PAID, PaymentStatus.EXPIRED)


def test_a_transfer_waits_days_for_the_statement_and_a_late_success_is_taken_but_flagged(gateway):
    transfer, card = fee(Gateway.VIETQR, 10_000), fee(Gateway.VNPAY, 20_000, "HS-2")
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        assert payments_expire() == 1
    transfer.refresh_from_db()
    card.refresh_from_db()
    assert (transfer.status, card.status) == (PaymentStatus.PENDING, PaymentStatus.EXPIRED)
    assert payment_mark_paid(payment=card, gateway_transaction="9", amount_vnd=20_000)
    assert (card.status, card.flagged, card.flag_reason) == (
        PaymentStatus.PAID,
        True,
        "paid after it expired",
    )
