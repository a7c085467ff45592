from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cityops.monitoring.models import LatestReading, Reading, Sensor


@admin.register(Sensor)
class SensorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "area", "is_active", "is_simulated", "last_seen_at")
    list_filter = ("kind", "is_active", "is_simulated")
    search_fields = ("code", "name")
    autocomplete_fields = ("area",)
    readonly_fields = ("last_seen_at", "created_at", "updated_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Readings arrive through the ingest only; the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Reading)
class ReadingAdmin(ReadOnlyAdmin):
    list_display = ("sensor", "metric", "observed_at", "value", "received_at")
    list_filter = ("metric",)
    search_fields = ("sensor__code",)
    list_select_related = ("sensor",)
    date_hierarchy = "observed_at"
    show_full_result_count = False  # counting millions of readings on every page is slow


@admin.register(LatestReading)
class LatestReadingAdmin(ReadOnlyAdmin):
    list_display = ("sensor", "metric", "observed_at", "value")
    list_filter = ("metric",)
    list_select_related = ("sensor",)
