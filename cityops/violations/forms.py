"""Forms of the violation pages (officers' workspace, public lookup, dashboard): input parsing
only; what a step may do is the services' decision."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.violations.choices import CaseStatus, Rule

NOTE_MAX = 2000
REASON_MAX = 300  # Case.rejection_reason
OWNER_NAME_MAX = 200
OWNER_ADDRESS_MAX = 300
PLATE_SEARCH_MAX = 20
# The largest amount a payment may record: above every fine band of the decrees (VND).
AMOUNT_MAX = 2_000_000_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CameraChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class CaseFilterForm(forms.Form):
    """The case list's filters; a wrong field is shown and does not filter."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CaseStatus.choices]
    )
    rule = forms.ChoiceField(
        label=_("Violation"), required=False, choices=[("", _("Any violation")), *Rule.choices]
    )
    plate = forms.CharField(
        label=_("Number plate"),
        required=False,
        max_length=PLATE_SEARCH_MAX,
        help_text=_("All or the start of it, e.g. 75A-123"),
        widget=forms.TextInput(attrs={"type": "search", "autocapitalize": "characters"}),
    )
    camera = CameraChoiceField(
        label=_("Camera"),
        required=False,
        queryset=Sensor.objects.filter(kind=SensorKind.CAMERA).order_by("name"),
        empty_label=_("Any camera"),
        to_field_name="code",
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"]
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"]
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The last day comes after the first."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """What the list is narrowed by: the selector's keywords and the observed period
        (``since`` included, ``until`` excluded)."""
        if not self.is_bound or not self.is_valid():
            data: dict[str, Any] = {
                name: value
                for name, value in getattr(self, "cleaned_data", {}).items()
                if name not in self.errors
            }
        else:
            data = self.cleaned_data
        first, last = data.get("date_from"), data.get("date_to")
        if "date_from" in self.errors or "date_to" in self.errors:
            first = last = None  # a wrong period narrows nothing
        return {
            "status": data.get("status") or None,
            "rule": data.get("rule") or None,
            "plate": (data.get("plate") or "").strip() or None,
            "camera": data.get("camera"),
            "since": _day_start(first) if first else None,
            "until": _day_start(last + timedelta(days=1)) if last else None,
        }


class NoteForm(forms.Form):
    """Review, confirm, close: an optional note kept in the case's audit trail."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the case is rejected"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the case is rejected.")},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Say why the case is rejected."))
        return reason


class OwnerForm(forms.Form):
    """The registered owner, as the vehicle register gives them."""

    name = forms.CharField(
        label=_("Owner's name"),
        max_length=OWNER_NAME_MAX,
        error_messages={"required": _("Enter the owner's name from the vehicle register.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Owner's address"),
        max_length=OWNER_ADDRESS_MAX,
        error_messages={"required": _("Enter the owner's address from the vehicle register.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PaymentForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount paid (VND)"),
        min_value=1,
        max_value=AMOUNT_MAX,
        error_messages={
            "required": _("Enter the amount paid, in đồng."),
            "invalid": _("Enter the amount as a whole number of đồng, e.g. 4000000."),
            "min_value": _("The amount must be more than 0 đồng."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )


class ContestForm(forms.Form):
    note = forms.CharField(
        label=_("What the person contests"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what is contested and by whom.")},
    )

    def clean_note(self) -> str:
        note = str(self.cleaned_data["note"]).strip()
        if not note:
            raise forms.ValidationError(_("Say what is contested and by whom."))
        return note


class IssueForm(forms.Form):
    """Issuing the notice asks for nothing: the case says everything."""


class LookupForm(forms.Form):
    """The public lookup: the case number and the secret code printed on the notice."""

    number = forms.CharField(
        label=_("Case number"),
        max_length=20,
        help_text=_("As printed on the notice"),
        error_messages={"required": _("Enter the case number printed on the notice.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    code = forms.CharField(
        label=_("Lookup code"),
        max_length=16,
        help_text=_("The code printed next to the QR code"),
        error_messages={"required": _("Enter the lookup code printed on the notice.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip().upper()

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


PERIOD_DAYS = (7, 30, 90, 365)
DEFAULT_DAYS = 30


class PeriodForm(forms.Form):
    """The dashboard's period: the last 7, 30, 90 or 365 days."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        required=False,
        initial=DEFAULT_DAYS,
        choices=[
            (7, _("Last 7 days")),
            (30, _("Last 30 days")),
            (90, _("Last 90 days")),
            (365, _("Last 12 months")),
        ],
    )

    def chosen_days(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("days"):
            return int(self.cleaned_data["days"])
        return DEFAULT_DAYS


REGION_KINDS = [("face", _("Face")), ("plate", _("Number plate")), ("manual", _("Other"))]


class BlurEditForm(forms.Form):
    """A frame's blur regions: those kept (unticked ones are removed) and one drawn by hand,
    in the original image's pixels."""

    keep = forms.TypedMultipleChoiceField(
        label=_("Regions to keep blurred"), coerce=int, required=False, choices=()
    )
    x = forms.IntegerField(label=_("Left (px)"), required=False, min_value=0)
    y = forms.IntegerField(label=_("Top (px)"), required=False, min_value=0)
    width = forms.IntegerField(label=_("Width (px)"), required=False, min_value=1)
    height = forms.IntegerField(label=_("Height (px)"), required=False, min_value=1)
    kind = forms.ChoiceField(label=_("What it hides"), choices=REGION_KINDS, initial="face")

    def __init__(self, *args: Any, regions: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = regions
        keep = self.fields["keep"]
        assert isinstance(keep, forms.TypedMultipleChoiceField)
        keep.choices = [
            (
                index,
                _("%(kind)s at %(x)s, %(y)s (%(width)s × %(height)s px)")
                % {
                    "kind": dict(REGION_KINDS).get(str(region.get("kind")), region.get("kind")),
                    "x": region.get("x"),
                    "y": region.get("y"),
                    "width": region.get("width"),
                    "height": region.get("height"),
                },
            )
            for index, region in enumerate(regions)
        ]
        keep.widget = forms.CheckboxSelectMultiple()
        self.initial.setdefault("keep", list(range(len(regions))))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        box = [cleaned.get(name) for name in ("x", "y", "width", "height")]
        if any(value is not None for value in box) and any(value is None for value in box):
            raise forms.ValidationError(
                _("A new region needs its left, top, width and height; or leave all four empty.")
            )
        return cleaned

    def chosen(self) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """The regions kept, and the one added (None if none), as ``Region.as_dict`` writes."""
        data = self.cleaned_data
        kept = [self.regions[index] for index in data.get("keep") or []]
        if data.get("x") is None:
            return kept, None
        added = {
            "x": data["x"],
            "y": data["y"],
            "width": data["width"],
            "height": data["height"],
            "kind": data["kind"],
            "source": "operator",
        }
        return kept, added
