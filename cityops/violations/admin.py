"""Admin: cameras' clock offsets are configuration; detections, cases, their evidence and steps
are read here only (a case changes through the officers' steps, its evidence never). Owners'
data is not shown: administrators see cases without it, like the other IOC readers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cityops.violations.models import CameraClock, Case, CaseStep, Detection, Evidence
from cityops.violations.selectors import OWNER_FIELDS


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nothing is added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CameraClock)
class CameraClockAdmin(admin.ModelAdmin):
    list_display = ("camera", "offset_seconds", "checked_at")
    search_fields = ("camera__code", "camera__name")
    raw_id_fields = ("camera",)


@admin.register(Detection)
class DetectionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "camera", "rule", "plate_text", "status", "refusal_code", "received_at")
    list_filter = ("status", "rule", "refusal_code")
    search_fields = ("plate_text", "camera__code")
    date_hierarchy = "received_at"
    exclude = ("payload",)  # file names in restricted storage, nothing to read here


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ("position", "kind", "content_type", "size", "sha256", "chain_hash", "created_at")
    readonly_fields = fields
    ordering = ("position",)


class CaseStepInline(ReadOnlyInline):
    model = CaseStep
    fields = ("created_at", "action", "actor", "from_status", "to_status", "note")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "plate", "rule", "status", "camera", "observed_at")
    list_filter = ("status", "rule", "vehicle_type")
    search_fields = ("number", "plate")
    date_hierarchy = "observed_at"
    exclude = (*OWNER_FIELDS, "lookup_code")
    inlines = (EvidenceInline, CaseStepInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        return super().get_queryset(request).select_related("camera").defer(*OWNER_FIELDS)
