"""Addresses in the payments app, resolved defensively: the payments part names its pages.

Assumed names (docs/online-services-catalogue.md, "Payment"): ``payments:pay`` with the
payment's pk (the page where the payer chooses a gateway and pays) and ``payments:receipt``
with the receipt's ``verification_code`` (the receipt's page). Until they exist, None: the
pages say the payment page is not available.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from cityops.payments.models import Payment, Receipt


def payment_page_url(payment: Payment | None) -> str | None:
    if payment is None:
        return None
    try:
        return reverse("payments:pay", args=[payment.pk])
    except NoReverseMatch:
        return None


def receipt_url(payment: Payment | None) -> str | None:
    if payment is None:
        return None
    receipt = Receipt.objects.filter(payment=payment).first()
    if receipt is None:
        return None
    try:
        return reverse("payments:receipt", args=[receipt.verification_code])
    except NoReverseMatch:
        return None
