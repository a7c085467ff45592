"""Reads for monitoring: the registry, latest values, history, VN_AQI from stored readings, and
the stations layer for maps.

Every read ignores stored values outside their metric's physical range (``in_physical_range``):
the ingest refuses them, but older data may hold them, and two readings of 1.7e308 would make
any mean infinite (and PostgreSQL's ``avg`` raise). Bounded values cannot overflow a sum.

Time buckets are the city's (Asia/Ho_Chi_Minh, ``settings.TIME_ZONE``). For the AQI, hours are
labelled by their END as Decision 1459/QĐ-TCMT does (the mean of 13:00–14:00 is hour 14:00); the
history API labels buckets by their start, as charts expect.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from cityops.monitoring import aqi, rollups
from cityops.monitoring.aqi import AqiResult
from cityops.monitoring.choices import (
    POLLUTANTS,
    SensorKind,
    metric_info,
)
from cityops.monitoring.models import LatestReading, Reading, Sensor
from cityops.monitoring.rollups import in_physical_range
from cityops.platform import clock
from cityops.platform.errors import InvalidInput, NotFound

HOUR = timedelta(hours=1)
MAX_POINTS = 20_000
# The map's "current" band: the newest hour with an AQI, if it is at most this old.
CURRENT_AQI_MAX_AGE = timedelta(hours=3)


def city_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# Registry ---------------------------------------------------------------------------------------


def sensors_list(
    *, kind: str | None = None, area_code: str | None = None, active_only: bool = False
) -> QuerySet[Sensor]:
    sensors = Sensor.objects.select_related("area")
    if kind:
        sensors = sensors.filter(kind=kind)
    if area_code:
        sensors = sensors.filter(area__code=area_code)
    if active_only:
        sensors = sensors.filter(is_active=True)
    return sensors.order_by("code")


def sensor_by_code(code: str) -> Sensor:
    sensor = Sensor.objects.select_related("area").filter(code=code).first()
    if sensor is None:
        raise NotFound(f"There is no sensor {code}.", code="unknown_sensor")
    return sensor


def latest_by_sensor(sensor_ids: Iterable[int]) -> dict[int, dict[str, LatestReading]]:
    """Each sensor's newest value per metric (one query)."""
    result: dict[int, dict[str, LatestReading]] = defaultdict(dict)
    latest_values = LatestReading.objects.filter(sensor_id__in=list(sensor_ids))
    for latest in latest_values.filter(in_physical_range()):
        result[latest.sensor_id][latest.metric] = latest
    return result


# Hourly means -----------------------------------------------------------------------------------


def hourly_means(
    *, sensor_ids: Sequence[int], metrics: Sequence[str], start: datetime, end: datetime
) -> dict[tuple[int, str], dict[datetime, float]]:
    """Mean per (sensor, metric) and hour, keyed by the hour's END label, for readings in
    [start, end): from the hourly rollups (``rollups.hourly_summaries``).
    """
    summaries = rollups.hourly_summaries(
        sensor_ids=sensor_ids, metrics=metrics, start=start, end=end
    )
    means: dict[tuple[int, str], dict[datetime, float]] = defaultdict(dict)
    tz = city_tz()
    for (sensor_id, metric, hour), summary in summaries.items():
        means[sensor_id, metric][(hour + HOUR).astimezone(tz)] = summary.mean
    return means


def _hourly_result(means: dict[str, dict[datetime, float]], label: datetime) -> AqiResult | None:
    def back(metric: str) -> list[float | None]:
        series = means.get(metric, {})
        return [series.get(label - k * HOUR) for k in range(aqi.NOWCAST_HOURS)]

    def now(metric: str) -> float | None:
        return means.get(metric, {}).get(label)

    return aqi.hourly_aqi(
        pm25=back("pm25"),
        pm10=back("pm10"),
        o3=now("o3"),
        co=now("co"),
        no2=now("no2"),
        so2=now("so2"),
    )


def _daily_result(means: dict[str, dict[datetime, float]], day_start: datetime) -> AqiResult | None:
    labels = [day_start + k * HOUR for k in range(1, 25)]  # 01:00 … 00:00 of the next day

    def in_day(metric: str) -> list[float | None]:
        series = means.get(metric, {})
        return [series.get(label) for label in labels]

    def largest(metric: str) -> float | None:
        present = [v for v in in_day(metric) if v is not None]
        return max(present) if present else None

    o3_series = means.get("o3", {})
    o3_31 = [o3_series.get(day_start + k * HOUR) for k in range(-6, 25)]
    return aqi.daily_aqi(
        pm25_mean_24h=aqi.mean(in_day("pm25")),
        pm10_mean_24h=aqi.mean(in_day("pm10")),
        o3_max_1h=largest("o3"),
        o3_max_8h=aqi.day_max_8h(o3_31),
        co_max_1h=largest("co"),
        no2_max_1h=largest("no2"),
        so2_max_1h=largest("so2"),
    )


@dataclass(frozen=True)
class DayAqi:
    day: date
    daily: AqiResult | None
    hourly: list[tuple[datetime, AqiResult]]  # (hour label, result), in time order


def sensor_aqi_day(*, sensor: Sensor, day: date) -> DayAqi:
    """The sensor's daily AQI and every hourly AQI of ``day`` (city time) from stored readings.

    Raises InvalidInput for a day outside ``clock.FIRST_DAY`` … ``clock.LAST_DAY``.
    """
    if not clock.in_range(day):
        raise InvalidInput(clock.range_problem(), fields={"date": [clock.range_problem()]})
    tz = city_tz()
    day_start = datetime.combine(day, time.min, tzinfo=tz)
    start = day_start - (aqi.NOWCAST_HOURS + 1) * HOUR  # the earliest c12 behind hour 01:00
    end = day_start + 24 * HOUR
    per_pair = hourly_means(sensor_ids=[sensor.pk], metrics=POLLUTANTS, start=start, end=end)
    means = {metric: series for (_, metric), series in per_pair.items()}
    hourly = []
    for k in range(1, 25):
        label = day_start + k * HOUR
        result = _hourly_result(means, label)
        if result is not None:
            hourly.append((label, result))
    return DayAqi(day=day, daily=_daily_result(means, day_start), hourly=hourly)


def current_aqi(sensor_ids: Sequence[int]) -> dict[int, tuple[datetime, AqiResult]]:
    """Per sensor, the hourly AQI of the newest hour that has one (the running hour counts with
    what it has so far), unless older than ``CURRENT_AQI_MAX_AGE``.
    """
    if not sensor_ids:
        return {}
    now = clock.now().astimezone(city_tz())
    running = now.replace(minute=0, second=0, microsecond=0) + HOUR  # its end label
    oldest = running - CURRENT_AQI_MAX_AGE
    per_pair = hourly_means(
        sensor_ids=sensor_ids,
        metrics=POLLUTANTS,
        start=oldest - (aqi.NOWCAST_HOURS + 1) * HOUR,
        end=running,
    )
    by_sensor: dict[int, dict[str, dict[datetime, float]]] = defaultdict(dict)
    for (sensor_id, metric), series in per_pair.items():
        by_sensor[sensor_id][metric] = series
    result = {}
    for sensor_id, means in by_sensor.items():
        label = running
        while label > oldest:
            found = _hourly_result(means, label)
            if found is not None:
                result[sensor_id] = (label, found)
                break
            label -= HOUR
    return result


# History ----------------------------------------------------------------------------------------

RESOLUTIONS = ("raw", "hour", "day")


@dataclass(frozen=True)
class Point:
    time: datetime
    value: float
    count: int = 1
    minimum: float | None = None
    maximum: float | None = None


def readings_history(
    *,
    sensor: Sensor,
    start: datetime,
    end: datetime,
    resolution: str = "raw",
    metrics: Sequence[str] = (),
) -> dict[str, list[Point]]:
    """Readings in [start, end) per metric: raw, or hourly/daily averages (city time, buckets
    labelled by their start). Raises InvalidInput for a reversed range or too many points.
    """
    if resolution not in RESOLUTIONS:
        raise InvalidInput(
            f"resolution must be one of {', '.join(RESOLUTIONS)}.",
            fields={"resolution": [f"One of: {', '.join(RESOLUTIONS)}."]},
        )
    if end <= start:
        raise InvalidInput("'to' must be after 'from'.", fields={"to": ["Must be after 'from'."]})
    readings = Reading.objects.filter(sensor=sensor, observed_at__gte=start, observed_at__lt=end)
    if metrics:
        readings = readings.filter(metric__in=list(metrics))
    readings = readings.filter(in_physical_range(metrics or None))
    series: dict[str, list[Point]] = defaultdict(list)
    if resolution == "raw":
        rows = list(
            readings.order_by("metric", "observed_at").values_list(
                "metric", "observed_at", "value"
            )[: MAX_POINTS + 1]
        )
        _check_size(len(rows))
        tz = city_tz()
        for metric, observed_at, value in rows:
            series[metric].append(Point(observed_at.astimezone(tz), value))
        return dict(series)
    # Hourly and daily points come from the rollups, so they outlive the raw readings.
    tz = city_tz()
    chosen = list(metrics) or None
    points: list[tuple[str, datetime, rollups.Summary]]
    if resolution == "hour":
        hours = rollups.hourly_summaries(
            sensor_ids=[sensor.pk], metrics=chosen, start=start, end=end, limit=MAX_POINTS + 1
        )
        points = [(metric, hour.astimezone(tz), s) for (_, metric, hour), s in hours.items()]
    else:
        days = rollups.daily_summaries(sensor_ids=[sensor.pk], metrics=chosen, start=start, end=end)
        points = [(metric, rollups.day_start(day), s) for (_, metric, day), s in days.items()]
    _check_size(len(points))
    for metric, bucket, summary in sorted(points, key=lambda point: point[:2]):
        series[metric].append(
            Point(bucket, summary.mean, summary.count, summary.minimum, summary.maximum)
        )
    return dict(series)


def _check_size(count: int) -> None:
    if count > MAX_POINTS:
        raise InvalidInput(
            f"More than {MAX_POINTS} points: narrow the range or use a coarser resolution.",
            code="too_many_points",
            fields={"resolution": ["Too many points for this range."]},
        )


# Map --------------------------------------------------------------------------------------------


def stations_geojson(*, kinds: Sequence[str] = ()) -> dict[str, Any]:
    """Active stations as a GeoJSON FeatureCollection with their latest values and, for
    air-quality stations, the current AQI band (``aqi``, ``level``, ``colour``…): the public
    AQI map's layer, reusable by the console map.
    """
    sensors = list(sensors_list(active_only=True))
    if kinds:
        sensors = [s for s in sensors if s.kind in kinds]
    latest = latest_by_sensor(s.pk for s in sensors)
    air = [s.pk for s in sensors if s.kind == SensorKind.AIR_QUALITY]
    current = current_aqi(air)
    features = []
    for sensor in sensors:
        properties: dict[str, Any] = {
            "code": sensor.code,
            "name": sensor.name,
            "kind": sensor.kind,
            "kind_label": str(SensorKind(sensor.kind).label),
            "area": sensor.area.name if sensor.area else None,
            "is_simulated": sensor.is_simulated,
            "last_seen_at": sensor.last_seen_at.isoformat() if sensor.last_seen_at else None,
            "values": {
                metric: {
                    "value": reading.value,
                    "unit": metric_info(metric).unit,
                    "label": str(metric_info(metric).label),
                    "observed_at": reading.observed_at.isoformat(),
                }
                for metric, reading in sorted(latest.get(sensor.pk, {}).items())
            },
            "aqi": None,
        }
        if sensor.pk in current:
            label, result = current[sensor.pk]
            properties["aqi"] = aqi_dict(result, hour=label)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [sensor.lon, sensor.lat]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def aqi_dict(result: AqiResult, *, hour: datetime | None = None) -> dict[str, Any]:
    """An AQI result for JSON: value, level (1–6), names, colour, dominant pollutant."""
    data: dict[str, Any] = {
        "aqi": result.aqi,
        "level": result.band.name_en,
        "level_number": result.band.level,
        "level_vi": result.band.name_vi,
        "level_label": str(result.band.label),
        "colour": result.band.colour,
        "dominant": result.dominant,
        "dominant_label": str(metric_info(result.dominant).label),
        "sub_indices": result.sub_indices,
    }
    if hour is not None:
        data["hour"] = hour.astimezone(city_tz()).isoformat()
    return data
