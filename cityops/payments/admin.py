"""Admin: payments, notifications, receipts and reconciliations are read only here (a payment
changes state through the gateways and the console's services, never by hand)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cityops.payments.models import Notification, Payment, Receipt, Reconciliation


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = (
        "txn_ref",
        "purpose",
        "reference",
        "amount_vnd",
        "gateway",
        "status",
        "flagged",
        "created_at",
    )
    list_filter = ("status", "gateway", "flagged")
    search_fields = ("txn_ref", "reference", "gateway_transaction")


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("received_at", "gateway", "kind", "signature_valid", "outcome", "payment")
    list_filter = ("gateway", "kind", "signature_valid", "outcome")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnly):
    list_display = ("series", "number", "issued_at", "payment")
    search_fields = ("payment__txn_ref",)


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnly):
    list_display = ("day", "gateway", "source", "checked", "created_at")
    list_filter = ("gateway",)
