from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cityops.accounts.models import ApiKey, IdentityAccess, SavedView, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "phone", "role", "agency", "is_agency_lead", "is_active")
    list_filter = ("role", "is_agency_lead", "is_active", "is_demo")
    search_fields = ("username", "email", "phone", "first_name", "last_name")
    autocomplete_fields = ("agency",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("CityOps"), {"fields": ("role", "phone", "agency", "is_agency_lead", "is_demo")}),
    )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("name", "prefix")

    def has_add_permission(self, request: object) -> bool:
        # Keys are shown once at creation, which only `cityops apikey create` can do.
        return False


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "query", "created_at")
    search_fields = ("name", "user__username")
    list_select_related = ("user",)


@admin.register(IdentityAccess)
class IdentityAccessAdmin(admin.ModelAdmin):
    """Read-only: the log of who saw reporters' identities (docs/security.md)."""

    list_display = ("at", "username", "what", "report", "ip")
    list_filter = ("what",)
    search_fields = ("username", "report__id", "ip")
    date_hierarchy = "at"
    list_select_related = ("report",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
