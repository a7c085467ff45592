"""The demo's simulated feed: about twenty Huế stations and three cameras, clearly labelled.

Every simulated sensor has ``is_simulated=True`` and "(mô phỏng)" in its name. Values follow a
plausible day: PM peaks with the morning and evening traffic, ozone in the afternoon sun,
temperature in the early afternoon, the Hương river rising slowly after rain. ``value_at`` is a
pure function of (station, metric, time), so the backfill and the live feed agree.
"""

from __future__ import annotations

import json
import logging
import math
import random
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from cityops.monitoring.choices import SensorKind
from cityops.monitoring.ingest.mqtt import Broker, client_for, readings_topic

logger = logging.getLogger(__name__)

SIMULATED_SUFFIX = " (mô phỏng)"
HUE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Station:
    code: str
    name: str
    kind: str
    lat: float
    lon: float
    level: float = 1.0  # how polluted / how wet this place is, relative to the city's typical


K = SensorKind
STATIONS = (
    # Air quality: the city centre, markets, the industrial zone, the riverside and the suburbs.
    Station("hue-aq-01", "Quan trắc không khí Đông Ba", K.AIR_QUALITY, 16.4728, 107.5870, 1.3),
    Station("hue-aq-02", "Quan trắc không khí Lê Lợi", K.AIR_QUALITY, 16.4640, 107.5905, 1.1),
    Station("hue-aq-03", "Quan trắc không khí Phú Bài", K.AIR_QUALITY, 16.4020, 107.7010, 1.8),
    Station("hue-aq-04", "Quan trắc không khí Thủy Dương", K.AIR_QUALITY, 16.4510, 107.6240, 1.0),
    Station("hue-aq-05", "Quan trắc không khí Kim Long", K.AIR_QUALITY, 16.4610, 107.5560, 0.8),
    Station("hue-aq-06", "Quan trắc không khí Hương Sơ", K.AIR_QUALITY, 16.4930, 107.5720, 1.0),
    Station("hue-aq-07", "Quan trắc không khí Thuận An", K.AIR_QUALITY, 16.5620, 107.6380, 0.6),
    Station("hue-aq-08", "Quan trắc không khí Tứ Hạ", K.AIR_QUALITY, 16.5320, 107.4590, 1.4),
    # Water level on the Hương and Bồ rivers and the Tam Giang lagoon.
    Station("hue-wl-01", "Mực nước sông Hương - Kim Long", K.WATER_LEVEL, 16.4625, 107.5610, 1.0),
    Station("hue-wl-02", "Mực nước sông Hương - Trường Tiền", K.WATER_LEVEL, 16.4660, 107.5890),
    Station("hue-wl-03", "Mực nước sông Bồ - Phú Ốc", K.WATER_LEVEL, 16.5210, 107.5010, 1.2),
    Station("hue-wl-04", "Mực nước phá Tam Giang", K.WATER_LEVEL, 16.5690, 107.5820, 0.7),
    Station("hue-wl-05", "Mực nước sông Như Ý", K.WATER_LEVEL, 16.4380, 107.6450, 0.9),
    # Rain gauges upstream and in the city.
    Station("hue-rg-01", "Đo mưa Bình Điền", K.RAIN_GAUGE, 16.3520, 107.5190, 1.5),
    Station("hue-rg-02", "Đo mưa Thượng Nhật", K.RAIN_GAUGE, 16.1240, 107.6860, 1.8),
    Station("hue-rg-03", "Đo mưa Phú Vang", K.RAIN_GAUGE, 16.4870, 107.7000, 1.0),
    Station("hue-rg-04", "Đo mưa Hương Trà", K.RAIN_GAUGE, 16.4800, 107.5200, 1.1),
    # Weather.
    Station("hue-wx-01", "Khí tượng Huế", K.WEATHER, 16.4430, 107.5930, 1.0),
    Station("hue-wx-02", "Khí tượng A Lưới", K.WEATHER, 16.2180, 107.2450, 0.8),
    Station("hue-wx-03", "Khí tượng Lăng Cô", K.WEATHER, 16.2470, 108.0670, 1.1),
    # Cameras: no readings (their analytics events belong to the alerts app).
    Station("hue-cam-01", "Camera cầu Trường Tiền", K.CAMERA, 16.4665, 107.5885),
    Station("hue-cam-02", "Camera chợ Đông Ba", K.CAMERA, 16.4735, 107.5880),
    Station("hue-cam-03", "Camera ngã sáu Hà Nội - Lê Lợi", K.CAMERA, 16.4610, 107.5940),
)


def _noise(code: str, metric: str, moment: datetime, scale: float) -> float:
    """Deterministic noise in [-scale, scale] for a 10-minute slot."""
    slot = int(moment.timestamp() // 600)
    seed = zlib.crc32(f"{code}:{metric}:{slot}".encode())
    return (random.Random(seed).random() * 2 - 1) * scale


def _rush(hour: float) -> float:
    """Traffic shape: peaks near 07:30 and 18:30, a trough before dawn."""
    morning = math.exp(-(((hour - 7.5) / 1.6) ** 2))
    evening = math.exp(-(((hour - 18.5) / 2.0) ** 2))
    return 0.45 + 0.9 * morning + 1.0 * evening


def _sun(hour: float) -> float:
    """0 at night, 1 in the early afternoon."""
    return max(0.0, math.sin(math.pi * (hour - 6) / 13)) if 6 <= hour <= 19 else 0.0


def _rain(code: str, moment: datetime, level: float) -> float:
    """Showers: a few hours a day, heavier upstream (level)."""
    hour_slot = int(moment.timestamp() // 3600)
    chance = random.Random(zlib.crc32(f"{code}:rain:{hour_slot}".encode())).random()
    if chance < 0.8:
        return 0.0
    return round((chance - 0.8) * 60 * level, 1)


def value_at(station: Station, metric: str, moment: datetime) -> float:
    local = moment.astimezone(HUE_TZ)
    hour = local.hour + local.minute / 60
    level = station.level
    if metric == "pm25":
        return round(
            max(2.0, 22 * level * _rush(hour) + _noise(station.code, metric, moment, 4)), 1
        )
    if metric == "pm10":
        pm25 = value_at(station, "pm25", moment)
        return round(pm25 * 1.65 + _noise(station.code, metric, moment, 5), 1)
    if metric == "o3":
        return round(max(5.0, 25 + 95 * _sun(hour) + _noise(station.code, metric, moment, 8)), 1)
    if metric == "co":
        return round(
            max(200.0, 900 * level * _rush(hour) + _noise(station.code, metric, moment, 150))
        )
    if metric == "no2":
        return round(
            max(3.0, 28 * level * _rush(hour) + _noise(station.code, metric, moment, 5)), 1
        )
    if metric == "so2":
        return round(max(1.0, 9 * level + _noise(station.code, metric, moment, 3)), 1)
    if metric == "water_level":
        day = moment.timestamp() / 86400
        base = 0.9 * level + 0.25 * math.sin(2 * math.pi * day / 3)
        return round(base + _noise(station.code, metric, moment, 0.03), 2)
    if metric == "rain_1h":
        return _rain(station.code, moment, level)
    if metric == "temperature":
        return round(23 + 8 * _sun(hour) + _noise(station.code, metric, moment, 0.6), 1)
    if metric == "humidity":
        return round(min(100.0, 92 - 25 * _sun(hour) + _noise(station.code, metric, moment, 3)), 0)
    if metric == "wind_speed":
        return round(
            max(0.0, 1.5 + 2.5 * _sun(hour) + _noise(station.code, metric, moment, 0.8)), 1
        )
    if metric == "fire_state":
        return 0.0
    return 0.0


def payload_at(station: Station, metrics: list[str], moment: datetime) -> dict[str, object]:
    return {
        "observed_at": moment.isoformat(),
        "values": {metric: value_at(station, metric, moment) for metric in metrics},
    }


STATIONS_BY_CODE = {station.code: station for station in STATIONS}


class SimulatedPublisher:
    """A demo thread publishing over MQTT every ``interval`` seconds until stopped; the
    subclass's ``_run`` publishes through ``self._client``."""

    name = "simulated-feed"

    def __init__(self, *, broker: Broker, interval: float = 10.0, mqtt5: bool = False) -> None:
        self.broker, self.interval = broker, interval
        self._client = client_for(broker, mqtt5=mqtt5, persistent=False)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self.published = 0

    def start(self) -> None:
        self._client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self._client.loop_start()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._client.disconnect()
        self._client.loop_stop()

    def _run(self) -> None:
        raise NotImplementedError


class SimulatedFeed(SimulatedPublisher):
    """Publishes every simulated sensor's readings over MQTT every ``interval`` seconds."""

    def _run(self) -> None:
        from django.db import close_old_connections

        from cityops.monitoring.models import Sensor
        from cityops.platform import clock

        while not self._stop.is_set():
            try:
                sensors = list(
                    Sensor.objects.filter(is_simulated=True, is_active=True).exclude(
                        kind=SensorKind.CAMERA
                    )
                )
                close_old_connections()
                moment = clock.now().replace(microsecond=0)
                for sensor in sensors:
                    station = STATIONS_BY_CODE.get(sensor.code)
                    if station is None or not self._client.is_connected():
                        continue
                    body = json.dumps(payload_at(station, sensor.metric_codes, moment))
                    self._client.publish(readings_topic(sensor.code), body, qos=1)
                    self.published += 1
            except Exception:
                logger.exception("simulated feed: a round failed")
            self._stop.wait(self.interval)
        from django.db import connection

        connection.close()
