"""Indicators, the uploads that bring their figures, and the figures themselves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityops.indicators.choices import Direction, Frequency, Source


class Indicator(models.Model):
    """A figure the province follows, with its baseline and target."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    sector = models.CharField(
        _("sector"), max_length=60, help_text=_("e.g. health, education, economy.")
    )
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. %, people, billion đồng."))
    direction = models.CharField(
        _("desired direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    baseline_value = models.FloatField(_("baseline"))
    baseline_period = models.DateField(_("baseline period"))
    target_value = models.FloatField(_("target"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    department = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("owning department"),
    )
    frequency = models.CharField(
        _("update frequency"), max_length=10, choices=Frequency.choices, default=Frequency.YEARLY
    )
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sector", "code"]

    def __str__(self) -> str:
        return self.name


class Upload(models.Model):
    """One file or API pull of figures: every figure points back to the upload it came in."""

    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    file = models.FileField(_("file"), upload_to="indicators/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_accepted = models.PositiveIntegerField(_("rows accepted"), default=0)
    errors = models.JSONField(
        _("refused rows"), default=list, blank=True, help_text=_("[{row, message}], one per row.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicator upload")
        verbose_name_plural = _("indicator uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name or self.url


class Value(models.Model):
    """A figure for one period and one area (no area: the whole province), as one upload said.

    Rows are never changed: a later upload for the same period and area adds a row, and the
    latest upload's figure is the current one (``selectors.series``)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(_("period"), help_text=_("The period's first day."))
    area = models.ForeignKey(
        "agencies.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.FloatField(_("value"))
    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="values")
    row = models.PositiveIntegerField(_("row"), help_text=_("The row in the upload, from 1."))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period", "upload"]
        indexes = [models.Index(fields=["indicator", "area", "period"])]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "area", "upload"], name="indicators_value_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"
