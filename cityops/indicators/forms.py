"""The staff's upload form: a CSV or Excel file, or an API's address."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityops.indicators.choices import Source
from cityops.indicators.importing import MAX_FILE_BYTES

SUFFIXES = {".csv": Source.CSV, ".xlsx": Source.XLSX}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of figures"),
        required=False,
        help_text=_("CSV (UTF-8, commas or semicolons) or Excel (.xlsx), up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    url = forms.URLField(
        label=_("Or the address of an API answering JSON"),
        required=False,
        assume_scheme="https",
        max_length=500,
    )

    def __init__(self, *args: Any, allow_url: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_url:
            # An address is fetched from the server: IOC staff only, so that no department's
            # account can make the server call addresses inside its network.
            del self.fields["url"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in SUFFIXES:
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "url" not in self.fields and not data.get("file"):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Choose a file, or give an API's address (not both)."))
        return data

    def source(self) -> Source:
        name = self.cleaned_data["file"].name.lower()
        return SUFFIXES["." + name.rsplit(".", 1)[-1]]
