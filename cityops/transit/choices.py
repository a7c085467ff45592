"""The vocabulary of public transport: GTFS files, route types, what happens to a position."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RouteType(models.IntegerChoices):
    """GTFS ``route_type`` (the basic values of the reference)."""

    TRAM = 0, _("Tram")
    SUBWAY = 1, _("Metro")
    RAIL = 2, _("Train")
    BUS = 3, _("Bus")
    FERRY = 4, _("Ferry")
    CABLE_TRAM = 5, _("Cable tram")
    AERIAL_LIFT = 6, _("Cable car")
    FUNICULAR = 7, _("Funicular")
    TROLLEYBUS = 11, _("Trolleybus")
    MONORAIL = 12, _("Monorail")


class PositionOutcome(models.TextChoices):
    """What became of a vehicle's position; every outcome but ``accepted`` is counted as dropped."""

    ACCEPTED = "accepted", _("Accepted")
    STALE = "stale", _("Too old")
    OUT_OF_ORDER = "out_of_order", _("Older than the vehicle's last position")
    NULL_ISLAND = "null_island", _("No position (0, 0)")
    INVALID = "invalid", _("Not a valid position")

    @property
    def dropped(self) -> bool:
        return self is not PositionOutcome.ACCEPTED


class TransitAlarmKind(models.TextChoices):
    """The conditions transit watches; each raises an alarm through the alerts services."""

    LONG_DELAY = "long_delay", _("Bus running late")
    BUNCHING = "bunching", _("Buses bunching")


# The files of a static feed, in the order they are loaded (a file refers to earlier ones).
REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
CALENDAR_FILES = ("calendar.txt", "calendar_dates.txt")  # at least one of the two
OPTIONAL_FILES = ("shapes.txt",)
