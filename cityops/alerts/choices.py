"""The vocabulary of alarms, alarm rules and warning bulletins."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityops.reports.choices import Priority


class Severity(models.TextChoices):
    """An alarm's severity (ITU-T X.733 names), most severe first."""

    CRITICAL = "critical", _("Critical")
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Info")

    @property
    def rank(self) -> int:
        """0 for critical … 4 for info: lists sort by it."""
        return list(Severity).index(self)

    @property
    def notifies(self) -> bool:
        """Critical and major alarms are mailed to the operators on duty."""
        return self in (Severity.CRITICAL, Severity.MAJOR)


class RuleKind(models.TextChoices):
    THRESHOLD = "threshold", _("Threshold")
    OFFLINE = "offline", _("No data (offline)")
    AQI_BAND = "aqi_band", _("Air quality (VN_AQI) level")
    FIRE = "fire", _("Fire alarm")


class Comparison(models.TextChoices):
    GT = "gt", ">"
    GTE = "gte", "≥"
    LT = "lt", "<"
    LTE = "lte", "≤"

    @property
    def test(self) -> Callable[[float, float], bool]:
        return _TESTS[self]


_TESTS: dict[Comparison, Callable[[float, float], bool]] = {
    Comparison.GT: operator.gt,
    Comparison.GTE: operator.ge,
    Comparison.LT: operator.lt,
    Comparison.LTE: operator.le,
}


class CameraEventType(models.TextChoices):
    """What a camera's video analytics report (``POST /api/v1/cameras/{code}/events``)."""

    CONGESTION = "congestion", _("Traffic congestion")
    WRONG_WAY = "wrong_way", _("Vehicle driving the wrong way")
    ILLEGAL_PARKING = "illegal_parking", _("Illegal parking")
    CROWD = "crowd", _("Crowd gathering")
    FIRE_SMOKE = "fire_smoke", _("Fire or smoke")
    LITTERING = "littering", _("Littering")
    ACCIDENT = "accident", _("Traffic accident")


class AlarmType(models.TextChoices):
    """An alarm's type: the kind of the rule that raised it, or the camera event's type."""

    THRESHOLD = RuleKind.THRESHOLD.value, RuleKind.THRESHOLD.label
    OFFLINE = RuleKind.OFFLINE.value, RuleKind.OFFLINE.label
    AQI_BAND = RuleKind.AQI_BAND.value, RuleKind.AQI_BAND.label
    FIRE = RuleKind.FIRE.value, RuleKind.FIRE.label
    CONGESTION = CameraEventType.CONGESTION.value, CameraEventType.CONGESTION.label
    WRONG_WAY = CameraEventType.WRONG_WAY.value, CameraEventType.WRONG_WAY.label
    ILLEGAL_PARKING = CameraEventType.ILLEGAL_PARKING.value, CameraEventType.ILLEGAL_PARKING.label
    CROWD = CameraEventType.CROWD.value, CameraEventType.CROWD.label
    FIRE_SMOKE = CameraEventType.FIRE_SMOKE.value, CameraEventType.FIRE_SMOKE.label
    LITTERING = CameraEventType.LITTERING.value, CameraEventType.LITTERING.label
    ACCIDENT = CameraEventType.ACCIDENT.value, CameraEventType.ACCIDENT.label
    BUS_LATE = "bus_late", _("Bus running late")  # raised by transit, per route
    BUS_BUNCHING = "bus_bunching", _("Buses bunching")
    PRESS_SPIKE = "press_spike", _("Press mentions spike")  # raised by press, per watched entry
    PRESS_NEGATIVE = "press_negative", _("Negative press story")


# How serious each camera event is; a fire is everyone's business at once.
CAMERA_SEVERITY: dict[str, Severity] = {
    CameraEventType.FIRE_SMOKE: Severity.CRITICAL,
    CameraEventType.ACCIDENT: Severity.MAJOR,
    CameraEventType.WRONG_WAY: Severity.MAJOR,
    CameraEventType.CROWD: Severity.MINOR,
    CameraEventType.CONGESTION: Severity.MINOR,
    CameraEventType.ILLEGAL_PARKING: Severity.WARNING,
    CameraEventType.LITTERING: Severity.WARNING,
}


class ReportDefault(NamedTuple):
    """What a report made from an alarm is by default: a category code (Open311 service code;
    None: decided by the sensor's kind) and a priority (None: likewise, else the category's)."""

    category: str | None
    priority: str | None


_URGENT, _NORMAL = Priority.URGENT.value, Priority.NORMAL.value

# The report an alarm becomes by default, by alarm type; rule alarms of other kinds go by the
# sensor's kind (``REPORT_BY_SENSOR_KIND``). A rule may name its own category and priority, and
# the operator may pick others when turning the alarm into a report (docs/alerts.md). A fire is
# ``public-order``: in Vietnam the fire and rescue police (Cảnh sát PCCC và CNCH) belong to the
# Công an, which is the agency that category is routed to; a fire is urgent.
REPORT_BY_ALARM_TYPE: dict[str, ReportDefault] = {
    AlarmType.CONGESTION: ReportDefault("traffic-infrastructure", _NORMAL),
    AlarmType.WRONG_WAY: ReportDefault("public-order", _NORMAL),
    AlarmType.ILLEGAL_PARKING: ReportDefault("public-order", _NORMAL),
    AlarmType.CROWD: ReportDefault("public-order", _NORMAL),
    AlarmType.FIRE_SMOKE: ReportDefault("public-order", _URGENT),
    AlarmType.FIRE: ReportDefault("public-order", _URGENT),
    AlarmType.LITTERING: ReportDefault("sanitation", _NORMAL),
    AlarmType.ACCIDENT: ReportDefault("traffic-infrastructure", _URGENT),
    AlarmType.AQI_BAND: ReportDefault("sanitation", _NORMAL),
    # A silent station is a repair for its owner, not an emergency in the street.
    AlarmType.OFFLINE: ReportDefault(None, _NORMAL),
}
REPORT_BY_SENSOR_KIND: dict[str, ReportDefault] = {
    "air_quality": ReportDefault("sanitation", _NORMAL),
    "water_level": ReportDefault("urban-infrastructure", _URGENT),  # a rising river: flooding
    "rain_gauge": ReportDefault("urban-infrastructure", _URGENT),  # heavy rain: flooding
    "weather": ReportDefault("other", _NORMAL),
    "fire_alarm": ReportDefault("public-order", _URGENT),
    "camera": ReportDefault("public-order", _NORMAL),
    "transit_route": ReportDefault("other", _NORMAL),  # the bus operator's concern
    "press_watch": ReportDefault("other", _NORMAL),  # press stories: the operator decides
}
FALLBACK_CATEGORY = "other"


class AlarmEventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    REPEATED = "repeated", _("Raised again")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSIGNED = "assigned", _("Assigned")
    CLEARED = "cleared", _("Cleared")
    REPORTED = "reported", _("Turned into a report")


class AlarmState(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLEARED = "cleared", _("Cleared")


class BulletinKind(models.TextChoices):
    WEATHER = "weather", _("Weather")
    FLOOD = "flood", _("Flood")
    FIRE = "fire", _("Fire")
    AIR_QUALITY = "air_quality", _("Air quality")
    OTHER = "other", _("Other")


class CapSeverity(models.TextChoices):
    """CAP 1.2 ``severity``, most severe first."""

    EXTREME = "extreme", _("Extreme")
    SEVERE = "severe", _("Severe")
    MODERATE = "moderate", _("Moderate")
    MINOR = "minor", _("Minor")
    UNKNOWN = "unknown", _("Unknown")

    @property
    def rank(self) -> int:
        return list(CapSeverity).index(self)


class CapUrgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate")
    EXPECTED = "expected", _("Expected")
    FUTURE = "future", _("Future")
    PAST = "past", _("Past")
    UNKNOWN = "unknown", _("Unknown")


class CapCertainty(models.TextChoices):
    OBSERVED = "observed", _("Observed")
    LIKELY = "likely", _("Likely")
    POSSIBLE = "possible", _("Possible")
    UNLIKELY = "unlikely", _("Unlikely")
    UNKNOWN = "unknown", _("Unknown")


class CapMsgType(models.TextChoices):
    ALERT = "alert", _("Alert")
    UPDATE = "update", _("Update")
    CANCEL = "cancel", _("Cancel")


class BulletinOrigin(models.TextChoices):
    OPERATOR = "operator", _("Written by an operator")
    CAP = "cap", _("Imported from CAP")
