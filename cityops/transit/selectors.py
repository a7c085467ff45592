"""Reads of public transport: the current schedule, live vehicles, the ingest's counters."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from cityops.agencies.selectors import area_at
from cityops.alerts.choices import AlarmType
from cityops.alerts.models import Alarm, Bulletin
from cityops.alerts.selectors import bulletins_current
from cityops.platform import clock
from cityops.platform.kept import kept
from cityops.transit.choices import PositionOutcome
from cityops.transit.geo import distance_m
from cityops.transit.models import (
    Agency,
    AlarmRoute,
    FeedVersion,
    PositionTally,
    Route,
    ServiceCalendar,
    ServiceException,
    ShapePoint,
    Stop,
    StopTime,
    Trip,
    Vehicle,
    VehiclePosition,
)


def feed_current() -> FeedVersion | None:
    return FeedVersion.objects.filter(is_current=True).first()


@dataclass(frozen=True, slots=True)
class ScheduledStop:
    sequence: int
    stop_id: str
    lat: float
    lon: float
    arrival: int  # seconds after the service day's noon − 12 h
    departure: int


@dataclass(frozen=True)
class TripSchedule:
    feed_id: int
    trip_id: str
    route_id: str
    direction_id: int | None
    shape_id: str
    service_id: str
    timezone: str
    stops: tuple[ScheduledStop, ...]


def trip_schedule(*, trip_id: str, feed_id: int | None = None) -> TripSchedule | None:
    """The current feed's stops and times of a trip (None: no such trip, or no feed); pass
    ``feed_id`` when asking for many trips at once."""
    if feed_id is None:
        feed = feed_current()
        feed_id = feed.pk if feed is not None else None
    if feed_id is None or not trip_id:
        return None
    return _trip_schedule(feed_id, trip_id)


@lru_cache(maxsize=4096)
def _trip_schedule(feed_id: int, trip_id: str) -> TripSchedule | None:
    # Keyed by the feed version: a new import is a new key, so nothing stale is served.
    trip = Trip.objects.filter(feed_id=feed_id, trip_id=trip_id).select_related("route").first()
    if trip is None:
        return None
    agency = Agency.objects.filter(feed_id=feed_id).order_by("pk").first()
    rows = (
        StopTime.objects.filter(trip=trip)
        .order_by("stop_sequence")
        .values_list(
            "stop_sequence", "stop__stop_id", "stop__lat", "stop__lon", "arrival", "departure"
        )
    )
    return TripSchedule(
        feed_id=feed_id,
        trip_id=trip.trip_id,
        route_id=trip.route.route_id,
        direction_id=trip.direction_id,
        shape_id=trip.shape_id,
        service_id=trip.service_id,
        timezone=agency.timezone if agency else settings.TIME_ZONE,
        stops=_timed(list(rows)),
    )


def _timed(
    rows: list[tuple[int, str, float, float, int | None, int | None]],
) -> tuple[ScheduledStop, ...]:
    """Stops between timepoints get times interpolated by distance (GTFS leaves them empty)."""
    timed = [index for index, row in enumerate(rows) if row[4] is not None or row[5] is not None]
    times: list[tuple[float, float]] = [(0.0, 0.0)] * len(rows)
    for index in timed:
        arrival, departure = rows[index][4], rows[index][5]
        times[index] = (
            float(arrival if arrival is not None else departure or 0),
            float(departure if departure is not None else arrival or 0),
        )
    for left, right in pairwise(timed):
        legs = [
            distance_m(rows[i][2], rows[i][3], rows[i + 1][2], rows[i + 1][3])
            for i in range(left, right)
        ]
        total = sum(legs) or 1.0
        start, end = times[left][1], times[right][0]
        run = 0.0
        for offset, leg in enumerate(legs[:-1], start=1):
            run += leg
            moment = start + (end - start) * run / total
            times[left + offset] = (moment, moment)
    return tuple(
        ScheduledStop(row[0], row[1], row[2], row[3], round(times[i][0]), round(times[i][1]))
        for i, row in enumerate(rows)
        if timed and timed[0] <= i <= timed[-1]
    )


def service_runs_on(*, feed_id: int, service_id: str, day: date) -> bool:
    """Whether a service runs on a day: its calendar, then the day's exceptions."""
    exception = (
        ServiceException.objects.filter(feed_id=feed_id, service_id=service_id, date=day)
        .values_list("exception_type", flat=True)
        .first()
    )
    if exception is not None:
        return exception == 1
    calendar = ServiceCalendar.objects.filter(
        feed_id=feed_id, service_id=service_id, start_date__lte=day, end_date__gte=day
    ).first()
    return calendar is not None and calendar.runs_on_weekday(day.weekday())


def service_day_start(day: date, timezone: str) -> datetime:
    """GTFS times count from noon minus 12 hours of the service day (midnight but on the days
    clocks change)."""
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(timezone))
    return noon - timedelta(hours=12)


def routes_current() -> QuerySet[Route]:
    feed = feed_current()
    return Route.objects.filter(feed=feed).order_by("short_name", "route_id")


def vehicles_live(*, now: datetime | None = None) -> QuerySet[Vehicle]:
    """Vehicles heard from within the last five minutes (what the live feeds publish)."""
    since = (now or clock.now()) - timedelta(minutes=5)
    return Vehicle.objects.filter(observed_at__gte=since).order_by("vehicle_id")


def positions_status() -> dict[str, int]:
    """Positions per outcome since the counters began, and ``dropped`` for all refused ones."""
    counts = {outcome.value: 0 for outcome in PositionOutcome}
    counts.update(dict(PositionTally.objects.values_list("outcome", "count")))
    counts["dropped"] = sum(
        count for outcome, count in counts.items() if outcome != PositionOutcome.ACCEPTED
    )
    return counts


@dataclass(frozen=True)
class RouteAlarm:
    alarm: Alarm
    route_ids: tuple[str, ...]
    kind: str  # a ``TransitAlarmKind`` for transit's own alarms, else empty


def alarms_on_routes() -> list[RouteAlarm]:
    """Active alarms that affect a route (transit's own and those an operator linked)."""
    links: dict[int, list[str]] = {}
    kinds: dict[int, str] = {}
    for alarm_id, route_id, kind in AlarmRoute.objects.filter(alarm__cleared_at=None).values_list(
        "alarm_id", "route_id", "kind"
    ):
        links.setdefault(alarm_id, []).append(route_id)
        kinds[alarm_id] = kinds.get(alarm_id) or kind
    alarms = Alarm.objects.filter(pk__in=links).order_by("pk")
    return [RouteAlarm(alarm, tuple(sorted(links[alarm.pk])), kinds[alarm.pk]) for alarm in alarms]


# A road incident: a camera's alarm on the road itself, which buses passing near it meet.
ROAD_INCIDENTS = (AlarmType.ACCIDENT, AlarmType.CONGESTION, AlarmType.WRONG_WAY)
INCIDENT_REACH_M = 300  # a route is affected when one of its stops is this close


@dataclass(frozen=True)
class RouteStop:
    route_id: str
    lat: float
    lon: float
    area_id: int | None


@kept(seconds=300, depends_on=(FeedVersion,))
def route_stops() -> tuple[RouteStop, ...]:
    """Each stop of the current feed once per route serving it, with the city area it is in."""
    feed = feed_current()
    if feed is None:
        return ()
    rows = (
        StopTime.objects.filter(feed=feed)
        .values_list("trip__route__route_id", "stop__lat", "stop__lon")
        .distinct()
    )
    areas: dict[tuple[float, float], int | None] = {}
    found = []
    for route_id, lat, lon in rows:
        if (lat, lon) not in areas:
            area = area_at(lat=lat, lon=lon)
            areas[(lat, lon)] = area.pk if area is not None else None
        found.append(RouteStop(route_id, lat, lon, areas[(lat, lon)]))
    return tuple(found)


def routes_in_areas(area_ids: set[int]) -> tuple[str, ...]:
    return tuple(sorted({stop.route_id for stop in route_stops() if stop.area_id in area_ids}))


def routes_near(*, lat: float, lon: float, metres: float = INCIDENT_REACH_M) -> tuple[str, ...]:
    near = {
        stop.route_id
        for stop in route_stops()
        if distance_m(lat, lon, stop.lat, stop.lon) <= metres
    }
    return tuple(sorted(near))


def bulletins_on_routes(*, now: datetime | None = None) -> list[tuple[Bulletin, tuple[str, ...]]]:
    """Warning bulletins in force over an area that a route's stops are in (a flood warning
    for the wards a bus crosses)."""
    found = []
    for bulletin in bulletins_current(at=now or clock.now()):
        routes = routes_in_areas({area.pk for area in bulletin.areas.all()})
        if routes:
            found.append((bulletin, routes))
    return found


def incidents_on_routes() -> list[tuple[Alarm, tuple[str, ...]]]:
    """Active road incidents (a camera's accident, congestion or wrong-way alarm) within
    ``INCIDENT_REACH_M`` of a route's stop."""
    alarms = Alarm.objects.filter(cleared_at=None, type__in=ROAD_INCIDENTS).select_related("sensor")
    found = []
    for alarm in alarms.order_by("pk"):
        if alarm.sensor is None:
            continue
        routes = routes_near(lat=alarm.sensor.lat, lon=alarm.sensor.lon)
        if routes:
            found.append((alarm, routes))
    return found


# The console map and the portal's pages ------------------------------------------------------


def vehicles_on_map(*, route_id: str = "", now: datetime | None = None) -> QuerySet[Vehicle]:
    """The live vehicles, of one route if given (the console's bus layer)."""
    vehicles = vehicles_live(now=now)
    return vehicles.filter(route_id=route_id) if route_id else vehicles


def vehicle_track(*, vehicle_id: str, now: datetime | None = None) -> list[VehiclePosition]:
    """The vehicle's kept positions of the last two hours, oldest first."""
    since = (now or clock.now()) - timedelta(hours=2)
    return list(
        VehiclePosition.objects.filter(vehicle_id=vehicle_id, observed_at__gte=since).order_by(
            "observed_at"
        )
    )


def stop_current(*, stop_id: str) -> Stop | None:
    return Stop.objects.filter(feed__is_current=True, stop_id=stop_id).first()


def route_current(*, route_id: str) -> Route | None:
    return Route.objects.filter(feed__is_current=True, route_id=route_id).first()


def stops_names(*, stop_ids: set[str]) -> dict[str, str]:
    return dict(
        Stop.objects.filter(feed__is_current=True, stop_id__in=stop_ids).values_list(
            "stop_id", "name"
        )
    )


def stops_search(
    *, query: str = "", near: tuple[float, float] | None = None, limit: int = 20
) -> list[Stop]:
    """Stops of the current feed whose name or code holds ``query``; nearest first from
    ``near`` (within 1.5 km), else by name."""
    stops = Stop.objects.filter(feed__is_current=True, location_type=0)
    if query:
        stops = stops.filter(Q(name__icontains=query) | Q(code__iexact=query))
    if near is None:
        return list(stops.order_by("name", "stop_id")[:limit])
    lat, lon = near
    # A box first (about 1.5 km), then exact distances on the few inside it.
    dlat, dlon = 0.0135, 0.0135 / max(math.cos(math.radians(lat)), 0.1)
    boxed = stops.filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
    ranked = sorted(boxed[:2000], key=lambda stop: distance_m(lat, lon, stop.lat, stop.lon))
    return [stop for stop in ranked if distance_m(lat, lon, stop.lat, stop.lon) <= 1500][:limit]


@dataclass(frozen=True)
class Arrival:
    """A bus due at a stop: its scheduled time, and the predicted one when a bus of that trip
    is live (``delay`` is None for a schedule-only arrival)."""

    route: Route
    headsign: str
    scheduled: datetime
    predicted: datetime
    delay: int | None
    vehicle_id: str = ""

    @property
    def is_live(self) -> bool:
        return self.delay is not None


ARRIVALS_BEHIND = timedelta(minutes=30)  # a bus this late may still come
ARRIVALS_AHEAD = timedelta(hours=3)


def stop_arrivals(*, stop: Stop, now: datetime | None = None, limit: int = 3) -> list[Arrival]:
    """The next ``limit`` buses at a stop: each trip due in the next three hours (or up to half
    an hour ago when a live bus of it has not passed yet), live where a bus reports."""
    now = now or clock.now()
    agency = Agency.objects.filter(feed_id=stop.feed_id).order_by("pk").first()
    timezone = agency.timezone if agency else settings.TIME_ZONE
    today = now.astimezone(ZoneInfo(timezone)).date()
    candidates: list[tuple[date, StopTime, int]] = []
    for day in (today - timedelta(days=1), today):
        start = service_day_start(day, timezone)
        low = int((now - ARRIVALS_BEHIND - start).total_seconds())
        high = int((now + ARRIVALS_AHEAD - start).total_seconds())
        if high < 0:
            continue
        rows = (
            StopTime.objects.filter(stop=stop)
            .annotate(due=Coalesce("arrival", "departure"))
            .filter(due__range=(low, high))
            .select_related("trip__route")
        )
        runs: dict[str, bool] = {}
        for due_row in rows:
            service = due_row.trip.service_id
            if service not in runs:
                runs[service] = service_runs_on(feed_id=stop.feed_id, service_id=service, day=day)
            if runs[service]:
                candidates.append((day, due_row, due_row.due))
    live = {
        (vehicle.trip_id, vehicle.start_date): vehicle
        for vehicle in vehicles_live(now=now).filter(
            trip_id__in={row.trip.trip_id for _, row, _ in candidates}
        )
    }
    arrivals = []
    for day, row, due in candidates:
        scheduled = service_day_start(day, timezone) + timedelta(seconds=due)
        vehicle = live.get((row.trip.trip_id, day))
        if vehicle is not None and vehicle.delay is not None:
            passed = vehicle.last_stop_sequence is not None and (
                vehicle.last_stop_sequence >= row.stop_sequence
            )
            if passed:
                continue
            predicted = max(scheduled + timedelta(seconds=vehicle.delay), now)
            delay: int | None = vehicle.delay
        elif scheduled < now:
            continue  # due already, and no bus of it reports: gone, as far as we know
        else:
            predicted, delay = scheduled, None
        arrivals.append(
            Arrival(
                route=row.trip.route,
                headsign=row.trip.headsign,
                scheduled=scheduled,
                predicted=predicted,
                delay=delay,
                vehicle_id=vehicle.vehicle_id if vehicle is not None else "",
            )
        )
    arrivals.sort(key=lambda arrival: (arrival.predicted, arrival.route.short_name))
    return arrivals[:limit]


@dataclass(frozen=True)
class RouteMap:
    route: Route
    stops: list[Stop]  # in the order of the route's longest trip (first direction)
    line: list[tuple[float, float]]  # (lat, lon): the shape when the feed has one, else the stops
    vehicles: list[Vehicle]


def route_map(*, route: Route, now: datetime | None = None) -> RouteMap:
    """A route's stops in order, its line and its live buses (the portal's route page)."""
    trip = (
        Trip.objects.filter(route=route)
        .annotate(stop_count=Count("stop_times"))
        .order_by("direction_id", "-stop_count", "trip_id")
        .first()
    )
    stops: list[Stop] = []
    line: list[tuple[float, float]] = []
    if trip is not None:
        stops = [
            row.stop
            for row in StopTime.objects.filter(trip=trip)
            .select_related("stop")
            .order_by("stop_sequence")
        ]
        if trip.shape_id:
            line = list(
                ShapePoint.objects.filter(feed_id=trip.feed_id, shape_id=trip.shape_id)
                .order_by("sequence")
                .values_list("lat", "lon")
            )
    if not line:
        line = [(stop.lat, stop.lon) for stop in stops]
    vehicles = list(vehicles_on_map(route_id=route.route_id, now=now))
    return RouteMap(route=route, stops=stops, line=line, vehicles=vehicles)
