"""The messages of the alarms the rules raise, in the city's language whoever triggers them."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityops.alerts.choices import RuleKind
from cityops.alerts.models import AlarmRule
from cityops.alerts.rules.compiled import Compiled
from cityops.monitoring.aqi import AqiResult
from cityops.monitoring.choices import metric_info
from cityops.monitoring.hooks import StoredReading
from cityops.monitoring.models import Sensor


def _number(value: float) -> str:
    return f"{value:g}"


def threshold_text(rule: Compiled, reading: StoredReading) -> str:
    info = metric_info(reading.metric)
    unit = f" {info.unit}" if info.unit else ""
    with translation.override(settings.LANGUAGE_CODE):
        if rule.kind == RuleKind.FIRE:
            return _("Fire alarm ringing (rule “%(rule)s”)") % {"rule": rule.name}
        assert rule.value is not None
        held = _(" for %(minutes)s min") % {"minutes": rule.minutes} if rule.minutes else ""
        return _("%(metric)s %(value)s%(unit)s, %(comparison)s %(limit)s%(unit)s%(held)s") % {
            "metric": info.label,
            "value": _number(reading.value),
            "unit": unit,
            "comparison": rule.comparison,
            "limit": _number(rule.value),
            "held": held,
        }


def aqi_text(result: AqiResult) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Hourly VN_AQI %(aqi)s (%(level)s), dominant pollutant %(dominant)s") % {
            "aqi": result.aqi,
            "level": result.band.label,
            "dominant": metric_info(result.dominant).label,
        }


def offline_text(rule: AlarmRule, sensor: Sensor) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if sensor.last_seen_at is None:
            return _("No data for %(minutes)s min: nothing received since it was registered") % {
                "minutes": rule.minutes
            }
        return _("No data for %(minutes)s min: last heard from %(seen)s") % {
            "minutes": rule.minutes,
            "seen": timezone.localtime(sensor.last_seen_at).strftime("%d/%m/%Y %H:%M"),
        }
