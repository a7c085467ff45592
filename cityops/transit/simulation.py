"""The demo's simulated buses: four Huế routes, their schedule, and buses that run them.

``cityops run`` with demo data (not ``--no-demo``) imports this schedule on first start
(``services.demo.transit_seed_demo``) and starts ``SimulatedBuses``: every ``interval`` seconds
each bus on the road publishes its position on ``cityops/vehicles/{id}/position``, the topic real
trackers use, so the demo goes through the same ingest, matching, delays and alarms.

The routes follow real lines of Huế's bus network, simplified: the stops and their coordinates
are approximate and the times invented. Buses run the schedule exactly, start a little late or
lose time along the trip, each trip the same way every day (the trip id decides). About one trip
in thirty-two ends more than ten minutes late, so the console shows an occasional alarm.
Vehicle ids begin with ``sim-``.
"""

from __future__ import annotations

import json
import logging
import math
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from cityops.monitoring.ingest.mqtt import Broker
from cityops.monitoring.simulation import SimulatedPublisher
from cityops.transit.geo import distance_m

logger = logging.getLogger(__name__)

DEMO_SOURCE = "cityops-demo-hue-buses.zip"  # the FeedVersion.source of the demo schedule
TIMEZONE = "Asia/Ho_Chi_Minh"
POSITION_TOPIC = "cityops/vehicles/{vehicle_id}/position"
FIRST_DEPARTURE = 5 * 3600 + 30 * 60  # 05:30
LAST_DEPARTURE = 20 * 3600 + 30 * 60  # 20:30
SPEED_M_S = 5.0  # 18 km/h between stops, in town traffic
DWELL_S = 20


@dataclass(frozen=True)
class DemoStop:
    stop_id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class DemoRoute:
    route_id: str
    short_name: str
    long_name: str
    color: str
    headway_minutes: int
    stop_ids: tuple[str, ...]


STOPS = {
    stop.stop_id: stop
    for stop in (
        DemoStop("BXPB", "Bến xe phía Bắc", 16.4817, 107.5597),
        DemoStop("CAH", "Cửa An Hòa", 16.4778, 107.5660),
        DemoStop("CTL", "Chợ Tây Lộc", 16.4740, 107.5705),
        DemoStop("TNH", "Lê Duẩn – Cửa Thể Nhơn", 16.4680, 107.5770),
        DemoStop("CDB", "Chợ Đông Ba", 16.4728, 107.5885),
        DemoStop("CTT", "Cầu Trường Tiền", 16.4662, 107.5905),
        DemoStop("HVG", "Hùng Vương – Vincom", 16.4650, 107.5955),
        DemoStop("CAC", "Chợ An Cựu", 16.4590, 107.5990),
        DemoStop("ADV", "An Dương Vương", 16.4535, 107.6030),
        DemoStop("BXPN", "Bến xe phía Nam", 16.4498, 107.6072),
        DemoStop("BTR", "Bà Triệu", 16.4660, 107.6040),
        DemoStop("PVD", "Phạm Văn Đồng – Vỹ Dạ", 16.4735, 107.6105),
        DemoStop("PVD2", "Phạm Văn Đồng – Vinh Vệ", 16.4840, 107.6170),
        DemoStop("PTH", "Phú Thượng", 16.5020, 107.6230),
        DemoStop("PDG", "Phú Dương", 16.5220, 107.6300),
        DemoStop("TAN", "Thuận An", 16.5440, 107.6380),
        DemoStop("BBTA", "Bãi biển Thuận An", 16.5560, 107.6440),
        DemoStop("GAH", "Ga Huế", 16.4565, 107.5778),
        DemoStop("CPX", "Cầu Phú Xuân", 16.4628, 107.5808),
        DemoStop("KLG", "Kim Long", 16.4640, 107.5650),
        DemoStop("CKL", "Chợ Kim Long", 16.4605, 107.5560),
        DemoStop("CTM", "Chùa Thiên Mụ", 16.4535, 107.5448),
        DemoStop("TCH", "An Dương Vương – Trường Chinh", 16.4460, 107.5990),
        DemoStop("DBP", "Điện Biên Phủ – Phan Bội Châu", 16.4460, 107.5870),
        DemoStop("DNG", "Đàn Nam Giao", 16.4380, 107.5770),
        DemoStop("LNC", "Lê Ngô Cát", 16.4360, 107.5690),
        DemoStop("LTD", "Lăng Tự Đức", 16.4335, 107.5620),
    )
}

ROUTES = (
    DemoRoute(
        "HUE01",
        "01",
        "Bến xe phía Bắc – Bến xe phía Nam",
        "1E88E5",
        15,
        ("BXPB", "CAH", "CTL", "TNH", "CDB", "CTT", "HVG", "CAC", "ADV", "BXPN"),
    ),
    DemoRoute(
        "HUE02",
        "02",
        "An Cựu – Thuận An",
        "43A047",
        20,
        ("CAC", "HVG", "BTR", "PVD", "PVD2", "PTH", "PDG", "TAN", "BBTA"),
    ),
    DemoRoute(
        "HUE03",
        "03",
        "Ga Huế – Chùa Thiên Mụ",
        "FB8C00",
        20,
        ("GAH", "CPX", "TNH", "KLG", "CKL", "CTM"),
    ),
    DemoRoute(
        "HUE04",
        "04",
        "Bến xe phía Nam – Lăng Tự Đức",
        "8E24AA",
        20,
        ("BXPN", "TCH", "DBP", "DNG", "LNC", "LTD"),
    ),
)


@dataclass(frozen=True)
class DemoTrip:
    trip_id: str
    route: DemoRoute
    direction: int
    stops: tuple[DemoStop, ...]
    times: tuple[int, ...]  # seconds after the service day's start, at each stop (arrival)
    vehicle_id: str

    @property
    def start(self) -> int:
        return self.times[0]

    @property
    def duration(self) -> int:
        return self.times[-1] - self.times[0]


def _hhmmss(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _leg_seconds(a: DemoStop, b: DemoStop) -> int:
    travel = distance_m(a.lat, a.lon, b.lat, b.lon) / SPEED_M_S + DWELL_S
    return max(60, round(travel / 30) * 30)


def lateness(trip_id: str) -> tuple[int, int]:
    """(Seconds late at the first stop, seconds lost over the trip), the same every day."""
    draw = zlib.crc32(trip_id.encode()) % 32
    if draw < 16:
        return 0, draw * 5  # on time, give or take a minute
    if draw < 24:
        return 60 * ((draw - 16) // 2 + 1), 60  # one to four minutes late
    if draw < 31:
        return 180, 60 * (draw - 23)  # four to ten minutes late at the end
    return 300, 540  # fourteen minutes late at the end: an alarm past ten


@cache
def demo_trips() -> tuple[DemoTrip, ...]:
    trips: list[DemoTrip] = []
    for route in ROUTES:
        for direction in (0, 1):
            ids = route.stop_ids if direction == 0 else tuple(reversed(route.stop_ids))
            stops = tuple(STOPS[stop_id] for stop_id in ids)
            offsets = [0]
            for a, b in pairwise(stops):
                offsets.append(offsets[-1] + _leg_seconds(a, b))
            headway = route.headway_minutes * 60
            # Enough buses that one is never wanted on two trips, even the latest.
            fleet = math.ceil((offsets[-1] + 900) / headway) + 1
            for index, start in enumerate(range(FIRST_DEPARTURE, LAST_DEPARTURE + 1, headway)):
                departs = _hhmmss(start)[:5].replace(":", "")
                trips.append(
                    DemoTrip(
                        trip_id=f"{route.route_id}-{direction}-{departs}",
                        route=route,
                        direction=direction,
                        stops=stops,
                        times=tuple(start + offset for offset in offsets),
                        vehicle_id=f"sim-{route.short_name}-{'AB'[direction]}{index % fleet}",
                    )
                )
    return tuple(trips)


def demo_feed_files() -> dict[str, str]:
    """The demo schedule as the text files of a GTFS zip."""
    trips = demo_trips()
    stop_times = [
        f"{trip.trip_id},{_hhmmss(t)},{_hhmmss(t)},{stop.stop_id},{n}\n"
        for trip in trips
        for n, (stop, t) in enumerate(zip(trip.stops, trip.times, strict=True), start=1)
    ]
    shapes = []
    for route in ROUTES:
        for direction in (0, 1):
            trip = next(t for t in trips if t.route == route and t.direction == direction)
            travelled = 0.0
            for n, stop in enumerate(trip.stops, start=1):
                if n > 1:
                    previous = trip.stops[n - 2]
                    travelled += distance_m(previous.lat, previous.lon, stop.lat, stop.lon)
                shapes.append(
                    f"{route.route_id}-{direction},{stop.lat},{stop.lon},{n},{travelled:.0f}\n"
                )
    return {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone,agency_lang\n"
        f"HUEBUS,Xe buýt Huế (mô phỏng),https://hue.gov.vn,{TIMEZONE},vi\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
        + "".join(f"{s.stop_id},{s.name},{s.lat},{s.lon}\n" for s in STOPS.values()),
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type,"
        "route_color,route_text_color\n"
        + "".join(
            f"{r.route_id},HUEBUS,{r.short_name},{r.long_name},3,{r.color},FFFFFF\n" for r in ROUTES
        ),
        "trips.txt": "route_id,service_id,trip_id,trip_headsign,direction_id,shape_id\n"
        + "".join(
            f"{t.route.route_id},DAILY,{t.trip_id},{t.stops[-1].name},{t.direction},"
            f"{t.route.route_id}-{t.direction}\n"
            for t in trips
        ),
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "".join(stop_times),
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nDAILY,1,1,1,1,1,1,1,20250101,20351231\n",
        "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\n"
        + "".join(shapes),
    }


@dataclass(frozen=True)
class BusPosition:
    vehicle_id: str
    trip_id: str
    lat: float
    lon: float
    bearing: float
    speed: float
    timestamp: datetime
    expected_delay: int  # seconds: what matching the position to the schedule should find

    def payload(self) -> bytes:
        return json.dumps(
            {
                "lat": round(self.lat, 6),
                "lon": round(self.lon, 6),
                "timestamp": self.timestamp.isoformat(),
                "trip_id": self.trip_id,
                "bearing": round(self.bearing),
                "speed": round(self.speed, 1),
            }
        ).encode()


def _bearing(a: DemoStop, b: DemoStop) -> float:
    dx = (b.lon - a.lon) * math.cos(math.radians(a.lat))
    return math.degrees(math.atan2(dx, b.lat - a.lat)) % 360


def _service_day_start(day: date) -> datetime:
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(TIMEZONE))
    return noon - timedelta(hours=12)


def bus_positions_at(moment: datetime) -> list[BusPosition]:
    """Where every bus on the road is at ``moment`` (whole seconds), by the demo's schedule."""
    moment = moment.replace(microsecond=0)
    day_start = _service_day_start(moment.astimezone(ZoneInfo(TIMEZONE)).date())
    now = (moment - day_start).total_seconds()
    positions = []
    for trip in demo_trips():
        late_start, lost = lateness(trip.trip_id)
        slowdown = 1 + lost / trip.duration
        # The bus runs the trip ``slowdown`` times slower than scheduled, from ``late_start``.
        progress = (now - trip.start - late_start) / slowdown
        if not 0 <= progress <= trip.duration:
            continue
        scheduled = trip.start + progress
        leg = next(i for i in range(len(trip.times) - 1) if scheduled <= trip.times[i + 1])
        a, b = trip.stops[leg], trip.stops[leg + 1]
        span = trip.times[leg + 1] - trip.times[leg]
        fraction = (scheduled - trip.times[leg]) / span
        length = distance_m(a.lat, a.lon, b.lat, b.lon)
        positions.append(
            BusPosition(
                vehicle_id=trip.vehicle_id,
                trip_id=trip.trip_id,
                lat=a.lat + fraction * (b.lat - a.lat),
                lon=a.lon + fraction * (b.lon - a.lon),
                bearing=_bearing(a, b),
                speed=length / span / slowdown,
                timestamp=moment,
                expected_delay=round(now - scheduled),
            )
        )
    return positions


class SimulatedBuses(SimulatedPublisher):
    """Publishes the position of every bus on the road over MQTT every ``interval`` seconds,
    while the demo schedule is the current one (an imported real feed silences it)."""

    name = "simulated-buses"

    def __init__(self, *, broker: Broker, interval: float = 12.0, mqtt5: bool = False) -> None:
        super().__init__(broker=broker, interval=interval, mqtt5=mqtt5)

    def _run(self) -> None:
        from django.db import close_old_connections, connection

        from cityops.platform import clock
        from cityops.transit.selectors import feed_current

        for _ in range(50):  # a first round before the connection would publish nothing
            if self._client.is_connected() or self._stop.wait(0.1):
                break
        while not self._stop.is_set():
            try:
                feed = feed_current()
                close_old_connections()
                if feed is not None and feed.source == DEMO_SOURCE:
                    for bus in bus_positions_at(clock.now()):
                        if not self._client.is_connected():
                            break
                        topic = POSITION_TOPIC.format(vehicle_id=bus.vehicle_id)
                        self._client.publish(topic, bus.payload(), qos=1)
                        self.published += 1
            except Exception:
                logger.exception("simulated buses: a round failed")
            self._stop.wait(self.interval)
        connection.close()
