"""Payments, the gateways' notifications about them, and the receipts of the paid ones."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityops.payments.choices import Gateway, PaymentStatus


class Payment(models.Model):
    """A fee to pay for something (``purpose`` and ``reference`` name it, e.g. ``online`` and an
    application's number), in whole đồng, through one gateway."""

    purpose = models.CharField(_("purpose"), max_length=40)
    reference = models.CharField(_("reference"), max_length=60)
    description = models.CharField(_("description"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("amount (đồng)"))
    gateway = models.CharField(_("gateway"), max_length=10, choices=Gateway.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    txn_ref = models.CharField(
        _("transaction reference"),
        max_length=40,
        unique=True,
        help_text=_("Our reference sent to the gateway (vnp_TxnRef, MoMo orderId, VietQR memo)."),
    )
    gateway_transaction = models.CharField(
        _("gateway's transaction number"), max_length=60, blank=True
    )
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    seller_name = models.CharField(
        _("seller"), max_length=255, blank=True, help_text=_("The agency collecting the fee.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reason = models.CharField(_("why flagged"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["purpose", "reference"])]

    def __str__(self) -> str:
        return self.txn_ref


class Notification(models.Model):
    """What a gateway told us (a server notification, a status query's answer or the browser's
    return), kept as received: append-only evidence for reconciliation."""

    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    gateway = models.CharField(_("gateway"), max_length=10, choices=Gateway.choices)
    kind = models.CharField(_("kind"), max_length=10)  # "ipn", "query", "return"
    payload = models.JSONField(_("payload"))
    signature_valid = models.BooleanField(_("signature valid"))
    outcome = models.CharField(_("outcome"), max_length=40)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gateway notification")
        verbose_name_plural = _("gateway notifications")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.kind} {self.outcome}"


class Receipt(models.Model):
    """The electronic receipt of a paid payment; numbers have no gaps within a series."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    series = models.CharField(_("series"), max_length=20)
    number = models.PositiveIntegerField(_("number"))
    issued_at = models.DateTimeField(pgettext_lazy("receipt", "issued at"))
    pdf = models.FileField(_("PDF"), upload_to="receipts/%Y/%m/", blank=True)
    xml = models.FileField(_("XML"), upload_to="receipts/%Y/%m/", blank=True)
    verification_code = models.CharField(_("verification code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="payments_receipt_number"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.number:07d}"


class ReceiptCounter(models.Model):
    """The last number given in a series, read and raised under a row lock."""

    series = models.CharField(_("series"), max_length=20, unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    def __str__(self) -> str:
        return f"{self.series}: {self.last}"


class Reconciliation(models.Model):
    """One day's comparison of our payments with one gateway's list: every difference found
    (``differences``: kind, txn_ref, ours, theirs), kept for the console."""

    day = models.DateField(_("day"))
    gateway = models.CharField(_("gateway"), max_length=10, choices=Gateway.choices)
    source = models.CharField(_("source"), max_length=40)  # "settlement file", "status queries"
    checked = models.PositiveIntegerField(_("payments checked"), default=0)
    differences = models.JSONField(_("differences"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ["-day", "gateway"]

    def __str__(self) -> str:
        return f"{self.day} {self.gateway}: {len(self.differences)}"
