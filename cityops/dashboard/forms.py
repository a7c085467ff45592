"""The dashboard's filters: parsed here, applied by ``cityops.stats``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityops.stats.selectors import Choices

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_CODE = re.compile(r"[\w-]{1,60}")


def parse_month(text: str) -> date | None:
    """``2026-10`` → 1 October 2026; None when it is not a month between 2000 and 2999."""
    match = _MONTH.fullmatch(text.strip())
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2999 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})
    default_error_messages = {"invalid": _("Enter a month as year and month, e.g. 2026-10.")}

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class CodeField(forms.CharField):
    """A code chosen in a list; unknown codes simply match nothing."""

    widget = forms.Select
    default_error_messages = {"invalid": _("Choose from the list.")}

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value))
        if text and not _CODE.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return text


@dataclass(frozen=True)
class Chosen:
    month: date
    agency: str
    category: str
    area: str


class DashboardFilterForm(forms.Form):
    """Agency, category, area and month; every field optional."""

    month = MonthField(label=_("Month"), required=False)
    agency = CodeField(label=_("Agency"), required=False)
    category = CodeField(label=_("Category"), required=False)
    area = CodeField(label=_("Area"), required=False)

    def chosen(self, *, default_month: date) -> Chosen:
        """What to show: the valid choices, the default for the rest."""
        if self.is_bound:
            self.is_valid()  # keeps the valid fields in cleaned_data even when others are not
        cleaned: dict[str, Any] = getattr(self, "cleaned_data", {})
        return Chosen(
            month=cleaned.get("month") or default_month,
            agency=cleaned.get("agency") or "",
            category=cleaned.get("category") or "",
            area=cleaned.get("area") or "",
        )

    def offer(
        self, choices: Choices, *, fields: tuple[str, ...] = ("agency", "category", "area")
    ) -> None:
        """Fill the selects from the lists the page fetched anyway (no query of its own)."""
        everything = [("", _("All"))]
        listed = {"agency": choices.agencies, "category": choices.categories, "area": choices.areas}
        for name in fields:
            widget = self.fields[name].widget
            widget.choices = everything + [(item.code, item.name) for item in listed[name]]


class MonthOnlyForm(DashboardFilterForm):
    """The transparency page and the monthly report: a month (and, for the latter, an agency)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["category"], self.fields["area"]
