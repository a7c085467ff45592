"""The console map's bus layer (GeoJSON) and a bus's recent track; the map moves the markers
with the ``vehicle.moved`` events of the console's live connection."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.platform import clock
from cityops.transit.selectors import (
    routes_current,
    stops_names,
    vehicle_track,
    vehicles_on_map,
)
from cityops.transit.wording import delay_text, delay_tone

# Marker colours per delay tone (the popup says the delay in words too).
TONE_COLOURS = {
    "scheduled": "#5f6b78",
    "on-time": "#1b7a3d",
    "early": "#0b4f8a",
    "late": "#d35400",
    "very-late": "#b00020",
}


def _geojson(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(
        data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, no-store"
    return response


def _texts() -> dict[str, Any]:
    """The words the map script needs to relabel a bus that moved."""
    return {
        "scheduled": delay_text(None),
        "on_time": delay_text(0),
        "late_1": ngettext("%(minutes)s minute late", "%(minutes)s minutes late", 1),
        "late_n": ngettext("%(minutes)s minute late", "%(minutes)s minutes late", 2),
        "early_1": ngettext("%(minutes)s minute early", "%(minutes)s minutes early", 1),
        "early_n": ngettext("%(minutes)s minute early", "%(minutes)s minutes early", 2),
        "next": _("next stop: %(stop)s"),
        "route": _("Route %(route)s"),
        "all_routes": _("All routes"),
        "route_filter": _("Buses of route"),
        "track": _("Show the last two hours"),
        "legend": _("Buses"),
        "tones": {
            "on-time": _("on time (within a minute)"),
            "early": _("early"),
            "late": _("running late"),
            "very-late": _("10 minutes late or more"),
            "scheduled": _("not on a known trip"),
        },
    }


@require_GET
@roles_required(*IOC_READERS)
def vehicle_points(request: HttpRequest) -> JsonResponse:
    """Live buses as GeoJSON points (``?route=`` for one route): route, delay, next stop, age."""
    route_id = request.GET.get("route", "")[:100]
    now = clock.now()
    vehicles = list(vehicles_on_map(route_id=route_id, now=now))
    routes = {route.route_id: route for route in routes_current()}
    names = stops_names(stop_ids={vehicle.next_stop_id for vehicle in vehicles} - {""})
    features = []
    for vehicle in vehicles:
        route = routes.get(vehicle.route_id)
        number = (route.short_name or route.route_id) if route else ""
        age = max(0, round((now - vehicle.observed_at).total_seconds()))
        lines = [delay_text(vehicle.delay)]
        if vehicle.next_stop_id:
            stop = names.get(vehicle.next_stop_id, vehicle.next_stop_id)
            lines.append(_("next stop: %(stop)s") % {"stop": stop})
        lines.append(_("seen %(seconds)s s ago") % {"seconds": age})
        features.append(
            {
                "type": "Feature",
                "id": vehicle.vehicle_id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(vehicle.lon, 6), round(vehicle.lat, 6)],
                },
                "properties": {
                    "vehicle": vehicle.vehicle_id,
                    "title": (_("Route %(route)s") % {"route": number} + " · " if number else "")
                    + str(vehicle),
                    "label": " · ".join(lines),
                    "color": TONE_COLOURS[delay_tone(vehicle.delay)],
                    "route": vehicle.route_id,
                    "route_name": number,
                    "delay": vehicle.delay,
                    "next_stop": vehicle.next_stop_id,
                    "age": age,
                    "track_url": reverse(
                        "console:transit:vehicle_track", args=[vehicle.vehicle_id]
                    ),
                },
            }
        )
    return _geojson(
        {
            "type": "FeatureCollection",
            "features": features,
            # Foreign members for the map script: the route filter, the words and colours to
            # relabel a bus that moved, and the names of the stops it may head for.
            "routes": [
                {"id": route.route_id, "name": str(route.short_name or route.route_id)}
                for route in routes.values()
            ],
            "route": route_id,
            "texts": _texts(),
            "colours": TONE_COLOURS,
            "stops": names,
        }
    )


@require_GET
@roles_required(*IOC_READERS)
def vehicle_track_view(request: HttpRequest, vehicle_id: str) -> JsonResponse:
    """The bus's positions of the last two hours as one line (no feature when none are kept)."""
    points = vehicle_track(vehicle_id=vehicle_id)
    features = []
    if points:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[round(p.lon, 6), round(p.lat, 6)] for p in points],
                },
                "properties": {
                    "id": vehicle_id,
                    "since": points[0].observed_at.isoformat(),
                    "until": points[-1].observed_at.isoformat(),
                    "count": len(points),
                },
            }
        )
    return _geojson({"type": "FeatureCollection", "features": features})
