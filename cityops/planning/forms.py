"""The lookup's one field: a position (several notations) or a place's name."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Position or place"),
        max_length=120,
        help_text=_(
            "Coordinates (16.4637, 107.5909 or 16°27'49\"N 107°35'27\"E or VN-2000 "
            "X=1821350 Y=563400), a ward or commune, or a zone code."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "text",
                "spellcheck": "false",
                "aria-describedby": "q-hint",
            }
        ),
    )
