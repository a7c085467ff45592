from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from cityops.accounts.admin_forms import AdminPasswordChangeForm, TranslatedPermissions
from cityops.accounts.models import ApiKey, IdentityAccess, SavedView, User
from cityops.accounts.names import name_tidy
from cityops.accounts.phones import phone_clean


class UserChangeForm(DjangoUserChangeForm):
    """Django's form, storing the name tidied and the phone number in its national form."""

    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}

    def clean_full_name(self) -> str:
        return name_tidy(self.cleaned_data.get("full_name") or "")

    def clean_phone(self) -> str | None:
        phone = self.cleaned_data.get("phone")
        return phone_clean(phone) if phone else None


@admin.register(User)
class UserAdmin(TranslatedPermissions, DjangoUserAdmin):
    list_display = (
        "username",
        "full_name",
        "email",
        "phone",
        "role",
        "agency",
        "is_agency_lead",
        "is_active",
    )
    list_filter = ("role", "is_agency_lead", "is_active", "is_demo")
    search_fields = ("username", "email", "phone", "full_name")
    autocomplete_fields = ("agency",)
    # Django's, with one name in the Vietnamese order instead of "first name" and "last name".
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (_("CityOps"), {"fields": ("role", "phone", "agency", "is_agency_lead", "is_demo")}),
    )
    form = UserChangeForm
    change_password_form = AdminPasswordChangeForm


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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(TranslatedPermissions, DjangoGroupAdmin):
    """Django's, with the permissions named in the reader's language."""
