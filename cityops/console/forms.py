"""The console's forms: they parse and re-render input; the workflow decides.

Domain errors come back in English with a ``fields`` map; ``show_domain_problems`` puts them on
the form's fields in the operator's language (``DOMAIN_MESSAGES``), the domain's words only
where no translation is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityops.accounts.phones import PhoneField
from cityops.agencies.models import Agency, Area
from cityops.platform.errors import InvalidInput
from cityops.portal.forms import FILTER_MESSAGES as REPORT_FILTER_MESSAGES
from cityops.portal.forms import (
    CategoryChoiceField,
    PhotosField,
    ReportFilterForm,
    ReportIntakeForm,
    domain_problem_name,
    localized_name,
)
from cityops.reports.choices import Channel, Priority, RejectionReason, ReportStatus, Visibility
from cityops.reports.models import Category, Report
from cityops.reports.selectors import CONSOLE_ORDERS
from cityops.reports.visibility import PUBLISHED_AS_WRITTEN, PUBLISHED_AS_WRITTEN_IF_PUBLIC

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- the queue's filters (parsed by ReportFilter and StaffFilter, canonical names) -----------

# "Any status" has a value of its own: an empty one would be dropped from links and saved views.
ANY_STATUS = "all"
ORDER_LABELS = {"urgent": _("Urgent first"), "newest": _("Newest first")}

FILTER_MESSAGES = {
    **REPORT_FILTER_MESSAGES,
    "agency": _("Choose an agency from the list."),
    "priority": _("Choose a priority from the list."),
    "channel": _("Choose a channel from the list."),
}


def _everything() -> list[tuple[str, Any]]:
    return [("", pgettext_lazy("filter", "All"))]


class QueueFilterForm(ReportFilterForm):
    """The queue's filters, more of them than the public list's, and its order."""

    problem_messages = FILTER_MESSAGES
    field_order = [
        "q",
        "status",
        "category",
        "area",
        "agency",
        "priority",
        "channel",
        "submitted_from",
        "submitted_to",
        "overdue",
        "sort",
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("words, address")}),
    )
    status = forms.CharField(label=_("Status"), required=False, widget=forms.Select)
    agency = forms.CharField(label=_("Agency"), required=False, widget=forms.Select)
    priority = forms.CharField(label=_("Priority"), required=False, widget=forms.Select)
    channel = forms.CharField(label=_("Channel"), required=False, widget=forms.Select)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=list(ORDER_LABELS.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.choices = [
            (ANY_STATUS, pgettext_lazy("filter", "Any status")),
            ("open", pgettext_lazy("filter", "Still open")),
            *ReportStatus.choices,
            ("closed", pgettext_lazy("filter", "Resolved, closed or merged")),
            *self._other_statuses(),
        ]
        self.fields["priority"].widget.choices = _everything() + Priority.choices
        self.fields["channel"].widget.choices = _everything() + Channel.choices

    def _other_statuses(self) -> list[tuple[str, str]]:
        """A list of statuses from a link (the dashboard's figures) is shown as it is."""
        value = str(self.data.get("status", "")) if self.is_bound else ""
        parts = [part for part in value.split(",") if part]
        if len(parts) < 2 or not all(part in ReportStatus.values for part in parts):
            return []
        return [(value, ", ".join(str(ReportStatus(part).label) for part in parts))]

    def with_choices(self) -> QueueFilterForm:
        """Read the categories, areas and agencies offered (only for a page showing the form)."""
        everything = _everything()
        self.fields["category"].widget.choices = everything + [
            (category.code, localized_name(category)) for category in Category.objects.all()
        ]
        self.fields["area"].widget.choices = everything + [
            (area.code, area.name) for area in Area.objects.order_by("name")
        ]
        self.fields["agency"].widget.choices = everything + [
            (agency.code, localized_name(agency))
            for agency in Agency.objects.filter(is_active=True).order_by("name")
        ]
        return self

    def order(self) -> str:
        value = str(self.data.get("sort", ""))
        return value if value in CONSOLE_ORDERS else CONSOLE_ORDERS[0]


class SavedViewForm(forms.Form):
    name = forms.CharField(
        label=_("Name of this view"),
        max_length=80,
        error_messages={"required": _("Give the view a name.")},
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


# --- the triage panels -----------------------------------------------------------------------

# The domain's per-field problems, in the operator's words (its own messages are English).
DOMAIN_MESSAGES: dict[str, StrOrPromise] = {
    "reason": _("Give a reason."),
    "original": _("Choose the original report; it must not be rejected nor this report."),
    "agency": _("Choose an active agency."),
    "text": _("Write the note."),
    "result": _("Write the result."),
    "description": _("Describe the problem."),
    "category": _("This category no longer accepts reports: choose another."),
    "location": _("Choose the place on the map or type the address."),
    "outside_city": _(
        "This place is outside the city: choose a point within the city on the map, or type "
        "the address."
    ),
    "photos": _("One of the photos could not be used: choose JPEG, PNG or WebP photos."),
}
DOMAIN_FIELDS = {"location": "address"}


def show_domain_problems(form: forms.Form, invalid: InvalidInput) -> None:
    """Put the domain's problems on ``form``: on their field when it has one, else on top."""
    fields: Mapping[str, list[str]] = invalid.fields or {"": [invalid.message]}
    for name, messages in fields.items():
        target = DOMAIN_FIELDS.get(name, name)
        known = DOMAIN_MESSAGES.get(domain_problem_name(name, messages))
        text = str(known) if known is not None else " ".join(messages)
        form.add_error(target if target in form.fields else None, text)


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localized_name(obj)


def _category_field() -> CategoryChoiceField:
    return CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=None,
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("Choose a category from the list."),
        },
    )


def _priority_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        help_text=_("Urgent: 4 working hours; normal: 7 working days; complex: 15 working days."),
    )


def _report_field(label: StrOrPromise, *, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Report.objects.all(),
        required=required,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        error_messages={
            "required": _("Give the number of the original report."),
            "invalid_choice": _("There is no report with this number."),
        },
    )


def _note_field(label: StrOrPromise, *, public: bool = True) -> forms.CharField:
    """An optional note; a public one says that it is published as written."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        help_text=PUBLISHED_AS_WRITTEN if public else "",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(forms.Form):
    category = _category_field()
    priority = _priority_field()
    note = _note_field(_("Note on the public timeline (optional)"))


class ReclassifyForm(forms.Form):
    category = _category_field()
    priority = _priority_field()
    note = _note_field(_("Internal note: why the change (optional)"), public=False)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *RejectionReason.choices],
        error_messages={"required": _("Choose a reason.")},
    )
    original = _report_field(_("Original report number (for a duplicate)"), required=False)
    note = _note_field(_("Explanation for the reporter (optional)"))


class MergeForm(forms.Form):
    original = _report_field(_("Merge into report number"), required=True)
    note = _note_field(_("Note (optional)"))


class AssignForm(forms.Form):
    agency = AgencyChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        empty_label=_("Choose an agency"),
        error_messages={
            "required": _("Choose an agency."),
            "invalid_choice": _("Choose an agency from the list."),
        },
    )
    note = _note_field(_("Instructions for the agency (optional, public)"))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=4000,
        help_text=PUBLISHED_AS_WRITTEN_IF_PUBLIC,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note.")},
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=[
            (Visibility.INTERNAL, _("Staff only (internal)")),
            (Visibility.PUBLIC, _("Everyone, on the public timeline")),
        ],
        initial=Visibility.INTERNAL,
        widget=forms.RadioSelect,
    )


class ResolveForm(forms.Form):
    result = forms.CharField(
        label=_("Result for the public"),
        max_length=5000,
        help_text=PUBLISHED_AS_WRITTEN,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the result.")},
    )
    photos = PhotosField(label=_("Photos of the result (optional)"), required=False)


class CloseForm(forms.Form):
    note = _note_field(_("Note (optional)"))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reopened?"),
        max_length=2000,
        help_text=PUBLISHED_AS_WRITTEN,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason.")},
    )


# --- a phone call ----------------------------------------------------------------------------


class HotlineForm(ReportIntakeForm):
    """The portal's report, as the operator writes down what the caller says."""

    location_message = DOMAIN_MESSAGES["location"]
    submitted_fields = (
        *ReportIntakeForm.submitted_fields,
        "contact_name",
        "contact_phone",
        "is_anonymous",
    )
    field_order = [
        "contact_name",
        "contact_phone",
        "is_anonymous",
        "category",
        "description",
        "address",
        "lat",
        "lon",
        "priority",
    ]

    contact_name = forms.CharField(
        label=_("Caller's name (if given)"), required=False, max_length=150
    )
    contact_phone = PhoneField(
        label=_("Caller's phone number"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        error_messages={"required": _("Enter the caller's phone number.")},
    )
    is_anonymous = forms.BooleanField(
        label=_("The caller does not want to be named publicly"), required=False
    )
    # The caller's address, not one the operator's browser would offer.
    address = forms.CharField(label=_("Address or landmark"), required=False, max_length=300)
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[("", _("The category's usual priority")), *Priority.choices],
    )

    def chosen_priority(self) -> Priority | None:
        value = self.cleaned_data.get("priority") or ""
        return Priority(value) if value else None
