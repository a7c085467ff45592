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
    TRANSIT_ROUTE = "transit_route", _("Bus route")  # the source of transit alarms: no readings
    PRESS_WATCH = "press_watch", _("Press watch-list entry")  # press alarms' source: no readings


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
    low: float  # the physical range, in ``unit``: readings outside it are refused
    high: float


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

# What each metric can physically measure, in its unit: a reading outside is a broken sensor or
# a forged message, refused at ingest (HTTP and MQTT) and ignored by every read, so that no
# mean, sum or AQI ever sees it. Pollutants reach past the top of the AQI's scale (Decision
# 1459/QĐ-TCMT caps the index at 500) with room for instruments' own full scale.
METRIC_RANGES: dict[str, tuple[float, float]] = {
    Metric.PM25: (0, 1000),
    Metric.PM10: (0, 2000),
    Metric.O3: (0, 2000),
    Metric.CO: (0, 300_000),
    Metric.NO2: (0, 5000),
    Metric.SO2: (0, 5000),
    Metric.WATER_LEVEL: (-20, 100),  # against the gauge's datum
    Metric.RAIN_1H: (0, 500),  # the world record is about 305 mm in an hour
    Metric.TEMPERATURE: (-60, 70),
    Metric.HUMIDITY: (0, 100),
    Metric.WIND_SPEED: (0, 120),  # the strongest gust measured was 113 m/s
    Metric.FIRE_STATE: (0, 1),
}
# A metric outside the catalogue (a sensor may declare its own) gets this bound: wide enough for
# any instrument, small enough that summing billions of readings cannot overflow a float.
OTHER_RANGE: tuple[float, float] = (-1e9, 1e9)
_RANGES: dict[str, tuple[float, float]] = {
    str(metric): (float(low), float(high)) for metric, (low, high) in METRIC_RANGES.items()
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
    SensorKind.TRANSIT_ROUTE: (),
    SensorKind.PRESS_WATCH: (),
}

POLLUTANTS = (Metric.PM25, Metric.PM10, Metric.O3, Metric.CO, Metric.NO2, Metric.SO2)


def metric_info(code: str) -> MetricInfo:
    """Unit, label and range of a catalogue metric; other codes get their code as label, no
    unit and ``OTHER_RANGE``."""
    try:
        metric = Metric(code)
    except ValueError:
        return MetricInfo(code=code, unit="", label=code, low=OTHER_RANGE[0], high=OTHER_RANGE[1])
    low, high = METRIC_RANGES[metric]
    return MetricInfo(code=code, unit=METRIC_UNITS[metric], label=metric.label, low=low, high=high)


def metric_range(code: str) -> tuple[float, float]:
    """The physical range of a metric (``OTHER_RANGE`` outside the catalogue): a plain lookup,
    for the ingest's hot loop."""
    return _RANGES.get(code, OTHER_RANGE)


def metrics_of_kind(kind: str) -> list[dict[str, str]]:
    """The default ``Sensor.metrics`` value for a kind: ``[{"code", "unit", "label"}]``.

    Labels are stored in English (the msgid); pages show ``metric_info(code).label`` translated.
    """
    with translation.override("en"):
        return [
            {"code": info.code, "unit": info.unit, "label": str(info.label)}
            for info in (metric_info(code) for code in DEFAULT_METRICS.get(kind, ()))
        ]
