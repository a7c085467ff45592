"""The console map: reports by status, and the layers other apps add (``console.layers``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.console.layers import STATUS_COLOURS, map_layers
from cityops.console.views.common import map_tiles, queue_query, staff_user
from cityops.intel.masking import masked_for
from cityops.monitoring.selectors import stations_geojson
from cityops.platform import clock
from cityops.reports.choices import ReportStatus
from cityops.reports.selectors import report_points_for_console

MAP_POINTS = 2000
STATION_COLOUR = "#12263a"  # stations without an AQI band (water level, rain, weather)


@require_GET
@roles_required(*IOC_READERS)
def map_page(request: HttpRequest) -> HttpResponse:
    found = queue_query(request.GET)
    legend = [
        {"status": status, "label": status.label, "colour": colour}
        for status, colour in STATUS_COLOURS.items()
    ]
    context = {
        "form": found.form.with_choices(),
        "layers": map_layers(query=found.query),
        "legend": legend,
        "colours": {str(status): colour for status, colour in STATUS_COLOURS.items()},
        **map_tiles(),
    }
    return render(request, "console/map.html", context)


def _category_name(row: dict[str, Any]) -> str:
    english = row["category__name_en"]
    return str(english if get_language() == "en" and english else row["category__name"])


@require_GET
@roles_required(*IOC_READERS)
def map_points(request: HttpRequest) -> JsonResponse:
    """GeoJSON points of the reports the map's filters select (the reports layer)."""
    found = queue_query(request.GET)
    now = clock.now()
    features = []
    for row in report_points_for_console(
        filters=found.filters, staff=found.staff, limit=MAP_POINTS, reader=staff_user(request)
    ):
        status = ReportStatus(row["status"])
        text = masked_for(row["title"] or row["description"], user=request.user)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(row["lon"], 6), round(row["lat"], 6)],
                },
                "properties": {
                    "id": row["pk"],
                    "title": Truncator(text).chars(60),
                    "status": str(status),
                    "status_label": str(status.label),
                    "category": _category_name(row),
                    "priority": row["priority"],
                    "overdue": bool(
                        status.is_active and row["due_at"] is not None and row["due_at"] < now
                    ),
                    "url": reverse("console:report", args=[row["pk"]]),
                },
            }
        )
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@roles_required(*IOC_READERS)
def map_stations(request: HttpRequest) -> JsonResponse:
    """The monitoring stations layer: each coloured by its current VN_AQI band (air quality),
    the others by kind, with the latest values in the popup."""
    features = []
    for feature in stations_geojson()["features"]:
        props = feature["properties"]
        aqi = props["aqi"]
        values = ", ".join(
            f"{value['label']} {value['value']:g} {value['unit']}"
            for value in props["values"].values()
        )
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "title": props["name"],
                    "label": (f"VN_AQI {aqi['aqi']} · {aqi['level_label']}" if aqi else "")
                    + (" · " if aqi and values else "")
                    + values,
                    "color": aqi["colour"] if aqi else STATION_COLOUR,
                    "url": reverse("air:map") + f"#{props['code']}",
                },
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"ensure_ascii": False},
    )
