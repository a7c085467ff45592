"""Admin: the registry of indicators is edited here; uploads and their figures are read only
(a figure is what a department reported: a correction is a new upload, never an edit)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from cityops.indicators.models import Indicator, Upload, Value


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "sector",
        "unit",
        "direction",
        "baseline_value",
        "target_value",
        "target_year",
        "frequency",
        "department",
    )
    list_filter = ("sector", "frequency", "direction", "department")
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("department",)


class ReadOnly(admin.ModelAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Upload)
class UploadAdmin(ReadOnly):
    list_display = ("created_at", "source", "__str__", "rows_accepted", "rows_total", "uploaded_by")
    list_filter = ("source",)
    search_fields = ("file_name", "url", "sha256")


@admin.register(Value)
class ValueAdmin(ReadOnly):
    list_display = ("indicator", "period", "area", "value", "upload", "row")
    list_filter = ("indicator",)
    list_select_related = ("indicator", "area", "upload")
