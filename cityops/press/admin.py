"""Admin: sources and the watch list are configuration (the watch list saved through the service,
which writes the folded forms; a CSV import too); items and stories are evidence, read here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityops.press.models import Item, Mention, PressAlarm, Source, Story, StoryReport, WatchEntry
from cityops.press.services import watch_entries_import, watch_entry_save
from cityops.press.services.watch import WATCH_COLUMNS

WATCH_CSV_MAX_BYTES = 2 * 1024 * 1024


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "is_active",
        "poll_interval",
        "last_fetched_at",
        "next_poll_at",
        "consecutive_errors",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("name", "url")
    readonly_fields = (
        "etag",
        "last_modified",
        "consecutive_errors",
        "backoff_seconds",
        "last_error",
        "last_error_at",
        "last_polled_at",
        "last_fetched_at",
        "created_at",
    )
    actions = ("poll_now",)

    @admin.action(description=gettext_lazy("Poll at the next minute"))
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        count = queryset.update(next_poll_at=None)
        self.message_user(request, _("%(count)d source(s) will be polled.") % {"count": count})


class WatchCsvForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("Columns: kind, name, aliases (separated by |), area, agency."),
    )


@admin.register(WatchEntry)
class WatchEntryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_active", "area", "agency")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "aliases")
    readonly_fields = ("folded", "created_at")
    raw_id_fields = ("area", "agency")
    change_list_template = "admin/press/watchentry/change_list.html"

    def save_model(self, request: HttpRequest, obj: WatchEntry, form: Any, change: bool) -> None:
        watch_entry_save(entry=obj)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="press_watchentry_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = WatchCsvForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > WATCH_CSV_MAX_BYTES:
                form.add_error("file", _("The file is too large."))
            else:
                result = watch_entries_import(
                    content=upload.read().decode("utf-8-sig", errors="replace")
                )
                self.message_user(
                    request,
                    _("Watch list: %(created)d created, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                for problem in result.problems[:20]:
                    self.message_user(request, problem, level=messages.WARNING)
                return HttpResponseRedirect(reverse("admin:press_watchentry_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "columns": ", ".join(WATCH_COLUMNS),
            "title": _("Import the watch list"),
        }
        return TemplateResponse(request, "admin/press/watchentry/import.html", context)


class MentionInline(admin.TabularInline):
    model = Mention
    fields = ("entry", "matched_text", "part", "position", "occurrences")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "dated_at", "language", "tone", "category", "story")
    list_filter = ("source", "tone", "language")
    search_fields = ("title", "url")
    date_hierarchy = "dated_at"
    inlines = (MentionInline,)
    readonly_fields = tuple(
        field.name for field in Item._meta.fields if field.name not in ("signature",)
    )
    exclude = ("signature",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class StoryItemInline(admin.TabularInline):
    model = Item
    fields = ("title", "source", "dated_at", "tone", "url")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class StoryReportInline(admin.TabularInline):
    model = StoryReport
    fields = ("report", "origin", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = (
        "headline",
        "first_seen_at",
        "last_seen_at",
        "outlet_count",
        "item_count",
        "tone",
    )
    list_filter = ("tone",)
    search_fields = ("headline",)
    date_hierarchy = "last_seen_at"
    inlines = (StoryItemInline, StoryReportInline)
    readonly_fields = (
        "headline",
        "first_seen_at",
        "last_seen_at",
        "item_count",
        "outlet_count",
        "tone",
        "tone_confidence",
        "category",
        "area",
        "lat",
        "lon",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PressAlarm)
class PressAlarmAdmin(admin.ModelAdmin):
    list_display = ("alarm", "kind", "entry", "story", "value", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("alarm", "entry", "story")
    readonly_fields = ("alarm", "entry", "story", "kind", "value", "created_at")
