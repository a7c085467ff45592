"""Forms of the press pages (console and dashboard): input parsing only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cityops.agencies.models import Agency
from cityops.press.choices import Tone
from cityops.press.filters import (
    DEFAULT_PERIOD,
    MAX_DAYS,
    Period,
    PeriodKind,
    PressFilter,
    city_today,
    period_of,
)
from cityops.press.models import Source, Story, WatchEntry
from cityops.reports.models import Category

PERIOD_CHOICES = [
    (PeriodKind.TODAY, _("Today")),
    (PeriodKind.WEEK, _("Last 7 days")),
    (PeriodKind.MONTH, _("Last 30 days")),
    (PeriodKind.CUSTOM, _("Chosen dates")),
]
WATCH_CSV_MAX_BYTES = 2 * 1024 * 1024
NOTE_MAX = 2000


def _local_name(obj: Any) -> str:
    """A category's or agency's name in the current language (Vietnamese when no English)."""
    english = getattr(obj, "name_en", "")
    return str(english if translation.get_language() == "en" and english else obj.name)


class LocalNameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _local_name(obj)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """Today, the last 7 or 30 days, or chosen dates (both included)."""

    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False, initial=DEFAULT_PERIOD
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
        if first and cleaned.get("period") in ("", None):
            cleaned["period"] = PeriodKind.CUSTOM  # dates alone mean chosen dates
        if cleaned.get("period") != PeriodKind.CUSTOM:
            return cleaned
        if first is None:
            self.add_error("date_from", _("Choose the first day of the period."))
        elif last is not None and last < first:
            self.add_error("date_to", _("The last day comes after the first."))
        elif ((last or first) - first).days + 1 > MAX_DAYS:
            self.add_error("date_to", _("Choose at most %(days)d days.") % {"days": MAX_DAYS})
        return cleaned

    def chosen_period(self, *, now: datetime) -> Period:
        """The period asked for; the last 7 days when the form is empty or wrong."""
        today = city_today(now)
        if not self.is_bound or not self.is_valid():
            return period_of(DEFAULT_PERIOD, today=today)
        data = self.cleaned_data
        kind = data.get("period") or DEFAULT_PERIOD
        first: date | None = data.get("date_from")
        return period_of(kind, today=today, first_day=first, last_day=data.get("date_to"))


class StoryFilterForm(PeriodForm):
    """The stories list's and the export's filters."""

    tone = forms.ChoiceField(
        label=_("Tone"), required=False, choices=[("", _("Any tone")), *Tone.choices]
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        required=False,
        queryset=Source.objects.order_by("name"),
        empty_label=_("Any source"),
    )
    entry = forms.ModelChoiceField(
        label=_("Watched name"),
        required=False,
        queryset=WatchEntry.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Any name"),
    )
    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    field_order = ["q", "period", "date_from", "date_to", "tone", "source", "entry"]

    def press_filter(self, *, now: datetime) -> PressFilter:
        """The filters asked for; a wrong field is shown and does not filter."""
        period = self.chosen_period(now=now)
        data: dict[str, Any] = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        source, entry = data.get("source"), data.get("entry")
        return PressFilter(
            start=period.start,
            end=period.end,
            tone=data.get("tone") or "",
            source=source.pk if source is not None else None,
            entry=entry.pk if entry is not None else None,
            words=PressFilter.words_of(data.get("q") or ""),
        )


class ToReportForm(forms.Form):
    """Turn a story into a field report: its category, the agency it goes to, a note."""

    category = LocalNameChoiceField(
        label=_("Category of the report"),
        queryset=Category.objects.filter(is_active=True).order_by("name"),
        empty_label=None,
        error_messages={"required": _("Choose a category for the report.")},
    )
    agency = LocalNameChoiceField(
        label=_("Assign to the agency (optional)"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Not yet: the report waits in the queue"),
    )
    note = forms.CharField(
        label=_("Add to the description (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @staticmethod
    def preset(story: Story) -> dict[str, Any]:
        category = story.category if story.category and story.category.is_active else None
        if category is None:
            category = Category.objects.filter(is_active=True, code="other").first()
        return {"category": category.pk if category else None}


class WatchImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row with the columns kind, name, aliases, area, agency; aliases separated "
            "by |; UTF-8. An entry of the same kind and name is updated."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > WATCH_CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        return upload
