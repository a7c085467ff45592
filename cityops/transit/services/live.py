"""Where a vehicle stands against its trip's schedule: pure functions, no database writes.

The vehicle is matched to the nearest point of its trip's stop sequence (each leg between two
consecutive stops is a straight segment in a local metric projection). Its delay is the
observation time minus the scheduled time at that point, interpolated between the last stop
passed and the next; standing at a stop this is "now − the stop's scheduled time". Predictions
for the stops ahead are their scheduled arrival plus that delay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cityops.transit.geo import EARTH_RADIUS_M, distance_m
from cityops.transit.selectors import (
    ScheduledStop,
    TripSchedule,
    service_day_start,
    service_runs_on,
)

AT_STOP_M = 25.0  # this close to the next stop, the vehicle has reached it


@dataclass(frozen=True)
class Along:
    index: int  # the leg from stops[index] to stops[index + 1]
    fraction: float  # 0 at stops[index], 1 at the next
    off_route_m: float


def nearest_along(stops: tuple[ScheduledStop, ...], lat: float, lon: float) -> Along | None:
    if len(stops) < 2:
        return None
    scale = math.cos(math.radians(lat)) * EARTH_RADIUS_M * math.pi / 180
    metres_per_degree = EARTH_RADIUS_M * math.pi / 180
    best: Along | None = None
    for index in range(len(stops) - 1):
        a, b = stops[index], stops[index + 1]
        ax, ay = (a.lon - lon) * scale, (a.lat - lat) * metres_per_degree
        bx, by = (b.lon - lon) * scale, (b.lat - lat) * metres_per_degree
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
        off = math.hypot(ax + t * dx, ay + t * dy)
        if best is None or off < best.off_route_m - 1e-6:
            best = Along(index, t, off)
    return best


@dataclass(frozen=True)
class Prediction:
    sequence: int
    stop_id: str
    scheduled: datetime
    predicted: datetime


@dataclass(frozen=True)
class LiveState:
    service_day: date
    last_stop: ScheduledStop
    next_stop: ScheduledStop | None
    delay: int  # seconds, negative when early
    progress: int  # scheduled seconds from the trip's first departure to the vehicle's point
    predictions: tuple[Prediction, ...]


def _scheduled_at(stops: tuple[ScheduledStop, ...], along: Along) -> float:
    a, b = stops[along.index], stops[along.index + 1]
    return a.departure + along.fraction * (b.arrival - a.departure)


def service_day_for(
    schedule: TripSchedule, observed_at: datetime, scheduled_seconds: float
) -> date:
    """The service day whose schedule puts the vehicle closest to now: today's, or yesterday's
    for a trip that runs past midnight."""
    local_day = observed_at.astimezone(ZoneInfo(schedule.timezone)).date()
    candidates = [local_day, local_day - timedelta(days=1), local_day + timedelta(days=1)]
    running = [
        day
        for day in candidates
        if service_runs_on(feed_id=schedule.feed_id, service_id=schedule.service_id, day=day)
    ]
    candidates = running or candidates  # a bus on a day off still has a place on its trip

    def gap(day: date) -> float:
        start = service_day_start(day, schedule.timezone)
        return abs((observed_at - start).total_seconds() - scheduled_seconds)

    return min(candidates, key=gap)


def predictions_after(
    schedule: TripSchedule, service_day: date, *, last_index: int, delay: int
) -> tuple[Prediction, ...]:
    """The stops after ``stops[last_index]``: scheduled arrival, and that plus the delay."""
    start = service_day_start(service_day, schedule.timezone)
    return tuple(
        Prediction(
            sequence=stop.sequence,
            stop_id=stop.stop_id,
            scheduled=start + timedelta(seconds=stop.arrival),
            predicted=start + timedelta(seconds=stop.arrival + delay),
        )
        for stop in schedule.stops[last_index + 1 :]
    )


def live_state(
    schedule: TripSchedule,
    *,
    lat: float,
    lon: float,
    observed_at: datetime,
    service_day: date | None = None,
    after_index: int | None = None,
) -> LiveState | None:
    """The vehicle's last and next stop, its delay and the predictions for the stops ahead.

    ``after_index`` (the leg it was on before) keeps a vehicle on a route that loops back on
    itself from jumping back to an earlier leg that passes the same street.
    """
    stops = schedule.stops
    along = nearest_along(stops, lat, lon)
    if along is None:
        return None
    if after_index is not None and along.index < after_index:
        later = nearest_along(stops[after_index:], lat, lon)
        if later is not None and later.off_route_m <= along.off_route_m + AT_STOP_M:
            along = Along(later.index + after_index, later.fraction, later.off_route_m)
    scheduled = _scheduled_at(stops, along)
    day = service_day or service_day_for(schedule, observed_at, scheduled)
    start = service_day_start(day, schedule.timezone)
    delay = round((observed_at - start).total_seconds() - scheduled)
    last_index = along.index
    nxt = stops[along.index + 1]
    if distance_m(lat, lon, nxt.lat, nxt.lon) <= AT_STOP_M:
        last_index += 1
    next_stop = stops[last_index + 1] if last_index + 1 < len(stops) else None
    predictions = predictions_after(schedule, day, last_index=last_index, delay=delay)
    return LiveState(
        service_day=day,
        last_stop=stops[last_index],
        next_stop=next_stop,
        delay=delay,
        progress=round(scheduled - stops[0].departure),
        predictions=predictions,
    )
