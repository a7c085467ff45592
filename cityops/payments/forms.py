"""The console's forms: the list's filters, a refund, a transfer's confirmation, a statement."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityops.payments.choices import Gateway, PaymentStatus

MAX_STATEMENT_BYTES = 5 * 1024 * 1024


class PaymentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PaymentStatus.choices]
    )
    gateway = forms.ChoiceField(
        label=_("Gateway"), required=False, choices=[("", _("All")), *Gateway.choices]
    )
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    flagged = forms.BooleanField(label=_("Flagged only"), required=False)
    q = forms.CharField(label=_("Reference"), required=False, max_length=60)


class RefundForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is refunded"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(forms.Form):
    bank_reference = forms.CharField(label=_("Bank's transaction number"), max_length=60)
    amount_vnd = forms.IntegerField(label=_("Amount on the statement (đồng)"), min_value=1)
    statement_date = forms.DateField(
        label=_("Statement date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class StatementForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(
        label=_("Bank statement (CSV)"), help_text=_("Columns: amount_vnd, memo, bank_reference.")
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Send the statement as a CSV file."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
