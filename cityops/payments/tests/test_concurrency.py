"""Payments marked paid at once, from several threads, get receipts numbered 1..N with no gap
and no repeat (PostgreSQL: real concurrent transactions; SQLite has one writer at a time, and
test_receipts.py covers the counter there)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cityops.payments.choices import Gateway
from cityops.payments.models import Payment, Receipt
from cityops.payments.services import payment_mark_paid, payment_start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]

N = 12


def pay_together(payments: list[Payment]) -> list[BaseException]:
    barrier, errors = threading.Barrier(len(payments)), []

    def work(payment: Payment) -> None:
        try:
            barrier.wait()
            payment_mark_paid(
                payment=payment, gateway_transaction=f"T{payment.pk}", amount_vnd=payment.amount_vnd
            )
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(payment,)) for payment in payments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_receipts_of_payments_paid_at_once_are_numbered_without_gaps_or_repeats():
    payments = [
        payment_start(
            purpose="test",
            reference=f"HS-{i}",
            description="Lệ phí",
            amount_vnd=10_000 + i,
            gateway=Gateway.MOMO,
        )
        for i in range(N)
    ]
    assert pay_together(payments) == []
    assert sorted(Receipt.objects.values_list("number", flat=True)) == list(range(1, N + 1))
