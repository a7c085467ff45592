"""Addresses in the payments app that the online services' pages link to: where the applicant
pays an application's fee, and its receipt's page."""

from __future__ import annotations

from django.urls import reverse

from cityops.payments.models import Payment, Receipt


def payment_page_url(payment: Payment | None) -> str | None:
    """The pay page (the gateway, or the VietQR code) of a payment not yet paid."""
    if payment is None:
        return None
    return reverse("payments:pay", args=[payment.txn_ref])


def receipt_url(payment: Payment | None) -> str | None:
    """The receipt's check page, once the receipt is issued."""
    if payment is None:
        return None
    receipt = Receipt.objects.filter(payment=payment).first()
    if receipt is None:
        return None
    return reverse("payments:receipt", args=[receipt.verification_code])
