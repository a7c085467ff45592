"""A payment's gateway and state."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gateway(models.TextChoices):
    VNPAY = "vnpay", _("VNPay")
    MOMO = "momo", _("MoMo")
    VIETQR = "vietqr", _("Bank transfer (VietQR)")


class PaymentStatus(models.TextChoices):
    """created → pending → paid / failed / expired; paid → refunded."""

    CREATED = "created", _("Created")
    PENDING = "pending", _("Waiting for the payment")
    PAID = "paid", pgettext_lazy("payment", "Paid")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")


class Outcome(models.TextChoices):
    """What a notification (or a query answer) did, as kept in ``Notification.outcome``."""

    PAID = "paid", _("Marked paid")
    FAILED = "failed", _("Marked failed")
    REPLAYED = "replayed", _("Already settled: nothing changed")
    BAD_SIGNATURE = "bad_signature", _("Invalid signature: refused")
    UNKNOWN_PAYMENT = "unknown_payment", _("No such payment")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount differs: refused and flagged")
    NOT_FINAL = "not_final", _("No final answer yet")
    RETURNED = "returned", _("The payer came back (nothing changed)")


SETTLED = (
    PaymentStatus.PAID,
    PaymentStatus.FAILED,
    PaymentStatus.EXPIRED,
    PaymentStatus.REFUNDED,
)
