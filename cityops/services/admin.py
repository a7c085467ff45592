"""Admin: the registry (offices, desks, officers, procedures) is edited here, and imported
from CSV by an admin page per kind; dossiers and ratings are read only (a rating is what a
citizen said, not something staff edit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityops.services.models import Desk, Dossier, Office, Officer, Procedure, Rating
from cityops.services.registry import COLUMNS, ImportRefused, registry_import

CSV_MAX_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file (UTF-8)"))


class ImportsCsv(admin.ModelAdmin):
    """An "Import CSV" page next to the changelist."""

    kind = ""
    change_list_template = "services/admin/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        meta = self.model._meta
        name = f"{meta.app_label}_{meta.model_name}_import"
        return [
            path("import/", self.admin_site.admin_view(self.import_csv), name=name),
            *super().get_urls(),
        ]

    def import_csv(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > CSV_MAX_BYTES:
                errors = [_("The file is too large (at most 2 MB).")]
            else:
                try:
                    done = registry_import(
                        kind=self.kind, text=upload.read().decode("utf-8-sig", "replace")
                    )
                except ImportRefused as refused:
                    errors = refused.errors
                else:
                    messages.success(
                        request,
                        _("%(created)d created, %(updated)d updated.")
                        % {"created": done.created, "updated": done.updated},
                    )
                    return HttpResponseRedirect("../")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "columns": COLUMNS[self.kind],
            "title": _("Import from CSV"),
        }
        return TemplateResponse(request, "services/admin/import.html", context)


class DeskInline(admin.TabularInline):
    model = Desk
    extra = 0
    readonly_fields = ("key",)


@admin.register(Office)
class OfficeAdmin(ImportsCsv):
    kind = "offices"
    list_display = ("name", "code", "agency", "area", "is_active")
    list_filter = ("is_active", "agency")
    search_fields = ("name", "code")
    inlines = [DeskInline]


@admin.register(Desk)
class DeskAdmin(ImportsCsv):
    kind = "desks"
    list_display = ("name", "code", "office", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code", "office__name")
    readonly_fields = ("key",)


@admin.register(Officer)
class OfficerAdmin(ImportsCsv):
    kind = "officers"
    list_display = ("name", "staff_code", "office", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "staff_code")


@admin.register(Procedure)
class ProcedureAdmin(ImportsCsv):
    kind = "procedures"
    list_display = ("code", "name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnly):
    list_display = ("number", "desk", "procedure", "officer", "issued_at")
    search_fields = ("number",)


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = ("office", "desk", "level", "via", "created_at")
    list_filter = ("level", "via")
