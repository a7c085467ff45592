"""Buses for citizens: find a stop (by name, or near me), its next arrivals, a route's map.

Live data changes every few seconds, so nothing here is read-cached; each page is a handful of
queries, rate limited per address like the GTFS-realtime feeds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.platform import clock
from cityops.platform.http import client_ip
from cityops.platform.ratelimit import Rate, rate_limit_hit
from cityops.portal.limits import too_many_requests
from cityops.transit.selectors import (
    route_current,
    route_map,
    routes_current,
    stop_arrivals,
    stop_current,
    stops_search,
)
from cityops.transit.wording import delay_text, delay_tone

PAGES_RATE = Rate(120, 60)  # per address: a rider refreshing a stop page now and then

View = Callable[..., HttpResponse]


def reads_limited(view: View) -> View:
    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = rate_limit_hit(scope="portal:transit", key=client_ip(request), rate=PAGES_RATE)
        if wait is not None:
            return too_many_requests(request, retry_after=wait)
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=15"
        return response

    return limited


def _tiles() -> dict[str, str]:
    return {
        "tiles_url": settings.CITYOPS_MAP_TILES_URL,
        "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
    }


def _near(request: HttpRequest) -> tuple[float, float] | None:
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


@require_GET
@reads_limited
def transit_stops(request: HttpRequest) -> HttpResponse:
    """Stop search (by name or code, or nearest the rider), and the list of routes."""
    query = request.GET.get("q", "").strip()[:100]
    near = _near(request)
    searched = bool(query) or near is not None
    context = {
        "query": query,
        "near": near,
        "searched": searched,
        "stops": stops_search(query=query, near=near) if searched else [],
        "routes": list(routes_current()),
    }
    return render(request, "portal/transit/stops.html", context)


@require_GET
@reads_limited
def transit_stop(request: HttpRequest, stop_id: str) -> HttpResponse:
    """A stop's next three buses: predicted from the live bus, or the timetable's time."""
    stop = stop_current(stop_id=stop_id)
    if stop is None:
        raise Http404
    now = clock.now()
    arrivals = [
        {
            "arrival": arrival,
            "status": delay_text(arrival.delay),
            "tone": delay_tone(arrival.delay),
            "minutes": max(0, round((arrival.predicted - now).total_seconds() / 60)),
        }
        for arrival in stop_arrivals(stop=stop, now=now)
    ]
    context = {"stop": stop, "arrivals": arrivals, "now": now}
    return render(request, "portal/transit/stop.html", context)


@require_GET
@reads_limited
def transit_route(request: HttpRequest, route_id: str) -> HttpResponse:
    """A route: its map (line, stops, live buses) and its stops in order."""
    route = route_current(route_id=route_id)
    if route is None:
        raise Http404
    found = route_map(route=route)
    map_data = {
        "line": [[round(lat, 6), round(lon, 6)] for lat, lon in found.line],
        "stops": [
            {"id": stop.stop_id, "name": stop.name, "lat": stop.lat, "lon": stop.lon}
            for stop in found.stops
        ],
        "buses": [
            {"lat": v.lat, "lon": v.lon, "status": delay_text(v.delay)} for v in found.vehicles
        ],
        "colour": f"#{route.color}" if len(route.color) == 6 else "#0b4f8a",
    }
    context = {"route": route, "found": found, "map_data": map_data, **_tiles()}
    return render(request, "portal/transit/route.html", context)
