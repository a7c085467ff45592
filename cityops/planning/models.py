"""Planning layers, their zones (the polygons with a planned use) and the imports that made them."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityops.planning.choices import ImportStatus, SourceCrs
from cityops.planning.said import said_shown


class Layer(models.Model):
    """One approved plan's zoning map: an OGC API collection, a layer on the portal's map."""

    slug = models.SlugField(
        _("identifier"),
        max_length=80,
        unique=True,
        help_text=_("The collection id in the OGC API."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    plan_name = models.CharField(_("plan"), max_length=300)
    plan_version = models.CharField(_("plan version"), max_length=60, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    as_of = models.DateField(_("as of"), help_text=_("The date the layer's content is valid for."))
    is_published = models.BooleanField(_("published"), default=False)
    # Kept by each import, read by the lookup and the OGC API without scanning the zones.
    zone_count = models.PositiveIntegerField(_("zones"), default=0)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("planning layer")
        verbose_name_plural = _("planning layers")
        ordering = ["-decision_date", "slug"]

    def __str__(self) -> str:
        return self.title


class LayerImport(models.Model):
    """One file loaded into a layer: its progress and the rows it refused."""

    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(_("file"), upload_to="planning/imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    source_crs = models.CharField(
        _("coordinate system"), max_length=20, choices=SourceCrs.choices, default=SourceCrs.WGS84
    )
    field_map = models.JSONField(
        _("field mapping"),
        default=dict,
        blank=True,
        help_text=_("The file's fields for use_code, use_name and zone_code; empty: guessed."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total = models.PositiveIntegerField(_("features"), default=0)
    done = models.PositiveIntegerField(_("read"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    errors = models.JSONField(
        _("refused rows"),
        default=list,
        blank=True,
        help_text=_("[{row, message, values}], one per row."),
    )
    # The outcome's text in English and its values, put into the reader's language by
    # message_shown (said.py).
    message = models.TextField(_("message"), blank=True)
    message_values = models.JSONField(_("message values"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("layer import")
        verbose_name_plural = _("layer imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def message_shown(self) -> str:
        return said_shown(self.message, self.message_values)

    @property
    def errors_shown(self) -> list[dict[str, Any]]:
        """The rows to look at, each with its ``message`` in the active language."""
        return [
            {**error, "message": said_shown(error.get("message", ""), error.get("values"))}
            for error in self.errors
        ]


class Zone(models.Model):
    """A polygon of a layer with its planned land use."""

    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="zones")
    source = models.ForeignKey(
        LayerImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="zones"
    )
    use_code = models.CharField(
        _("land-use code"), max_length=20, help_text=_("e.g. ODT, ONT, DGT, CXK.")
    )
    use_name = models.CharField(_("land use"), max_length=200)
    zone_code = models.CharField(_("zone code"), max_length=60, blank=True)
    properties = models.JSONField(_("attributes"), default=dict, blank=True)
    geometry = models.JSONField(
        _("geometry"), help_text=_("GeoJSON Polygon or MultiPolygon, WGS 84.")
    )
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["layer", "pk"]

    def __str__(self) -> str:
        return f"{self.use_code} {self.zone_code}".strip()


class ZoneCell(models.Model):
    """A zone filed under one cell of the lookup grid (``planning/grid.py``)."""

    cell = models.BigIntegerField()  # the unique constraint's index starts with it
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="cells")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "zone"], name="planning_zonecell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cell}: {self.zone_id}"
