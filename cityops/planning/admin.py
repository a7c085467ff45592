"""Admin: layers are edited here (publishing one, its description); imports and zones are
read only — zones change by importing a file (the console, or ``manage.py planning_import``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cityops.planning.models import Layer, LayerImport, Zone


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "decision_number", "decision_date", "zone_count",
                    "is_published")  # fmt: skip
    list_filter = ("is_published",)
    search_fields = ("title", "slug", "plan_name", "decision_number")
    readonly_fields = ("zone_count", "min_lon", "min_lat", "max_lon", "max_lat", "created_at",
                       "updated_at")  # fmt: skip


@admin.register(LayerImport)
class LayerImportAdmin(ReadOnly):
    list_display = ("file_name", "layer", "status", "total", "done", "imported", "created_at")
    list_filter = ("status", "source_crs")
    list_select_related = ("layer",)
    exclude = ("file",)  # a stored upload, not a link to hand out


@admin.register(Zone)
class ZoneAdmin(ReadOnly):
    list_display = ("use_code", "use_name", "zone_code", "layer")
    list_filter = ("layer", "use_code")
    search_fields = ("use_code", "use_name", "zone_code")
    list_select_related = ("layer",)
    exclude = ("geometry",)  # thousands of coordinates; the map shows it
    show_full_result_count = False
