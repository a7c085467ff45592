"""The console's forms (a new layer, a file to import into it) and the public lookup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cityops.planning.choices import SourceCrs
from cityops.planning.importing.reader import Unreadable, kind_of, shapefile_zip

# Under the request body limit (cityops/platform/bodylimit.py): a city's zoning plan as a
# Shapefile is a few MB to a few tens of MB.
UPLOAD_MAX_BYTES = 40 * 1024 * 1024
ONE_FILE = (".geojson", ".json", ".zip", ".gpkg")


class LayerForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Identifier"),
        max_length=80,
        help_text=_("Lower-case letters, digits and hyphens: the layer's address in the OGC API."),
    )
    plan_name = forms.CharField(label=_("Plan"), max_length=300)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_by = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    plan_version = forms.CharField(label=_("Plan version"), max_length=60, required=False)
    as_of = forms.DateField(label=_("Valid as of"), widget=forms.DateInput(attrs={"type": "date"}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One file, or the parts of one Shapefile."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(
            (*ONE_FILE, ".shp", ".shx", ".dbf", ".prj", ".cpg")
        )}))  # fmt: skip
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not files:
            single(None, initial)  # "This field is required."
            return []
        return [single(item, initial) for item in files]


class ImportForm(forms.Form):
    upload = MultipleFileField(
        label=_("File"),
        help_text=_(
            "GeoJSON, a GeoPackage, or a Shapefile: its .zip, or its .shp, .shx and .dbf "
            "(with the .prj) chosen together. At most %(size)s."
        )
        % {"size": filesizeformat(UPLOAD_MAX_BYTES)},
    )
    source_crs = forms.ChoiceField(
        label=_("Coordinate system"),
        choices=SourceCrs.choices,
        initial=SourceCrs.VN2000_HUE,
        help_text=_("Used when the file does not declare its own (a .prj, a GeoPackage's)."),
    )
    use_code = forms.CharField(
        label=_("Field of the land-use code"), max_length=60, required=False,
        help_text=_("Leave empty to find it: MaLoaiDat, MADAT, KyHieu, use_code…"),
    )  # fmt: skip
    use_name = forms.CharField(
        label=_("Field of the land-use name"), max_length=60, required=False,
        help_text=_("Leave empty to find it: TenLoaiDat, use_name…"),
    )  # fmt: skip
    zone_code = forms.CharField(
        label=_("Field of the zone code"), max_length=60, required=False,
        help_text=_("Leave empty to find it: MaO, zone_code…"),
    )  # fmt: skip

    def clean_upload(self) -> tuple[ContentFile[bytes], str]:
        files: list[UploadedFile] = self.cleaned_data["upload"]
        if sum(f.size or 0 for f in files) > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s).")
                % {"size": filesizeformat(UPLOAD_MAX_BYTES)}
            )
        if len(files) > 1:
            try:
                packed = shapefile_zip({f.name or "": f for f in files})
            except Unreadable:
                raise forms.ValidationError(
                    _(
                        "Several files are the parts of one Shapefile: the .shp, .shx and "
                        ".dbf of the same name, and optionally its .prj and .cpg."
                    )
                ) from None
            stem = Path(files[0].name or "layer").stem
            return ContentFile(packed), f"{stem}.zip"
        upload = files[0]
        name = Path(upload.name or "").name
        suffix = Path(name).suffix.lower()
        if suffix not in ONE_FILE:
            raise forms.ValidationError(
                _("Upload a .geojson, .json, .gpkg or .zip file (or a Shapefile's parts).")
            )
        head = upload.read(64)
        upload.seek(0)
        try:
            kind_of(head, suffix)
        except Unreadable:
            raise forms.ValidationError(
                _("The file's content does not match its name (%(name)s).") % {"name": name}
            ) from None
        return ContentFile(upload.read()), name

    def field_map(self) -> dict[str, str]:
        return {role: self.cleaned_data[role] for role in ("use_code", "use_name", "zone_code")}


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
