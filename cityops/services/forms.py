"""The public rating form and the staff's dossier form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityops.services.choices import Criterion, Level, Score
from cityops.services.models import Desk, Officer, Procedure
from cityops.services.services import COMMENT_MAX, Answers

SCORE_CHOICES = [("", _("No answer")), *[(str(v), label) for v, label in Score.choices]]


def _criterion_field(criterion: Criterion) -> forms.TypedChoiceField:
    """An optional 1–3 score of one criterion (no answer: None)."""
    return forms.TypedChoiceField(
        label=criterion.label,
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("How satisfied are you with the service?"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    attitude = _criterion_field(Criterion.ATTITUDE)
    time = _criterion_field(Criterion.TIME)
    clarity = _criterion_field(Criterion.CLARITY)
    fees = _criterion_field(Criterion.FEES)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not write your name, phone number or ID number: the rating is anonymous."),
    )

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            level=data["level"],
            scores={criterion: data.get(criterion) for criterion in Criterion.values},
            comment=data.get("comment") or "",
        )

    def criteria_fields(self) -> list[Any]:
        return [self[criterion] for criterion in Criterion.values]


class DossierForm(forms.Form):
    number = forms.CharField(label=_("Dossier number"), max_length=60)
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=Procedure.objects.filter(is_active=True)
    )
    officer = forms.ModelChoiceField(
        label=_("Officer"), queryset=Officer.objects.none(), required=False
    )

    def __init__(self, *args: Any, desk: Desk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ModelChoiceField)
        officer.queryset = Officer.objects.filter(office_id=desk.office_id, is_active=True)
