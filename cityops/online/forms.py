"""The forms of online services: a request (one upload per document the service asks for),
a reply, a message, and the agency's steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityops.online.models import OnlineService
from cityops.payments.choices import Gateway

ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"


def _file(label: str, required: bool) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF or photo (JPEG, PNG, WebP), at most 10 MB."),
    )


class RequestForm(forms.Form):
    details = forms.CharField(
        label=_("What you ask for (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, service: OnlineService, with_fee: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        for doc in service.documents:
            self.fields[f"doc_{doc['key']}"] = _file(doc["name"], bool(doc.get("required", True)))
        if with_fee:
            self.fields["gateway"] = forms.ChoiceField(
                label=_("How you will pay the fee"),
                choices=Gateway.choices,
                initial=Gateway.VNPAY,
                widget=forms.RadioSelect,
            )

    def uploads(self) -> dict[str, Any]:
        return {
            name.removeprefix("doc_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("doc_") and value
        }


class ReplyForm(RequestForm):
    def __init__(self, *args: Any, service: OnlineService, **kwargs: Any) -> None:
        super().__init__(*args, service=service, **kwargs)
        self.fields["details"] = forms.CharField(
            label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
        )
        for name, field in self.fields.items():
            if name.startswith("doc_"):
                field.required = False


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("What the applicant must add"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FinishForm(forms.Form):
    result = forms.CharField(
        label=_("Result for the applicant"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the refusal"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search a service"), required=False, max_length=100)
