"""A layer's source coordinate system and an import's progress."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceCrs(models.TextChoices):
    """The coordinate systems a layer's file may be drawn in."""

    WGS84 = "wgs84", _("WGS 84 (longitude, latitude)")
    VN2000_HUE = "vn2000_107", _("VN-2000, Huế's 3° zone (central meridian 107°00′)")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
