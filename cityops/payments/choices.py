"""A payment's gateway and state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gateway(models.TextChoices):
    VNPAY = "vnpay", _("VNPay")
    MOMO = "momo", _("MoMo")
    VIETQR = "vietqr", _("Bank transfer (VietQR)")


class PaymentStatus(models.TextChoices):
    """created → pending → paid / failed / expired; paid → refunded."""

    CREATED = "created", _("Created")
    PENDING = "pending", _("Waiting for the payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")
