"""Public transport: the static schedule (GTFS, one current version) and the live vehicles.

A feed is imported whole into a new ``FeedVersion`` and made current in the same transaction
that deletes the previous one, so readers see the old schedule or the new one, never a mix.
Schedule rows keep the feed's own ids (``route_id``, ``stop_id`` …) next to our primary keys:
the GTFS-realtime feeds we publish and read speak in the feed's ids.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityops.transit.choices import PositionOutcome, RouteType, TransitAlarmKind


class FeedVersion(models.Model):
    """One import of a static GTFS feed; only one is current."""

    source = models.CharField(_("source"), max_length=300)
    sha256 = models.CharField(_("checksum"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    is_current = models.BooleanField(_("current"), default=False)
    counts = models.JSONField(_("rows per file"), default=dict, blank=True)
    problems = models.JSONField(_("invalid rows"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("invalid rows"), default=0)
    seconds = models.FloatField(_("import time (s)"), default=0)

    class Meta:
        verbose_name = _("GTFS feed version")
        verbose_name_plural = _("GTFS feed versions")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="transit_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source}"


class Agency(models.Model):
    """A transit operator of the feed (``agency.txt``)."""

    feed = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    agency_id = models.CharField(max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=300)
    url = models.CharField(_("website"), max_length=500, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    lang = models.CharField(_("language"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("transit agency")
        verbose_name_plural = _("transit agencies")

    def __str__(self) -> str:
        return self.name


class Route(models.Model):
    """A bus line (``routes.txt``)."""

    feed = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    route_id = models.CharField(_("route id"), max_length=100)
    agency_id = models.CharField(max_length=100, blank=True)
    short_name = models.CharField(_("number"), max_length=50, blank=True)
    long_name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    type = models.PositiveSmallIntegerField(_("type"), choices=RouteType.choices)
    color = models.CharField(_("colour"), max_length=6, blank=True)
    text_color = models.CharField(_("text colour"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [
            models.UniqueConstraint(fields=["feed", "route_id"], name="transit_route_id")
        ]

    def __str__(self) -> str:
        return f"{self.short_name} {self.long_name}".strip() or self.route_id


class Stop(models.Model):
    """A bus stop or station (``stops.txt``)."""

    feed = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    stop_id = models.CharField(_("stop id"), max_length=100)
    code = models.CharField(_("code"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=300)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    location_type = models.PositiveSmallIntegerField(default=0)
    parent_station = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        constraints = [models.UniqueConstraint(fields=["feed", "stop_id"], name="transit_stop_id")]

    def __str__(self) -> str:
        return self.name


class Trip(models.Model):
    """One run of a route on the days of a service (``trips.txt``)."""

    feed = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    trip_id = models.CharField(_("trip id"), max_length=100)
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="trips")
    service_id = models.CharField(max_length=100)
    headsign = models.CharField(_("destination"), max_length=300, blank=True)
    direction_id = models.PositiveSmallIntegerField(null=True, blank=True)
    block_id = models.CharField(max_length=100, blank=True)
    shape_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        constraints = [models.UniqueConstraint(fields=["feed", "trip_id"], name="transit_trip_id")]

    def __str__(self) -> str:
        return self.trip_id


class StopTime(models.Model):
    """When a trip is at a stop; times in seconds after the service day's noon − 12 h (GTFS
    times pass 24:00:00 for trips after midnight)."""

    feed = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stop_times")
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="+")
    stop_sequence = models.PositiveIntegerField()
    # Empty between timepoints: the schedule interpolates them (selectors.trip_schedule).
    arrival = models.PositiveIntegerField(_("arrival (s)"), null=True, blank=True)
    departure = models.PositiveIntegerField(_("departure (s)"), null=True, blank=True)
    shape_dist_traveled = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("stop time")
        verbose_name_plural = _("stop times")
        ordering = ["trip", "stop_sequence"]
        indexes = [models.Index(fields=["trip", "stop_sequence"], name="transit_stoptime_seq")]

    def __str__(self) -> str:
        return f"{self.trip_id}#{self.stop_sequence}"


class ShapePoint(models.Model):
    """A point of a trip's drawn path (``shapes.txt``)."""

    feed = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    shape_id = models.CharField(max_length=100)
    sequence = models.PositiveIntegerField()
    lat = models.FloatField()
    lon = models.FloatField()
    dist_traveled = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["feed", "shape_id", "sequence"], name="transit_shape")]

    def __str__(self) -> str:
        return f"{self.shape_id}#{self.sequence}"


class ServiceCalendar(models.Model):
    """The weekdays a service runs between two dates (``calendar.txt``)."""

    feed = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    service_id = models.CharField(max_length=100)
    weekdays = models.CharField(max_length=7, help_text="Monday to Sunday, 1 or 0 each.")
    start_date = models.DateField()
    end_date = models.DateField()

    def __str__(self) -> str:
        return self.service_id

    def runs_on_weekday(self, weekday: int) -> bool:
        return self.weekdays[weekday] == "1"


class ServiceException(models.Model):
    """A service added (1) or removed (2) on one date (``calendar_dates.txt``)."""

    feed = models.ForeignKey(FeedVersion, on_delete=models.CASCADE, related_name="+")
    service_id = models.CharField(max_length=100)
    date = models.DateField()
    exception_type = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.service_id} {self.date}"


class Vehicle(models.Model):
    """A bus as last heard from, and where it stands against its trip's schedule."""

    vehicle_id = models.CharField(_("vehicle"), max_length=100, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    bearing = models.FloatField(_("bearing"), null=True, blank=True)
    speed = models.FloatField(_("speed (m/s)"), null=True, blank=True)
    observed_at = models.DateTimeField(_("observed at"), db_index=True)
    trip_id = models.CharField(_("trip"), max_length=100, blank=True)
    route_id = models.CharField(_("route"), max_length=100, blank=True, db_index=True)
    direction_id = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField(_("service date"), null=True, blank=True)
    last_stop_sequence = models.PositiveIntegerField(null=True, blank=True)
    next_stop_sequence = models.PositiveIntegerField(null=True, blank=True)
    next_stop_id = models.CharField(_("next stop"), max_length=100, blank=True)
    delay = models.IntegerField(_("delay (s)"), null=True, blank=True)
    progress = models.IntegerField(
        null=True, blank=True, help_text="Scheduled seconds from the trip's start to here."
    )

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["vehicle_id"]

    def __str__(self) -> str:
        return self.label or self.vehicle_id


class PositionTally(models.Model):
    """How many positions had each outcome since the counters began (all workers together)."""

    outcome = models.CharField(max_length=20, choices=PositionOutcome.choices, unique=True)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.outcome}: {self.count}"


class AlarmRoute(models.Model):
    """An alarm that affects a route: published as a GTFS-realtime alert while it is active.

    Transit's own alarms are linked when raised; an operator may link any other alarm.
    """

    alarm = models.ForeignKey("alerts.Alarm", on_delete=models.CASCADE, related_name="+")
    route_id = models.CharField(_("route"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=TransitAlarmKind.choices, blank=True)

    class Meta:
        verbose_name = _("alarm on a route")
        verbose_name_plural = _("alarms on routes")
        constraints = [
            models.UniqueConstraint(fields=["alarm", "route_id"], name="transit_alarm_route")
        ]

    def __str__(self) -> str:
        return f"{self.alarm_id} → {self.route_id}"


class VehiclePosition(models.Model):
    """A vehicle's accepted position, kept a short while for its recent track on the console map
    (pruned by the job ``prune_vehicle_tracks``)."""

    vehicle_id = models.CharField(_("vehicle"), max_length=100)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    observed_at = models.DateTimeField(_("observed at"), db_index=True)
    route_id = models.CharField(_("route"), max_length=100, blank=True)
    delay = models.IntegerField(_("delay (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("vehicle position")
        verbose_name_plural = _("vehicle positions")
        indexes = [
            models.Index(fields=["vehicle_id", "observed_at"], name="transit_track"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.observed_at:%H:%M:%S}"
