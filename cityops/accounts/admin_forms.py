"""The admin's user and group forms in the reader's language.

Django writes two things in English whatever the language: the names of permissions, stored as
text when the tables are made ("Can add report"), and the warning under "Password-based
authentication" on the password page. Both are given here from translated messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AdminPasswordChangeForm as DjangoAdminPasswordChangeForm
from django.contrib.auth.forms import SetUnusablePasswordMixin
from django.contrib.auth.models import Permission
from django.db.models import ManyToManyField
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Django's four default permissions, by the start of their codename.
DEFAULT_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """ "Phản ánh hiện trường | phản ánh | Được thêm phản ánh": app, model, then what it allows."""
    model_class = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    name = permission.name
    if (
        model_class is not None
        and action in DEFAULT_ACTIONS
        and model_name == model_class._meta.model_name
    ):
        name = DEFAULT_ACTIONS[action] % {"model": model_class._meta.verbose_name}
    return f"{permission.content_type} | {name}"


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


class TranslatedPermissions:
    """For a ModelAdmin with a ``permissions`` or ``user_permissions`` many-to-many field."""

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.related_model is Permission:
            kwargs["form_class"] = PermissionsField
            kwargs.setdefault("queryset", Permission.objects.select_related("content_type"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


def _password_help() -> str:
    return format_html(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        gettext("If disabled, the current password for this user will be lost."),
    )


class AdminPasswordChangeForm(DjangoAdminPasswordChangeForm):
    usable_password_help_text = lazy(_password_help, str)()
