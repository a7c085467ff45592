"""The catalogue, edited in the admin, with its fees inline: a fee row already charged to an
application is never edited or deleted; a new fee table is a new row from a later date.
Applications are read-only here (staff act in the agency workspace)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityops.online.models import Application, ApplicationEvent, Fee, OnlineService
from cityops.online.selectors import fees_used


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 1

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Fees with applications charged are shown read-only by FeeAdmin; inline rows of a
        # used service cannot be told apart here, so the inline only adds new rows.
        if obj is not None and obj.applications.filter(fee_vnd__gt=0).exists():
            return ["valid_from", "amount_vnd", "legal_basis"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.applications.filter(fee_vnd__gt=0).exists():
            return False
        return super().has_delete_permission(request, obj)


class NewFeeInline(admin.TabularInline):
    """New fee rows for a service whose fees were used: the old rows stay as they were."""

    model = Fee
    extra = 1
    verbose_name_plural = _("new fees, from a later date")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).none()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OnlineService)
class OnlineServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "agency", "processing_days", "is_active"]
    list_filter = ["is_active", "agency"]
    search_fields = ["name", "code", "procedure_code"]
    prepopulated_fields = {"code": ["name"]}

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[type]:
        if obj is not None and obj.applications.filter(fee_vnd__gt=0).exists():
            return [FeeInline, NewFeeInline]
        return [FeeInline]


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    list_display = ["service", "valid_from", "amount_vnd", "legal_basis"]
    list_filter = ["service"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and fees_used(fee=obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and fees_used(fee=obj):
            return False
        return super().has_delete_permission(request, obj)


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "text"]
    readonly_fields = ["created_at", "kind", "actor", "text"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["number", "service", "status", "submitted_at", "due_at", "finished_at"]
    list_filter = ["status", "service__agency"]
    search_fields = ["number"]
    inlines = [EventInline]
    readonly_fields = [
        "number", "service", "applicant", "status", "details", "fee_vnd", "payment",
        "submitted_at", "due_at", "finished_at", "result",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
