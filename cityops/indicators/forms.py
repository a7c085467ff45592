"""The staff's upload form: a CSV or Excel file, or an API's address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
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
        if not allow_url or not api_hosts():
            # An address is fetched from the server: IOC staff only, and only the configured
            # APIs' hosts, so that no account can make the server call inside its network.
            del self.fields["url"]
        else:
            hosts = ", ".join(sorted(api_hosts()))
            self.fields["url"].help_text = _("Allowed hosts: %(hosts)s.") % {"hosts": hosts}

    def clean_url(self) -> str:
        url: str = self.cleaned_data.get("url") or ""
        if url and urlsplit(url).netloc.lower() not in api_hosts():
            raise forms.ValidationError(
                _("Only the configured statistics APIs may be fetched: %(hosts)s.")
                % {"hosts": ", ".join(sorted(api_hosts()))}
            )
        return url

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


def api_hosts() -> set[str]:
    """The hosts the upload page may fetch from (``CITYOPS_INDICATORS_API_HOSTS`` and the host of
    ``CITYOPS_INDICATORS_API_URL``)."""
    hosts = {host.strip().lower() for host in settings.CITYOPS_INDICATORS_API_HOSTS if host.strip()}
    if settings.CITYOPS_INDICATORS_API_URL:
        hosts.add(urlsplit(settings.CITYOPS_INDICATORS_API_URL).netloc.lower())
    return hosts
