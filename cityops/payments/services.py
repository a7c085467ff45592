"""Writes of payments. Only a gateway's server notification or a status query marks a payment
paid (``payment_mark_paid``), never the browser's return to the site; a bank transfer (VietQR)
only a statement line (``payment_confirm_transfer``)."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction

from cityops.accounts.models import User
from cityops.payments import hooks
from cityops.payments.choices import Gateway, Outcome, PaymentStatus
from cityops.payments.gateways import GatewayError, Verdict, adapter_for
from cityops.payments.models import Notification, Payment
from cityops.platform import clock
from cityops.platform.errors import InvalidInput

logger = logging.getLogger(__name__)

EXPIRES_AFTER = timedelta(minutes=15)
# A bank transfer is seen on the next statement: it waits longer than a card or a wallet.
EXPIRES_AFTER_TRANSFER = timedelta(days=3)
# Who may still become paid: a late success after a failure or an expiry is money received.
PAYABLE = (
    PaymentStatus.CREATED,
    PaymentStatus.PENDING,
    PaymentStatus.FAILED,
    PaymentStatus.EXPIRED,
)


def payment_start(
    *,
    purpose: str,
    reference: str,
    description: str,
    amount_vnd: int,
    gateway: Gateway | str,
    payer_name: str = "",
    seller_name: str = "",
) -> Payment:
    """A new payment waiting at the gateway. The gateway adapters turn it into the address or
    the QR code the payer follows."""
    if amount_vnd <= 0 or int(amount_vnd) != amount_vnd:
        raise ValueError("A payment is of at least 1 đồng, in whole đồng.")
    now = clock.now()
    return Payment.objects.create(
        purpose=purpose,
        reference=reference,
        description=description,
        amount_vnd=amount_vnd,
        gateway=Gateway(gateway),
        status=PaymentStatus.PENDING,
        txn_ref=f"{now:%y%m%d}{secrets.token_hex(6).upper()}",
        expires_at=now + (EXPIRES_AFTER_TRANSFER if gateway == Gateway.VIETQR else EXPIRES_AFTER),
        payer_name=payer_name[:200],
        seller_name=seller_name[:255],
    )


def _flag(payment: Payment, reason: str) -> None:
    payment.flagged = True
    payment.flag_reason = reason[:255]
    payment.save(update_fields=["flagged", "flag_reason"])


def payment_mark_paid(*, payment: Payment, gateway_transaction: str, amount_vnd: int) -> bool:
    """Mark the payment paid once, as a verified notification says; its purpose's handler runs
    in the same transaction and its receipt is made just after it commits. False when it was
    paid already (a replay), refunded, or the amount differs (the payment is then flagged and
    stays unpaid)."""
    from cityops.payments.tasks import issue_receipt

    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status not in PAYABLE:
            return False
        if amount_vnd != locked.amount_vnd:
            _flag(locked, f"amount {amount_vnd} ≠ {locked.amount_vnd}")
            return False
        if locked.status == PaymentStatus.EXPIRED:
            _flag(locked, "paid after it expired")
        locked.status = PaymentStatus.PAID
        locked.gateway_transaction = gateway_transaction[:60]
        locked.paid_at = clock.now()
        locked.save(update_fields=["status", "gateway_transaction", "paid_at"])
        hooks.paid(locked)
        transaction.on_commit(lambda: issue_receipt.enqueue(payment_id=locked.pk))
    payment.refresh_from_db()
    return True


def payment_mark_failed(*, payment: Payment, reason: str = "") -> bool:
    """A gateway's final refusal: a waiting payment fails (the payer may start a new one)."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status not in (PaymentStatus.CREATED, PaymentStatus.PENDING):
            return False
        locked.status = PaymentStatus.FAILED
        locked.save(update_fields=["status"])
    payment.refresh_from_db()
    return True


def payment_refund(*, payment: Payment, actor: User, reason: str) -> Payment:
    """Staff record that a paid fee was refunded (the money goes back through the gateway's own
    merchant portal); the receipt stays, numbered, with the payment now refunded."""
    if not reason.strip():
        raise InvalidInput("Say why the fee is refunded.")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != PaymentStatus.PAID:
            raise InvalidInput("Only a paid payment can be refunded.")
        locked.status = PaymentStatus.REFUNDED
        locked.save(update_fields=["status"])
        Notification.objects.create(
            payment=locked,
            gateway=locked.gateway,
            kind="refund",
            payload={"by": actor.get_username(), "reason": reason.strip()[:500]},
            signature_valid=True,
            outcome="refunded",
        )
    return locked


def payment_confirm_transfer(
    *, payment: Payment, statement_line: dict[str, Any], actor: User | None = None
) -> Outcome:
    """A bank transfer (VietQR) seen on the bank's statement: ``statement_line`` carries its
    ``amount_vnd`` and ``bank_reference`` (and whatever else the line says, kept as evidence)."""
    try:
        amount = int(statement_line["amount_vnd"])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput("The statement line has no amount in đồng.") from error
    verdict = Verdict(
        signature_valid=True,
        txn_ref=payment.txn_ref,
        amount_vnd=amount,
        paid=True,
        gateway_transaction=str(statement_line.get("bank_reference", ""))[:60],
    )
    payload = {**statement_line, "confirmed_by": actor.get_username() if actor else "import"}
    return _apply(payment=payment, verdict=verdict, kind="statement", payload=payload)


def notification_receive(*, gateway: Gateway | str, payload: dict[str, Any]) -> Outcome:
    """A gateway's server notification (IPN): checked, kept, and applied at most once."""
    verdict = adapter_for(gateway).verify(payload)
    payment = Payment.objects.filter(txn_ref=verdict.txn_ref, gateway=gateway).first()
    if not verdict.signature_valid:
        _keep(gateway, "ipn", payload, payment, False, Outcome.BAD_SIGNATURE)
        return Outcome.BAD_SIGNATURE
    if payment is None:
        _keep(gateway, "ipn", payload, None, True, Outcome.UNKNOWN_PAYMENT)
        return Outcome.UNKNOWN_PAYMENT
    return _apply(payment=payment, verdict=verdict, kind="ipn", payload=payload)


def payment_query(*, payment: Payment) -> Outcome | None:
    """Ask the gateway about a waiting payment and apply its answer (None: no answer)."""
    try:
        verdict = adapter_for(payment.gateway).query(payment)
    except GatewayError:
        logger.warning("status query of %s failed", payment.txn_ref, exc_info=True)
        return None
    if verdict is None:
        return None
    payload = {
        "code": verdict.code,
        "amount_vnd": verdict.amount_vnd,
        "paid": verdict.paid,
        "transaction": verdict.gateway_transaction,
    }
    if not verdict.signature_valid:
        _keep(payment.gateway, "query", payload, payment, False, Outcome.BAD_SIGNATURE)
        return Outcome.BAD_SIGNATURE
    return _apply(payment=payment, verdict=verdict, kind="query", payload=payload)


def payment_return_seen(*, payment: Payment | None, gateway: str, payload: dict) -> None:
    """The browser came back from the gateway: kept as evidence, never acted upon (a return
    naming no payment of ours is not kept: anyone can type one)."""
    if payment is not None:
        _keep(gateway, "return", payload, payment, False, Outcome.RETURNED)


def payments_expire() -> int:
    """Waiting payments past their time expire, unless the gateway's query says they were
    paid (or failed). A success notified later is still taken, and flagged. Returns how many
    expired."""
    expired = 0
    due = Payment.objects.filter(
        status__in=(PaymentStatus.CREATED, PaymentStatus.PENDING), expires_at__lt=clock.now()
    )
    for payment in due.order_by("pk")[:500]:
        outcome = payment_query(payment=payment)
        if outcome in (Outcome.PAID, Outcome.FAILED):
            continue
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            if locked.status in (PaymentStatus.CREATED, PaymentStatus.PENDING):
                locked.status = PaymentStatus.EXPIRED
                locked.save(update_fields=["status"])
                expired += 1
    return expired


def _apply(*, payment: Payment, verdict: Verdict, kind: str, payload: dict) -> Outcome:
    outcome = _outcome(payment, verdict)
    _keep(payment.gateway, kind, payload, payment, True, outcome)
    return outcome


def _outcome(payment: Payment, verdict: Verdict) -> Outcome:
    if verdict.amount_vnd is not None and verdict.amount_vnd != payment.amount_vnd:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            _flag(locked, f"amount {verdict.amount_vnd} ≠ {locked.amount_vnd} ({verdict.code})")
        payment.refresh_from_db()
        return Outcome.AMOUNT_MISMATCH
    if verdict.paid is None:
        return Outcome.NOT_FINAL
    if verdict.paid:
        done = payment_mark_paid(
            payment=payment,
            gateway_transaction=verdict.gateway_transaction,
            amount_vnd=verdict.amount_vnd if verdict.amount_vnd is not None else -1,
        )
        return Outcome.PAID if done else Outcome.REPLAYED
    return Outcome.FAILED if payment_mark_failed(payment=payment) else Outcome.REPLAYED


def _keep(
    gateway: str, kind: str, payload: dict, payment: Payment | None, valid: bool, outcome: Outcome
) -> None:
    Notification.objects.create(
        payment=payment,
        gateway=gateway,
        kind=kind,
        payload=payload,
        signature_valid=valid,
        outcome=outcome,
    )
