from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKpi(models.Model):
    """The KPIs of the reports submitted on one local day, per agency, category and area.

    A rollup of ``kpis.kpi_cube`` (the same definitions, computed by the same code) that the
    trends and the transparency page read instead of scanning a year of reports; refreshed by
    the ``refresh_day_kpis`` job for the days whose reports changed. "Overdue now" is not kept:
    it is a snapshot, always read live.
    """

    day = models.DateField(_("day"))
    agency_code = models.CharField(_("agency"), max_length=60, blank=True)
    category_code = models.CharField(_("category"), max_length=60)
    area_code = models.CharField(_("area"), max_length=10, blank=True)
    received = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    processing_seconds = models.FloatField(default=0.0)
    satisfied = models.PositiveIntegerField(default=0)
    acceptable = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily KPIs")
        verbose_name_plural = _("daily KPIs")
        indexes = [models.Index(fields=["day"], name="daykpi_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_code or '-'} {self.category_code} {self.area_code or '-'}"


class DayKpiRefresh(models.Model):
    """When the daily KPIs were last brought up to date (one row)."""

    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("daily KPIs refresh")

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
