"""Admin for the configuration models; reports themselves change only through the workflow."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from cityops.accounts.models import IdentityAccess
from cityops.accounts.services import identity_access_record
from cityops.platform.http import client_ip
from cityops.reports.models import Category, DeadlinePolicy, Report, ReportEvent, RoutingRule


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "ack_minutes",
        "urgent_hours",
        "normal_days",
        "complex_days",
        "is_default",
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "name_en",
        "default_priority",
        "deadline_policy",
        "is_active",
        "position",
    )
    list_editable = ("position",)
    list_filter = ("is_active", "default_priority")
    search_fields = ("code", "name", "name_en")


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "area", "agency", "to_area_committee")
    list_filter = ("category", "to_area_committee")
    autocomplete_fields = ("area", "agency")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reports and their timeline are read here; every change goes through the workflow."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "visibility", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "category",
        "status",
        "priority",
        "channel",
        "area",
        "agency",
        "submitted_at",
        "due_at",
        "is_demo",
    )
    list_filter = ("status", "priority", "channel", "category", "is_demo")
    search_fields = ("title", "description", "address")
    date_hierarchy = "submitted_at"
    list_select_related = ("category", "area", "agency")
    inlines = [ReportEventInline]

    @admin.display(description=_("report number"), ordering="pk")
    def number(self, report: Report) -> str:
        return f"#{report.pk}"

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Report | None = None,
    ) -> HttpResponse:
        # The page shows the reporter and the contact details: the read is logged.
        if obj is not None:
            identity_access_record(
                user=request.user,  # type: ignore[arg-type]
                what=IdentityAccess.What.ADMIN,
                report=obj,
                ip=client_ip(request),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
