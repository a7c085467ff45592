"""The public warnings pages: bulletins in force, with a map of their areas."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.alerts.selectors import (
    bulletin_is_current,
    bulletin_public,
    bulletins_current,
    bulletins_geojson,
)
from cityops.platform import clock


def _tiles() -> dict[str, str]:
    return {
        "tiles_url": settings.CITYOPS_MAP_TILES_URL,
        "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
    }


@require_GET
def warnings_list(request: HttpRequest) -> HttpResponse:
    """Bulletins in force now, most severe first; expired ones have dropped off."""
    bulletins = list(bulletins_current(at=clock.now()))
    return render(request, "alerts/warnings/list.html", {"bulletins": bulletins, **_tiles()})


@require_GET
def warnings_geojson(request: HttpRequest) -> JsonResponse:
    """The areas of the bulletins in force, for the map."""
    data = bulletins_geojson(bulletins_current(at=clock.now()))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    return response


@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = bulletin_public(pk=pk)
    if bulletin is None:
        raise Http404
    now = clock.now()
    return render(
        request,
        "alerts/warnings/detail.html",
        {
            "bulletin": bulletin,
            "current": bulletin_is_current(bulletin, at=now),
            "expired": bulletin.expires <= now,
            "geojson": bulletins_geojson([bulletin]),
            **_tiles(),
        },
    )
