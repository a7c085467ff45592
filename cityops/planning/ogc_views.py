"""OGC API – Features (Part 1: Core, GeoJSON) for the published planning layers.

JSON only (``f=json``, the default; items and a feature as ``application/geo+json``), open to
any origin (GIS tools and web maps of other sites read it), rate-limited per client address.
An unpublished layer answers 404 as if it did not exist. ``bbox`` keeps the zones whose extent
meets the box (WGS 84 longitude/latitude, ``west,south,east,north``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cityops.planning.limits import OGC_PER_IP
from cityops.planning.models import Layer, Zone
from cityops.planning.privacy import public_attributes
from cityops.planning.selectors import (
    layer_zone,
    layer_zones,
    published_layer,
    published_layers,
    use_of,
)
from cityops.platform.http import client_ip
from cityops.platform.ratelimit import rate_limit_hit

LIMIT_DEFAULT = 100
LIMIT_MAX = 1000
PER_IP = OGC_PER_IP
GEOJSON = "application/geo+json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]


class BadRequest(ValueError):
    pass


def _json(request: HttpRequest, data: dict[str, Any], *, status: int = 200,
          content_type: str = "application/json") -> HttpResponse:  # fmt: skip
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = content_type
    response["Access-Control-Allow-Origin"] = "*"
    if status == 200:
        response["Cache-Control"] = "public, max-age=300"
    return response


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return _json(request, {"code": code, "description": message}, status=status)


def _checked(request: HttpRequest) -> HttpResponse | None:
    """The rate limit and the format: an answer refusing the request, or None."""
    wait = rate_limit_hit(scope="planning:ogc", key=client_ip(request), rate=PER_IP)
    if wait is not None:
        response = _error(request, 429, "TooManyRequests", _("Too many requests; try later."))
        response["Retry-After"] = str(wait)
        return response
    if request.GET.get("f", "json") not in ("json", "geojson"):
        return _error(request, 400, "InvalidParameterValue", _("Only f=json is offered (GeoJSON)."))
    return None


def _url(request: HttpRequest, name: str, *args: Any, **query: Any) -> str:
    address = request.build_absolute_uri(reverse(f"ogc:{name}", args=args))
    return f"{address}?{urlencode(query)}" if query else address


def _link(href: str, rel: str, kind: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": kind, "title": title}


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if refused := _checked(request):
        return refused
    return _json(request, {
        "title": _("Planning layers of Huế"),
        "description": _("The approved zoning maps published by the city, as OGC API – "
                         "Features. For information; the planning authority issues the "
                         "official planning certificates."),
        "links": [
            _link(_url(request, "landing"), "self", "application/json", _("This document")),
            _link(_url(request, "conformance"), "conformance", "application/json",
                  _("Conformance classes")),
            _link(_url(request, "collections"), "data", "application/json", _("The layers")),
        ],
    })  # fmt: skip


@require_GET
def conformance(request: HttpRequest) -> HttpResponse:
    if refused := _checked(request):
        return refused
    return _json(request, {"conformsTo": CONFORMANCE})


def _collection(request: HttpRequest, layer: Layer) -> dict[str, Any]:
    extent: dict[str, Any] = {}
    if layer.min_lon is not None:
        box = [layer.min_lon, layer.min_lat, layer.max_lon, layer.max_lat]
        extent = {"spatial": {"bbox": [box], "crs": CRS84}}
    return {
        "id": layer.slug,
        "title": layer.title,
        "description": layer.description
        or f"{layer.plan_name} — {layer.decision_number} ({layer.decision_date:%d/%m/%Y})",
        "itemType": "feature",
        "crs": [CRS84],
        "extent": extent,
        "plan_name": layer.plan_name,
        "plan_version": layer.plan_version,
        "decision_number": layer.decision_number,
        "decision_date": layer.decision_date.isoformat(),
        "issued_by": layer.issued_by,
        "as_of": layer.as_of.isoformat(),
        "zones": layer.zone_count,
        "links": [
            _link(_url(request, "collection", layer.slug), "self", "application/json",
                  layer.title),
            _link(_url(request, "items", layer.slug), "items", GEOJSON, _("The zones")),
        ],
    }  # fmt: skip


@require_GET
def collections(request: HttpRequest) -> HttpResponse:
    if refused := _checked(request):
        return refused
    return _json(request, {
        "links": [_link(_url(request, "collections"), "self", "application/json", _("Layers"))],
        "collections": [_collection(request, layer) for layer in published_layers()],
    })  # fmt: skip


def _not_found(request: HttpRequest) -> HttpResponse:
    return _error(request, 404, "NotFound", _("No such published layer or zone."))


@require_GET
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    if refused := _checked(request):
        return refused
    layer = published_layer(collection_id)
    if layer is None:
        return _not_found(request)
    return _json(request, _collection(request, layer))


def feature(zone: Zone, layer: Layer) -> dict[str, Any]:
    """A zone as a GeoJSON feature: its use, its plan, and its attributes fit for the public."""
    name, colour = use_of(zone)
    return {
        "type": "Feature",
        "id": zone.pk,
        "geometry": zone.geometry,
        "properties": {
            "use_code": zone.use_code,
            "use_name": name,
            "use_colour": colour,
            "zone_code": zone.zone_code,
            "plan_name": layer.plan_name,
            "plan_version": layer.plan_version,
            "decision_number": layer.decision_number,
            "decision_date": layer.decision_date.isoformat(),
            "issued_by": layer.issued_by,
            "as_of": layer.as_of.isoformat(),
            "attributes": public_attributes(zone.properties),
        },
    }


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError as error:
        raise BadRequest(_("bbox takes four numbers: west,south,east,north.")) from error
    if len(values) == 6:  # with heights: keep the horizontal box
        values = [values[0], values[1], values[3], values[4]]
    if len(values) != 4:
        raise BadRequest(_("bbox takes four numbers: west,south,east,north."))
    west, south, east, north = values
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise BadRequest(_("bbox is outside longitude -180..180 and latitude -90..90, or its "
                           "south is above its north."))  # fmt: skip
    if west > east:
        raise BadRequest(_("bbox crossing the antimeridian is not supported."))
    return west, south, east, north


def _whole(text: str | None, *, name: str, default: int, low: int, high: int) -> int:
    if not text:
        return default
    try:
        value = int(text)
    except ValueError as error:
        raise BadRequest(_("%(name)s must be a whole number.") % {"name": name}) from error
    if not low <= value <= high:
        raise BadRequest(
            _("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return value


@require_GET
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    if refused := _checked(request):
        return refused
    layer = published_layer(collection_id)
    if layer is None:
        return _not_found(request)
    try:
        bbox = _bbox(request.GET.get("bbox"))
        limit = _whole(request.GET.get("limit"), name="limit", default=LIMIT_DEFAULT, low=1,
                       high=LIMIT_MAX)  # fmt: skip
        offset = _whole(request.GET.get("offset"), name="offset", default=0, low=0,
                        high=10**9)  # fmt: skip
    except BadRequest as error:
        return _error(request, 400, "InvalidParameterValue", str(error))
    page = layer_zones(layer=layer, bbox=bbox, limit=limit, offset=offset)
    query = {"f": "json", "limit": limit} | ({"bbox": request.GET["bbox"]} if bbox else {})
    links = [
        _link(_url(request, "items", layer.slug, **query, offset=offset), "self", GEOJSON,
              _("This page")),
        _link(_url(request, "collection", layer.slug), "collection", "application/json",
              layer.title),
    ]  # fmt: skip
    if offset + limit < page.matched:
        links.append(_link(_url(request, "items", layer.slug, **query, offset=offset + limit),
                           "next", GEOJSON, _("Next page")))  # fmt: skip
    if offset > 0:
        links.append(_link(_url(request, "items", layer.slug, **query,
                                offset=max(0, offset - limit)), "prev", GEOJSON,
                           _("Previous page")))  # fmt: skip
    return _json(request, {
        "type": "FeatureCollection",
        "features": [feature(zone, layer) for zone in page.zones],
        "numberMatched": page.matched,
        "numberReturned": len(page.zones),
        "links": links,
    }, content_type=GEOJSON)  # fmt: skip


@require_GET
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    if refused := _checked(request):
        return refused
    layer = published_layer(collection_id)
    found = layer and feature_id.isdigit()
    zone = layer_zone(layer=layer, zone_id=int(feature_id)) if layer and found else None
    if layer is None or zone is None:
        return _not_found(request)
    data = feature(zone, layer) | {"links": [
        _link(_url(request, "item", layer.slug, zone.pk), "self", GEOJSON, _("This zone")),
        _link(_url(request, "collection", layer.slug), "collection", "application/json",
              layer.title),
    ]}  # fmt: skip
    return _json(request, data, content_type=GEOJSON)
