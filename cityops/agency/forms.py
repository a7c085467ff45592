"""The agency workspace's forms: they parse and re-render input; the workflow decides.

Text fields the workflow checks itself (a reason, a note, the result) are not required here, so
that the refusal the user sees is the workflow's own, said in their language.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cityops.agencies.models import Agency
from cityops.platform.errors import CityOpsError, InvalidInput, NotPermitted
from cityops.portal.forms import PhotosField
from cityops.reports.choices import Visibility
from cityops.reports.deadlines import working_calendar
from cityops.reports.visibility import PUBLISHED_AS_WRITTEN, PUBLISHED_AS_WRITTEN_IF_PUBLIC
from cityops.reports.workflow import InvalidTransition

# Hue-S's reply template (see docs/agency.md). Vietnamese by nature: it is the city's official
# form of address, not a user-interface string, so it is data and is not translated.
REPLY_TEMPLATE = (
    "Kính gửi: Quý Ông/Bà.\n"
    "Vấn đề quý Ông/Bà phản ánh, {agency} xin thông báo kết quả xử lý như sau:\n"
    "…\n"
    "Trân trọng./."
)


def reply_template(*, agency: Agency) -> str:
    """The reply a result starts from, with the agency's (Vietnamese) name filled in."""
    return REPLY_TEMPLATE.format(agency=agency.name)


class ActionForm(forms.Form):
    """A form for one workflow move; ``show_refusal`` puts the workflow's refusal on it."""

    # The workflow's field names → this form's, and what to say about each, in the UI language.
    domain_fields: ClassVar[dict[str, str]] = {}
    domain_messages: ClassVar[dict[str, Promise]] = {}

    def show_refusal(self, error: CityOpsError) -> None:
        if isinstance(error, InvalidInput) and error.fields:
            for name, problems in error.fields.items():
                target = self.domain_fields.get(name, name)
                field = target if target in self.fields else None
                if message := self.domain_messages.get(target):
                    self.add_error(field, str(message))
                    continue
                for problem in problems:  # every problem, not only the first
                    self.add_error(field, problem)
        else:
            self.add_error(None, str(refusal_text(error)))


def refusal_text(error: CityOpsError) -> str | Promise:
    """A refusal that is not about one field, in the user's words."""
    if error.code == "already_extended":
        return _(
            "The deadline was already extended once in this round of handling; it can be "
            "extended again only after the report is reopened."
        )
    if isinstance(error, NotPermitted):
        return _("This report is no longer assigned to your agency.")
    if isinstance(error, InvalidTransition):
        return _(
            "This step is not possible in the report's current status; "
            "someone may have changed it meanwhile. Check the timeline below."
        )
    return error.message


class AcceptForm(ActionForm):
    prefix = "accept"


class ReturnForm(ActionForm):
    prefix = "return"
    domain_messages = {"reason": _("Say why this report is not your agency's remit.")}

    reason = forms.CharField(
        label=_("Why is it not your agency's remit?"),
        required=False,
        max_length=2000,
        help_text=_(
            "The operations centre reads this and sends the report to the right agency. "
            "Internal: the public does not see it."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(ActionForm):
    prefix = "note"
    domain_messages = {"text": _("Write the note.")}

    text = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=5000,
        help_text=PUBLISHED_AS_WRITTEN_IF_PUBLIC,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=[
            (Visibility.INTERNAL, _("Internal: the operations centre and your agency only")),
            (Visibility.PUBLIC, _("Public: also on the citizen's timeline")),
        ],
        initial=Visibility.INTERNAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who may read the note.")},
    )


class ExtendForm(ActionForm):
    """The one extension of a round: a public reason and the new expected date and time.

    The date is not required here: the workflow says what is missing or wrong with the reason
    and the date together, so that every problem shows at once.
    """

    prefix = "extend"
    domain_fields = {"new_due_at": "new_date"}
    domain_messages = {"reason": _("Give the public reason for the extension.")}

    reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        max_length=2000,
        help_text=format_lazy(
            "{} {}",
            _("Published on the report's page, as Huế's rules require."),
            PUBLISHED_AS_WRITTEN,
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_date = forms.DateField(
        label=_("New expected date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as day, month and year.")},
    )
    new_time = forms.TimeField(
        label=_("Time"),
        required=False,
        initial=time(17, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Choose the time."),
            "invalid": _("Enter the time as hours and minutes."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = settings.CITYOPS_MAX_EXTENSION_WORKING_DAYS
        self.fields["new_date"].help_text = ngettext(
            "A working day, in office hours, at most %(days)d working day after the current "
            "deadline.",
            "A working day, in office hours, at most %(days)d working days after the current "
            "deadline.",
            days,
        ) % {"days": days}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A date that cannot be read stops the form before the workflow checks the reason:
        # say here what the workflow would have said too.
        if self.errors and not str(cleaned.get("reason") or "").strip():
            self.add_error("reason", str(self.domain_messages["reason"]))
        return cleaned

    def new_due_at(self) -> datetime | None:
        """The chosen moment on the city's clock; the time defaults to the end of office hours."""
        data = self.cleaned_data
        if data.get("new_date") is None:
            return None
        calendar = working_calendar()
        moment = datetime.combine(
            data["new_date"], data.get("new_time") or calendar.office_hours[-1][1]
        )
        return moment.replace(tzinfo=calendar.tz)


class ResolveForm(ActionForm):
    """The result: the reply built from the template, and photos of the work done."""

    prefix = "resolve"
    domain_messages = {
        "result": _("Write the result for the citizen."),
        "photos": _("One of the photos could not be used: choose JPEG, PNG or WebP photos."),
    }

    result = forms.CharField(
        label=_("Reply to the citizen (published)"),
        required=False,
        max_length=10_000,
        help_text=format_lazy(
            "{} {}",
            _("Replace “…” with what was done; the reply is published with the result."),
            PUBLISHED_AS_WRITTEN,
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    photos = PhotosField(label=_("Photos of the result (up to 5)"), required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        self.template = reply_template(agency=agency)
        kwargs.setdefault("initial", {"result": self.template})
        super().__init__(*args, **kwargs)

    def clean_result(self) -> str:
        result = str(self.cleaned_data.get("result") or "")
        if result.split() == self.template.split():
            raise forms.ValidationError(
                _("Write what was done in place of “…” in the template."), code="untouched"
            )
        return result
