"""The public planning lookup: a map to tap and a form that works without JavaScript, the
answer (every published layer's zone at the point) and its printable extract.

Every lookup counts against the client's address (``PER_IP``); showing the empty page does not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.planning.coords import (
    CoordinateError,
    Position,
    looks_like_coordinates,
    parse_position,
    position_of,
    to_vn2000,
)
from cityops.planning.drawing import sketch
from cityops.planning.forms import LookupForm
from cityops.planning.land_use import LAND_USES
from cityops.planning.limits import LOOKUP_PER_IP
from cityops.planning.selectors import places_named, published_layers, zone_outline, zones_at
from cityops.platform import clock
from cityops.platform.http import client_ip
from cityops.platform.ratelimit import rate_limit_hit
from cityops.portal.limits import too_many_requests

PER_IP = LOOKUP_PER_IP


def _limited(request: HttpRequest) -> HttpResponse | None:
    wait = rate_limit_hit(scope="planning:lookup", key=client_ip(request), rate=PER_IP)
    return None if wait is None else too_many_requests(request, retry_after=wait)


def _answer(position: Position) -> dict[str, Any]:
    northing, easting = to_vn2000(lat=position.lat, lon=position.lon)
    return {
        "position": position,
        "answers": zones_at(position.lon, position.lat),
        "vn2000": {"x": round(northing), "y": round(easting)},
    }


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """The page; with ``q`` (typed) or ``lat``/``lon`` (a link, the map without JavaScript)
    it also answers."""
    context: dict[str, Any] = {
        "tiles_url": settings.CITYOPS_MAP_TILES_URL,
        "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
        "layers": list(published_layers()),
        "legend": [(code, str(name), colour) for code, (name, colour) in LAND_USES.items()],
    }
    status = 200
    if ("q" in request.GET or "lat" in request.GET) and (refused := _limited(request)):
        return refused
    if "lat" in request.GET:
        form = LookupForm()
        try:
            context |= _answer(position_of(request.GET.get("lat"), request.GET.get("lon")))
        except CoordinateError as error:
            context["position_error"], status = str(error), 400
    elif "q" in request.GET:
        form = LookupForm(request.GET)
        if form.is_valid():
            text = form.cleaned_data["q"]
            if looks_like_coordinates(text):
                try:
                    context |= _answer(parse_position(text))
                except CoordinateError as error:
                    form.add_error("q", str(error))
            else:
                places = places_named(text)
                context["places"] = places
                if len(places) == 1:
                    place = places[0]
                    context["place"] = place
                    context |= _answer(Position(lat=place.lat, lon=place.lon, system="place"))
        if form.errors:
            status = 400
    else:
        form = LookupForm()
    context["form"] = form
    return render(request, "planning/lookup.html", context, status=status)


@require_GET
def answer(request: HttpRequest) -> HttpResponse:
    """The answer alone, for the map's tap (the page's script puts it in place)."""
    if refused := _limited(request):
        return refused
    try:
        context = _answer(position_of(request.GET.get("lat"), request.GET.get("lon")))
    except CoordinateError as error:
        return render(request, "planning/_answer.html", {"position_error": str(error)},
                      status=400)  # fmt: skip
    return render(request, "planning/_answer.html", context)


@require_GET
def extract(request: HttpRequest) -> HttpResponse:
    """The printable extract: each zone's outline with the point, its plan, the date and the
    disclaimer."""
    if refused := _limited(request):
        return refused
    try:
        context = _answer(position_of(request.GET.get("lat"), request.GET.get("lon")))
    except CoordinateError as error:
        return render(request, "planning/extract.html", {"position_error": str(error)},
                      status=400)  # fmt: skip
    position = context["position"]
    context["sketches"] = [
        (found, sketch(zone_outline(found.zone), lon=position.lon, lat=position.lat))
        for found in context["answers"]
    ]
    context["printed_at"] = clock.now()
    return render(request, "planning/extract.html", context)
