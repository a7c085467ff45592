"""Monitoring: the sensor registry, readings in (API key) and out, and VN_AQI.

Reads are public, as the AQI map is; writing readings needs an API key
(``cityops apikey create --name N``, header ``X-API-Key``). The MQTT topic
``cityops/sensors/{code}/readings`` takes the same payload (docs/monitoring.md).
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cityops.api.auth import OPTIONAL, OPTIONAL_OPENAPI, ApiKeyAuth
from cityops.api.schemas import InputSchema, errors
from cityops.api.writes import Limit, api_write
from cityops.monitoring import selectors
from cityops.monitoring.choices import SensorKind, metric_info
from cityops.monitoring.models import Sensor
from cityops.monitoring.payloads import MAX_READINGS_PER_PAYLOAD
from cityops.monitoring.services import readings_ingest
from cityops.platform import clock
from cityops.platform.isotime import IsoDate, IsoDateTime

router = Router(tags=["monitoring"])
# Readings need an API key: limited per key only, since one gateway may relay many stations
# from one address (the per-address limit is for anonymous citizens' writes).
PER_KEY = (Limit("write_per_key", "credential"),)

SensorCode = Annotated[
    str,
    Field(
        max_length=60,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="The sensor's code.",
        json_schema_extra={"example": "hue-aq-01"},
    ),
]


class MetricOut(Schema):
    code: str
    unit: str
    label: str


class SensorOut(Schema):
    code: str
    name: str
    kind: str
    lat: float
    lon: float
    area: str | None = Field(description="The area's code (phường/xã), if any.")
    area_name: str | None
    metrics: list[MetricOut]
    is_active: bool
    is_simulated: bool
    last_seen_at: datetime | None

    @classmethod
    def of(cls, sensor: Sensor) -> SensorOut:
        return cls(
            code=sensor.code,
            name=sensor.name,
            kind=sensor.kind,
            lat=sensor.lat,
            lon=sensor.lon,
            area=sensor.area.code if sensor.area else None,
            area_name=sensor.area.name if sensor.area else None,
            metrics=[
                MetricOut(
                    code=str(m.get("code", "")),
                    unit=str(m.get("unit", "")),
                    label=str(m.get("label", "")),
                )
                for m in sensor.metrics
            ],
            is_active=sensor.is_active,
            is_simulated=sensor.is_simulated,
            last_seen_at=sensor.last_seen_at,
        )


class SensorQuery(InputSchema):
    kind: SensorKind | None = Field(default=None, description="Only sensors of this kind.")
    area: str | None = Field(default=None, max_length=10, description="An area's code.")


class ValueOut(Schema):
    value: float
    unit: str
    observed_at: datetime


class AqiNow(Schema):
    aqi: int
    level: str = Field(description="Good, Moderate, Poor, Bad, Very bad or Hazardous.")
    level_number: int = Field(ge=1, le=6)
    level_vi: str
    colour: str = Field(description="The decision's colour, #rrggbb.")
    dominant: str
    hour: datetime = Field(description="The hour's end (Decision 1459 labels hours so).")


class LatestOut(Schema):
    code: str
    name: str
    kind: str
    lat: float
    lon: float
    is_simulated: bool
    last_seen_at: datetime | None
    values: dict[str, ValueOut]
    aqi: AqiNow | None = Field(description="Current hourly VN_AQI (air-quality stations).")


class ReadingsAccepted(Schema):
    received: int = Field(description="Values in the request.")
    stored: int = Field(description="Values that were new.")
    duplicates: int = Field(description="Values stored before (same metric and time): ignored.")


class ReadingIn(Schema):
    observed_at: IsoDateTime = Field(description="ISO-8601 with its UTC offset.")
    values: dict[str, float] = Field(
        description='Metric code → value, e.g. {"pm25": 35.2, "pm10": 60.1}.',
        json_schema_extra={"example": {"pm25": 35.2, "pm10": 60.1}},
    )


IN_RANGE = f"between {clock.FIRST_DAY} and {clock.LAST_DAY} (UTC), else 400"


class HistoryQuery(InputSchema):
    from_: IsoDateTime | None = Field(
        default=None,
        alias="from",
        ge=clock.EARLIEST,
        le=clock.LATEST,
        description=f"Start (ISO-8601 with offset), {IN_RANGE}; default 24 h before 'to'.",
    )
    to: IsoDateTime | None = Field(
        default=None,
        ge=clock.EARLIEST,
        le=clock.LATEST,
        description=f"End (exclusive, ISO-8601 with offset), {IN_RANGE}; default now.",
    )
    resolution: Literal["raw", "hour", "day"] = "raw"
    metric: list[str] = Field(default_factory=list, description="Only these metrics (repeat).")


class HistoryPointOut(Schema):
    time: datetime = Field(description="Observation time, or the bucket's start (city time).")
    value: float = Field(description="The value, or the bucket's mean.")
    count: int = 1
    min: float | None = None
    max: float | None = None


class SeriesOut(Schema):
    metric: str
    unit: str
    points: list[HistoryPointOut]


class HistoryOut(Schema):
    code: str
    resolution: str
    from_: datetime = Field(alias="from")
    to: datetime
    series: list[SeriesOut]


class AqiQuery(InputSchema):
    date: IsoDate | None = Field(
        default=None,
        ge=clock.FIRST_DAY,
        le=clock.LAST_DAY,
        description=(
            f"YYYY-MM-DD, city time, between {clock.FIRST_DAY} and {clock.LAST_DAY}, else 400;"
            " default today."
        ),
    )


class AqiHourOut(Schema):
    hour: datetime = Field(description="The hour's end: 14:00 is the mean of 13:00–14:00.")
    aqi: int
    level: str
    dominant: str
    colour: str


class AqiDayOut(Schema):
    aqi: int
    level: str
    dominant: str
    colour: str


class AqiOut(Schema):
    date: Date
    daily: AqiDayOut | None
    hourly: list[AqiHourOut]


@router.get(
    "",
    response={200: list[SensorOut], **errors(400)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="List sensors and cameras",
)
def sensor_list(request: HttpRequest, query: Query[SensorQuery]) -> list[SensorOut]:
    """Every registered station and camera, by code; filter by ``kind`` and ``area``."""
    kind = query.kind.value if query.kind else None
    return [SensorOut.of(s) for s in selectors.sensors_list(kind=kind, area_code=query.area)]


@router.get(
    "/latest",
    response={200: list[LatestOut]},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="Latest value of every metric of every sensor",
)
def sensor_latest(request: HttpRequest) -> list[LatestOut]:
    """Active sensors with their newest value per metric and, for air-quality stations, the
    current hourly VN_AQI with its level and colour."""
    collection = selectors.stations_geojson()
    answers = []
    for feature in collection["features"]:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        answers.append(
            LatestOut(
                code=props["code"],
                name=props["name"],
                kind=props["kind"],
                lat=lat,
                lon=lon,
                is_simulated=props["is_simulated"],
                last_seen_at=props["last_seen_at"],
                values={
                    metric: ValueOut(value=v["value"], unit=v["unit"], observed_at=v["observed_at"])
                    for metric, v in props["values"].items()
                },
                aqi=AqiNow(**props["aqi"]) if props["aqi"] else None,
            )
        )
    return answers


@router.get(
    "/{code}",
    response={200: SensorOut, **errors(400, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="One sensor",
)
def sensor_detail(request: HttpRequest, code: SensorCode) -> SensorOut:
    return SensorOut.of(selectors.sensor_by_code(code))


@router.post(
    "/{code}/readings",
    response={202: ReadingsAccepted, **errors(400, 401, 404, 409, 413, 429)},
    auth=ApiKeyAuth(),
    summary="Send readings (API key)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            ReadingIn.model_json_schema(),
                            {
                                "type": "array",
                                "items": ReadingIn.model_json_schema(),
                                "minItems": 1,
                                "maxItems": MAX_READINGS_PER_PAYLOAD,
                            },
                        ]
                    }
                }
            },
        }
    },
)
@api_write(limits=PER_KEY)
def sensor_readings_post(request: HttpRequest, code: SensorCode) -> Status:
    """One reading ``{"observed_at": "…", "values": {"pm25": 35.2}}`` or a list of up to 1000.
    All are stored or none; a value already stored (same metric and time) is ignored, so a
    retry is safe. The same payload works over MQTT on ``cityops/sensors/{code}/readings``."""
    result = readings_ingest(code=code, payload=request.body)
    return Status(
        202,
        ReadingsAccepted(
            received=result.received, stored=len(result.stored), duplicates=result.duplicates
        ),
    )


@router.get(
    "/{code}/readings",
    response={200: HistoryOut, **errors(400, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    by_alias=True,
    summary="History of a sensor's readings",
)
def sensor_readings(
    request: HttpRequest, code: SensorCode, query: Query[HistoryQuery]
) -> dict[str, Any]:
    """Readings in [``from``, ``to``), raw or averaged per hour or day (city time, buckets
    labelled by their start, with count, min and max). At most 20,000 points per answer."""
    sensor = selectors.sensor_by_code(code)
    end = query.to or clock.now()
    start = query.from_ or end - timedelta(hours=24)
    series = selectors.readings_history(
        sensor=sensor, start=start, end=end, resolution=query.resolution, metrics=query.metric
    )
    return {
        "code": sensor.code,
        "resolution": query.resolution,
        "from": start,
        "to": end,
        "series": [
            {
                "metric": metric,
                "unit": metric_info(metric).unit,
                "points": [
                    {
                        "time": p.time,
                        "value": p.value,
                        "count": p.count,
                        "min": p.minimum,
                        "max": p.maximum,
                    }
                    for p in points
                ],
            }
            for metric, points in sorted(series.items())
        ],
    }


@router.get(
    "/{code}/aqi",
    response={200: AqiOut, **errors(400, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="VN_AQI of a day: daily and hourly",
)
def sensor_aqi(request: HttpRequest, code: SensorCode, query: Query[AqiQuery]) -> AqiOut:
    """VN_AQI per Decision 1459/QĐ-TCMT from the stored readings of ``date`` (city time):
    the daily AQI (null without PM data) and each hour's AQI (PM by NowCast)."""
    sensor = selectors.sensor_by_code(code)
    day = query.date or clock.now().astimezone(selectors.city_tz()).date()
    result = selectors.sensor_aqi_day(sensor=sensor, day=day)
    daily = None
    if result.daily is not None:
        daily = AqiDayOut(
            aqi=result.daily.aqi,
            level=result.daily.band.name_en,
            dominant=result.daily.dominant,
            colour=result.daily.band.colour,
        )
    return AqiOut(
        date=day,
        daily=daily,
        hourly=[
            AqiHourOut(
                hour=label,
                aqi=r.aqi,
                level=r.band.name_en,
                dominant=r.dominant,
                colour=r.band.colour,
            )
            for label, r in result.hourly
        ],
    )
