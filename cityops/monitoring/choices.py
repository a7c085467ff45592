"""Sensor kinds and the catalogue of metrics a sensor can report."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class SensorKind(models.TextChoices):
    AIR_QUALITY = "air_quality", _("Air quality station")
    WATER_LEVEL = "water_level", _("Water level gauge")
    RAIN_GAUGE = "rain_gauge", _("Rain gauge")
    WEATHER = "weather", _("Weather station")
    FIRE_ALARM = "fire_alarm", _("Fire alarm")
    CAMERA = "camera", _("Camera")


class Metric(models.TextChoices):
    """Short codes of the quantities readings carry (the keys of a payload's ``values``)."""

    PM25 = "pm25", _("PM2.5")
    PM10 = "pm10", _("PM10")
    O3 = "o3", _("Ozone (O₃)")
    CO = "co", _("Carbon monoxide (CO)")
    NO2 = "no2", _("Nitrogen dioxide (NO₂)")
    SO2 = "so2", _("Sulphur dioxide (SO₂)")
    WATER_LEVEL = "water_level", _("Water level")
    RAIN_1H = "rain_1h", _("Rainfall in the last hour")
    TEMPERATURE = "temperature", _("Temperature")
    HUMIDITY = "humidity", _("Relative humidity")
    WIND_SPEED = "wind_speed", _("Wind speed")
    FIRE_STATE = "fire_state", _("Fire alarm state")


@dataclass(frozen=True)
class MetricInfo:
    code: str
    unit: str
    label: str | Promise


# Units are fixed per metric so that every sensor of a kind is comparable (and the AQI needs
# µg/m³ for every pollutant, CO included: Decision 1459/QĐ-TCMT).
METRIC_UNITS: dict[str, str] = {
    Metric.PM25: "µg/m³",
    Metric.PM10: "µg/m³",
    Metric.O3: "µg/m³",
    Metric.CO: "µg/m³",
    Metric.NO2: "µg/m³",
    Metric.SO2: "µg/m³",
    Metric.WATER_LEVEL: "m",
    Metric.RAIN_1H: "mm",
    Metric.TEMPERATURE: "°C",
    Metric.HUMIDITY: "%",
    Metric.WIND_SPEED: "m/s",
    Metric.FIRE_STATE: "0/1",
}

# What a new sensor of each kind reports unless its registration says otherwise.
DEFAULT_METRICS: dict[str, tuple[str, ...]] = {
    SensorKind.AIR_QUALITY: (
        Metric.PM25,
        Metric.PM10,
        Metric.O3,
        Metric.CO,
        Metric.NO2,
        Metric.SO2,
    ),
    SensorKind.WATER_LEVEL: (Metric.WATER_LEVEL,),
    SensorKind.RAIN_GAUGE: (Metric.RAIN_1H,),
    SensorKind.WEATHER: (Metric.TEMPERATURE, Metric.HUMIDITY, Metric.WIND_SPEED, Metric.RAIN_1H),
    SensorKind.FIRE_ALARM: (Metric.FIRE_STATE,),
    SensorKind.CAMERA: (),
}

POLLUTANTS = (Metric.PM25, Metric.PM10, Metric.O3, Metric.CO, Metric.NO2, Metric.SO2)


def metric_info(code: str) -> MetricInfo:
    """Unit and label of a catalogue metric; other codes get their code as label, no unit."""
    try:
        metric = Metric(code)
    except ValueError:
        return MetricInfo(code=code, unit="", label=code)
    return MetricInfo(code=code, unit=METRIC_UNITS[metric], label=metric.label)


def metrics_of_kind(kind: str) -> list[dict[str, str]]:
    """The default ``Sensor.metrics`` value for a kind: ``[{"code", "unit", "label"}]``.

    Labels are stored in English (the msgid); pages show ``metric_info(code).label`` translated.
    """
    with translation.override("en"):
        return [
            {"code": info.code, "unit": info.unit, "label": str(info.label)}
            for info in (metric_info(code) for code in DEFAULT_METRICS.get(kind, ()))
        ]
