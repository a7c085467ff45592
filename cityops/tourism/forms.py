"""Forms of the tourist help page: input parsing only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityops.tourism.choices import Language
from cityops.tourism.services import MAX_MESSAGE, MAX_QUESTION

AUTO = ""


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "send"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[(AUTO, _("Detect automatically")), *Language.choices],
        required=False,
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes"
    )


class ProblemForm(forms.Form):
    message = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_MESSAGE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: the taxi's number, the hotel's name, what you paid and what was agreed."
        ),
    )
    place = forms.CharField(label=_("Where (optional)"), max_length=300, required=False)
    contact_email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    contact_phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
