from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityops.monitoring.choices import SensorKind


class Sensor(models.Model):
    """A monitoring station or device (trạm quan trắc): air quality, water level, camera, ...

    ``metrics`` lists what it reports, ``[{"code": "pm25", "unit": "µg/m³", "label": "PM2.5"}]``;
    readings for other metrics are refused. Cameras report no readings (their analytics events
    are the alerts app's).
    """

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Stable identifier used in MQTT topics and API paths, e.g. hue-aq-01."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SensorKind.choices)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    area = models.ForeignKey(
        "agencies.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sensors",
    )
    metrics = models.JSONField(
        _("metrics"),
        default=list,
        blank=True,
        help_text=_('What it reports: [{"code": "pm25", "unit": "µg/m³", "label": "PM2.5"}, ...]'),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Readings of inactive sensors are refused.")
    )
    is_simulated = models.BooleanField(
        _("simulated"), default=False, help_text=_("Demo data from the simulated feed.")
    )
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "is_active"], name="monitoring_sensor_kind")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def metric_codes(self) -> list[str]:
        return [str(metric["code"]) for metric in self.metrics if "code" in metric]


class Reading(models.Model):
    """One value of one metric of one sensor at one time; stored once (sensor, metric, time)."""

    id = models.BigAutoField(primary_key=True)
    # No index of its own: the unique constraint's index below leads with the sensor.
    sensor = models.ForeignKey(
        Sensor,
        verbose_name=_("sensor"),
        on_delete=models.CASCADE,
        related_name="readings",
        db_index=False,
    )
    metric = models.CharField(_("metric"), max_length=32)
    observed_at = models.DateTimeField(_("observed at"))
    value = models.FloatField(_("value"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [
            # Its index is also the one of latest and history queries (sensor, metric, time
            # range); a second index would slow every ingest batch for little gain.
            models.UniqueConstraint(
                fields=["sensor", "metric", "observed_at"], name="monitoring_reading_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.metric}={self.value} @ {self.observed_at:%Y-%m-%d %H:%M}"


class LatestReading(models.Model):
    """The newest value of each (sensor, metric), kept by the ingest for the live map and API."""

    sensor = models.ForeignKey(
        Sensor, verbose_name=_("sensor"), on_delete=models.CASCADE, related_name="latest"
    )
    metric = models.CharField(_("metric"), max_length=32)
    observed_at = models.DateTimeField(_("observed at"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("latest reading")
        verbose_name_plural = _("latest readings")
        constraints = [
            models.UniqueConstraint(fields=["sensor", "metric"], name="monitoring_latest_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.metric}={self.value}"


class Rollup(models.Model):
    """The readings of one metric of one sensor over a period, summed up (``rollups.py``).

    Only values within the metric's physical range count, as in every read of raw readings;
    the mean is ``total / count``.
    """

    sensor = models.ForeignKey(
        Sensor, verbose_name=_("sensor"), on_delete=models.CASCADE, related_name="+"
    )
    metric = models.CharField(_("metric"), max_length=32)
    count = models.PositiveIntegerField(_("count"))
    total = models.FloatField(_("total"))
    minimum = models.FloatField(_("minimum"))
    maximum = models.FloatField(_("maximum"))

    class Meta:
        abstract = True

    @property
    def mean(self) -> float:
        return self.total / self.count


class HourlyReading(Rollup):
    """One hour of a sensor's metric: kept forever, while raw readings go after
    ``CITYOPS_READINGS_RETENTION_DAYS``. ``hour`` is the hour's start."""

    hour = models.DateTimeField(_("hour"))

    class Meta:
        verbose_name = _("hourly reading")
        verbose_name_plural = _("hourly readings")
        constraints = [
            # Also the index of every read: a sensor's hours in a range, any or some metrics.
            models.UniqueConstraint(
                fields=["sensor", "hour", "metric"], name="monitoring_hourly_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.metric} {self.hour:%Y-%m-%d %H:00} n={self.count}"


class DailyReading(Rollup):
    """One day (city time) of a sensor's metric, summed up from the hourly rollups and kept
    forever, like them."""

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily reading")
        verbose_name_plural = _("daily readings")
        constraints = [
            models.UniqueConstraint(
                fields=["sensor", "day", "metric"], name="monitoring_daily_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.metric} {self.day} n={self.count}"

    @property
    def mean(self) -> float:
        return self.total / self.count


class PendingHour(models.Model):
    """An hour of a sensor that got new readings since its rollups were last computed.

    The ingest adds one row per (sensor, hour) of each batch, without any uniqueness: a plain
    insert never waits for a lock, and the rollup job deletes exactly the rows it has seen,
    so a row committed meanwhile stays for its next run. Reads take these hours from the raw
    readings.
    """

    id = models.BigAutoField(primary_key=True)
    # No foreign key constraint: the ingest's insert should check nothing.
    sensor = models.ForeignKey(
        Sensor,
        verbose_name=_("sensor"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    hour = models.DateTimeField(_("hour"))

    class Meta:
        verbose_name = _("hour pending rollup")
        verbose_name_plural = _("hours pending rollup")
        indexes = [models.Index(fields=["sensor", "hour"], name="monitoring_pending_hour")]

    def __str__(self) -> str:
        return f"{self.sensor_id} {self.hour:%Y-%m-%d %H:00}"
