"""The public air-quality page ``/air/`` and its stations layer ``/air/stations.geojson``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cityops.monitoring.aqi import BANDS
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.selectors import stations_geojson


@require_GET
def air(request: HttpRequest) -> HttpResponse:
    """The AQI map with its legend, and the same stations as a table (no script needed)."""
    collection = stations_geojson(kinds=[SensorKind.AIR_QUALITY])
    stations = sorted(
        (feature["properties"] for feature in collection["features"]),
        key=lambda p: (-(p["aqi"] or {}).get("aqi", -1), p["name"]),
    )
    return render(
        request,
        "monitoring/air.html",
        {
            "bands": BANDS,
            "stations": stations,
            "stations_url": reverse("air:stations"),
            "tiles_url": settings.CITYOPS_MAP_TILES_URL,
            "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
        },
    )


@require_GET
def stations(request: HttpRequest) -> JsonResponse:
    """Air-quality stations with their current VN_AQI band, as GeoJSON."""
    response = JsonResponse(
        stations_geojson(kinds=[SensorKind.AIR_QUALITY]),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False, "allow_nan": False},  # only JSON's numbers
    )
    response["Cache-Control"] = "public, max-age=30"
    return response
