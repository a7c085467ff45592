"""Reads of payments for the pages."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from cityops.payments.models import Payment, Receipt, Reconciliation


def payments_for_console(
    *,
    status: str = "",
    gateway: str = "",
    flagged: bool = False,
    day: date | None = None,
    query: str = "",
) -> QuerySet[Payment]:
    payments = Payment.objects.select_related("receipt").order_by("-created_at")
    if status:
        payments = payments.filter(status=status)
    if gateway:
        payments = payments.filter(gateway=gateway)
    if flagged:
        payments = payments.filter(flagged=True)
    if day:
        payments = payments.filter(created_at__date=day)
    if query:
        payments = payments.filter(txn_ref__icontains=query) | payments.filter(
            reference__icontains=query
        )
    return payments


def payment_for_staff(*, pk: int) -> Payment | None:
    return Payment.objects.select_related("receipt").filter(pk=pk).first()


def payment_by_ref(*, txn_ref: str) -> Payment | None:
    return Payment.objects.select_related("receipt").filter(txn_ref=txn_ref).first()


def reconciliations_recent(*, limit: int = 14) -> QuerySet[Reconciliation]:
    return Reconciliation.objects.order_by("-day", "gateway")[:limit]


def receipt_by_code(*, code: str) -> Receipt | None:
    return Receipt.objects.select_related("payment").filter(verification_code=code).first()


def receipt_of(*, purpose: str, reference: str) -> Receipt | None:
    """The receipt of the paid payment of a purpose's thing (for the portal's download)."""
    return (
        Receipt.objects.select_related("payment")
        .filter(payment__purpose=purpose, payment__reference=reference)
        .order_by("-issued_at")
        .first()
    )
