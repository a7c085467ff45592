from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityops.agencies.choices import AgencyKind, AreaKind


class Area(models.Model):
    """An administrative unit (phường/xã) with its centroid and boundary polygon."""

    code = models.CharField(
        _("code"), max_length=10, unique=True, help_text=_("The national administrative-unit code.")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=AreaKind.choices)
    centroid_lat = models.FloatField(_("centroid latitude"))
    centroid_lon = models.FloatField(_("centroid longitude"))
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("GeoJSON Polygon or MultiPolygon, longitude/latitude (WGS 84)."),
    )
    boundary_source = models.CharField(
        _("boundary source"),
        max_length=200,
        blank=True,
        help_text=_("Where the polygon came from, e.g. 'approximate (Voronoi of centroids)'."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A unit that handles reports: a department, a People's Committee, a utility, the police."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agencies",
        help_text=_("For a ward/commune committee: its own area."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
