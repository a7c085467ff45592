"""Reads of public transport: the current schedule, live vehicles, the ingest's counters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from cityops.alerts.models import Alarm
from cityops.platform import clock
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
    StopTime,
    Trip,
    Vehicle,
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
