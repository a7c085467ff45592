"""The portal's forms: they parse and re-render input; the domain functions decide."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cityops.accounts.phones import PHONE_MESSAGE, PhoneField
from cityops.agencies.models import Area
from cityops.platform.errors import InvalidInput
from cityops.reports.choices import RatingValue
from cityops.reports.models import Category
from cityops.reports.services import photos_clean
from cityops.reports.workflow.intake import OUTSIDE_THE_CITY

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def localized_name(obj: Any) -> str:
    """A category's or agency's name in the current language (Vietnamese when no English)."""
    english = getattr(obj, "name_en", "")
    return str(english if get_language() == "en" and english else obj.name)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localized_name(obj)


# --- the home page's filters (parsed by ReportFilter, with its canonical parameter names) ----

STATUS_CHOICES = [
    ("", pgettext_lazy("filter", "Any status")),
    ("open", pgettext_lazy("filter", "Still open")),
    ("accepted", pgettext_lazy("public status", "Received")),
    ("assigned", pgettext_lazy("public status", "Sent to the agency in charge")),
    ("in_progress", pgettext_lazy("public status", "Being handled")),
    ("closed", pgettext_lazy("filter", "Handled or closed")),
]

FILTER_MESSAGES = {
    "category": _("Choose a category from the list."),
    "status": _("Choose a status from the list."),
    "area": _("Choose an area from the list."),
    "submitted_from": _("Enter a valid date."),
    "submitted_to": _("Enter a valid date, not before the start date."),
    "q": _("Check the search words."),
}


class ReportFilterForm(forms.Form):
    """The filters of a list of reports, on the portal and in the console: the form renders them
    and keeps what was chosen; the domain's filters (``ReportFilter``) do the parsing."""

    # What to say of a filter the domain refused, per parameter.
    problem_messages: ClassVar[Mapping[str, StrOrPromise]] = FILTER_MESSAGES

    category = forms.CharField(label=_("Category"), required=False, widget=forms.Select)
    area = forms.CharField(label=_("Area"), required=False, widget=forms.Select)
    submitted_from = forms.CharField(
        label=_("Sent from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.CharField(
        label=_("Sent until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def params(self) -> dict[str, str]:
        assert self.is_bound
        return {name: str(self.data.get(name, "")) for name in self.fields}

    def show_problems(self, invalid: InvalidInput) -> None:
        self.is_valid()
        for name in invalid.fields:
            if name in self.fields:
                self.add_error(name, str(self.problem_messages.get(name, _("Check this filter."))))


class FilterForm(ReportFilterForm):
    """The home page's filters."""

    field_order = ["q", "category", "status", "area", "submitted_from", "submitted_to"]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. rác, đèn")}),
    )
    status = forms.CharField(
        label=_("Status"), required=False, widget=forms.Select(choices=STATUS_CHOICES)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", pgettext_lazy("filter", "All"))]
        self.fields["category"].widget.choices = everything + [
            (category.code, localized_name(category))
            for category in Category.objects.filter(is_active=True)
        ]
        self.fields["area"].widget.choices = everything + [
            (area.code, area.name) for area in Area.objects.order_by("name")
        ]


# --- a new report ---------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to CITYOPS_MAX_PHOTOS images, each vetted by ``photos_clean`` as the workflow will."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        maximum = settings.CITYOPS_MAX_PHOTOS
        if len(files) > maximum:
            raise forms.ValidationError(
                _("At most %(count)d photos, please.") % {"count": maximum}, code="too_many"
            )
        problems = []
        for position, file in enumerate(files, start=1):
            try:
                photos_clean(photos=[file])
            except InvalidInput:
                problems.append(
                    forms.ValidationError(
                        _(
                            "Photo %(number)d could not be used: send a JPEG, PNG or WebP photo "
                            "of at most %(megabytes)d MB."
                        )
                        % {
                            "number": position,
                            "megabytes": settings.CITYOPS_UPLOAD_MAX_BYTES // 2**20,
                        },
                        code="invalid_image",
                    )
                )
            finally:
                file.seek(0)  # the workflow reads it again
        if problems:
            raise forms.ValidationError(problems)
        return files


# The domain's own per-field problems, in the citizen's words (its messages are English).
REPORT_DOMAIN_MESSAGES = {
    "description": _("Describe the problem."),
    "category": _("This category no longer accepts reports: choose another."),
    "location": _("Choose the place on the map, use your location, or type the address."),
    "photos": _("One of the photos could not be used: choose JPEG, PNG or WebP photos."),
    "contact_phone": PHONE_MESSAGE,
    "outside_city": _(
        "This place is outside the city: choose a point within the city on the map, or type "
        "the address."
    ),
}


def domain_problem_name(name: str, problems: list[str]) -> str:
    """The key of a domain problem in the message tables; a place outside the city's areas is
    a location problem of its own kind."""
    return "outside_city" if name == "location" and OUTSIDE_THE_CITY in problems else name


REPORT_DOMAIN_FIELDS = {"location": "address"}


class ReportIntakeForm(forms.Form):
    """What every new report says, whoever types it in: the place, the category, the problem.

    The portal's form and the console's hotline form extend it with who is reporting;
    ``submission`` gives the keyword arguments of ``workflow.report_submit`` they ask for.
    """

    # The domain's ``location`` problem, in the words of the page showing the form.
    location_message: ClassVar[StrOrPromise] = REPORT_DOMAIN_MESSAGES["location"]
    submitted_fields: ClassVar[tuple[str, ...]] = (
        "lat",
        "lon",
        "address",
        "category",
        "description",
    )

    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lon = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    address = forms.CharField(
        label=_("Address or landmark"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=_("Choose a category"),
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("Choose a category from the list."),
        },
    )
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe the problem.")},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None) and "lat" not in self.errors:
            self.add_error("lat", _("Give both latitude and longitude, or pick on the map."))
        elif lat is None and not (data.get("address") or "").strip() and "lat" not in self.errors:
            self.add_error("address", str(self.location_message))
        return data

    def submission(self) -> dict[str, Any]:
        """The keyword arguments of ``workflow.report_submit`` (bar reporter and channel)."""
        return {name: self.cleaned_data[name] for name in self.submitted_fields}


class ReportForm(ReportIntakeForm):
    submitted_fields = (
        *ReportIntakeForm.submitted_fields,
        "photos",
        "is_anonymous",
        "contact_name",
        "contact_phone",
        "contact_email",
    )

    photos = PhotosField(label=_("Photos (up to 5)"), required=False)
    is_anonymous = forms.BooleanField(label=_("Hide my name publicly"), required=False)
    contact_name = forms.CharField(label=_("Your name"), required=False, max_length=150)
    contact_phone = PhoneField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter a valid email address.")},
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data as described above."),
        error_messages={
            "required": _("Please agree to the processing of your personal data to send it.")
        },
    )

    @property
    def had_photos(self) -> bool:
        return bool(self.files.getlist("photos")) if self.is_bound else False

    def show_domain_problems(self, invalid: InvalidInput) -> None:
        fields = invalid.fields or {"": [invalid.message]}
        for name, problems in fields.items():
            target = REPORT_DOMAIN_FIELDS.get(name, name)
            message = REPORT_DOMAIN_MESSAGES.get(
                domain_problem_name(name, problems), _("The report could not be sent.")
            )
            self.add_error(target if target in self.fields else None, str(message))


# --- accounts -------------------------------------------------------------------------------


class DomainProblemsForm(forms.Form):
    """A form whose checks the domain makes: its per-field problems are shown on the fields."""

    def show_problems(self, problems: Mapping[str, list[str]]) -> None:
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class SignInForm(forms.Form):
    login = forms.CharField(
        label=_("Email, phone number or user name"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("Enter your email address or phone number.")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


class SignUpForm(DomainProblemsForm):
    """Fields only: ``user_sign_up`` checks everything and says what is wrong, per field."""

    name = forms.CharField(
        label=_("Full name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    login = forms.CharField(
        label=_("Email or phone number"),
        required=False,
        help_text=_("You sign in with it; emails about your reports go to an email address."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        help_text=_("At least 8 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accepted_terms = forms.BooleanField(
        label=_("I agree to the terms of use and to the processing of my personal data."),
        required=False,
    )


class PreferencesForm(DomainProblemsForm):
    email_notifications = forms.BooleanField(
        label=_("Email me on every public change of a report I follow"), required=False
    )
    email = forms.CharField(
        label=_("Email address for notifications"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of emails"),
        choices=[("", _("The city's default (Vietnamese)")), *settings.LANGUAGES],
        required=False,
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


# --- the reporter's answer ------------------------------------------------------------------


class RatingForm(forms.Form):
    value = forms.ChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=RatingValue.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the problem not solved?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the problem is not solved.")},
    )
