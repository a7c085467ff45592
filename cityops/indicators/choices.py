"""An indicator's desired direction and update frequency, an upload's source."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    """Which way the figure should move."""

    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Frequency(models.TextChoices):
    """How often a new figure is due; a value's period starts on the period's first day."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Source(models.TextChoices):
    CSV = "csv", _("CSV file")
    XLSX = "xlsx", _("Excel workbook")
    HTTP = "http", _("HTTP API")


class Status(models.TextChoices):
    """An indicator's progress towards its target (``progress.py`` says how it is judged)."""

    ON_TRACK = "on_track", _("On track")
    NEEDS_ATTENTION = "attention", _("Needs attention")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("Not enough data")
