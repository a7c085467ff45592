"""Forms of the console's alarm panel and bulletin editor (input parsing only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cityops.accounts.models import User
from cityops.agencies.models import Area
from cityops.alerts.choices import (
    AlarmState,
    BulletinKind,
    CapCertainty,
    CapSeverity,
    CapUrgency,
    Severity,
)
from cityops.alerts.selectors import alarm_assignees
from cityops.alerts.services import AlarmReportDefaults
from cityops.platform.errors import InvalidInput
from cityops.platform.http import MalformedJSON, json_parse
from cityops.reports.choices import Priority
from cityops.reports.models import Category

ALL = "all"


class AlarmFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[*AlarmState.choices, (ALL, _("All"))],
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("Any severity")), *Severity.choices],
    )

    def params(self) -> dict[str, str]:
        """The filters to apply; bad values fall back to the defaults."""
        if not self.is_valid():
            return {"state": AlarmState.ACTIVE, "severity": ""}
        state = self.cleaned_data["state"] or AlarmState.ACTIVE
        return {"state": "" if state == ALL else state, "severity": self.cleaned_data["severity"]}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    assignee = AssigneeChoiceField(
        label=_("Operator"), queryset=User.objects.none(), empty_label=_("Choose an operator")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = alarm_assignees()


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from django.utils import translation

        if translation.get_language() == "en" and obj.name_en:
            return str(obj.name_en)
        return str(obj.name)


class ToReportForm(forms.Form):
    category = CategoryChoiceField(
        label=_("Category of the report"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=None,
    )
    priority = forms.ChoiceField(label=_("Priority of the report"), choices=Priority.choices)
    note = forms.CharField(
        label=_("Add to the description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @staticmethod
    def preset(defaults: AlarmReportDefaults) -> dict[str, Any]:
        """The choices the alarm's rule maps to (the category's usual priority if it names
        none), as the form's data or initial values."""
        category = defaults.category
        usual = category.default_priority if category else Priority.NORMAL
        return {"category": category.pk if category else "", "priority": defaults.priority or usual}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of warning"), choices=BulletinKind.choices)
    headline = forms.CharField(label=_("Headline"), max_length=300)
    description = forms.CharField(
        label=_("What is happening"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    instruction = forms.CharField(
        label=_("What people should do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=CapSeverity.choices, initial=CapSeverity.MODERATE
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=CapUrgency.choices, initial=CapUrgency.EXPECTED
    )
    certainty = forms.ChoiceField(
        label=_("Certainty"), choices=CapCertainty.choices, initial=CapCertainty.LIKELY
    )
    onset = forms.DateTimeField(
        label=_("Valid from (optional)"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    expires = forms.DateTimeField(
        label=_("Valid until"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas (wards and communes)"),
        queryset=Area.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    area_description = forms.CharField(
        label=_("Area, in words"),
        required=False,
        max_length=1000,
        help_text=_("E.g. low-lying wards along the Hương and Bồ rivers."),
    )
    geometry = forms.CharField(
        label=_("Area polygon, GeoJSON (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("A Polygon or FeatureCollection in longitude, latitude."),
    )
    web = forms.URLField(
        label=_("Link to more information (optional)"), required=False, assume_scheme="https"
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=settings.LANGUAGES, initial="vi"
    )

    def clean_geometry(self) -> dict[str, Any] | None:
        text = self.cleaned_data.get("geometry", "").strip()
        if not text:
            return None
        try:
            value = json_parse(text)  # depth-limited: a deeply nested text is refused, not a 500
        except MalformedJSON:
            raise forms.ValidationError(_("This is not valid JSON.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give a GeoJSON object."))
        return value


def show_domain_problems(
    form: forms.Form, invalid: InvalidInput, aliases: Mapping[str, str] | None = None
) -> None:
    """Put the domain's problems on ``form``: on their field when it has one, else on top."""
    for name, messages in (invalid.fields or {"": [invalid.message]}).items():
        target = (aliases or {}).get(name, name)
        form.add_error(target if target in form.fields else None, " ".join(messages))
