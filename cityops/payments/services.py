"""Writes of payments. Only a gateway's server notification or a status query marks a payment
paid (``payment_mark_paid``), never the browser's return to the site."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction

from cityops.payments import hooks
from cityops.payments.choices import Gateway, PaymentStatus
from cityops.payments.models import Payment
from cityops.platform import clock

EXPIRES_AFTER = timedelta(minutes=15)


def payment_start(
    *, purpose: str, reference: str, description: str, amount_vnd: int, gateway: Gateway | str
) -> Payment:
    """A new payment waiting at the gateway. The gateway adapters turn it into the address or
    the QR code the payer follows."""
    if amount_vnd <= 0:
        raise ValueError("A payment is of at least 1 đồng.")
    now = clock.now()
    return Payment.objects.create(
        purpose=purpose,
        reference=reference,
        description=description,
        amount_vnd=amount_vnd,
        gateway=gateway,
        status=PaymentStatus.PENDING,
        txn_ref=f"{now:%y%m%d}{secrets.token_hex(6).upper()}",
        expires_at=now + EXPIRES_AFTER,
    )


def payment_mark_paid(*, payment: Payment, gateway_transaction: str, amount_vnd: int) -> bool:
    """Mark the payment paid once, as a verified notification says; its purpose's handler runs
    in the same transaction. False when it was paid already (a replay) or the amount differs
    (the payment is then flagged and stays unpaid)."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status == PaymentStatus.PAID:
            return False
        if amount_vnd != locked.amount_vnd:
            locked.flagged = True
            locked.flag_reason = f"amount {amount_vnd} ≠ {locked.amount_vnd}"
            locked.save(update_fields=["flagged", "flag_reason"])
            return False
        locked.status = PaymentStatus.PAID
        locked.gateway_transaction = gateway_transaction
        locked.paid_at = clock.now()
        locked.save(update_fields=["status", "gateway_transaction", "paid_at"])
        hooks.paid(locked)
    payment.refresh_from_db()
    return True
