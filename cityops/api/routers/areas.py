"""The city's administrative areas (phường/xã)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from cityops.agencies.models import Area
from cityops.api.schemas import AreaOut, AreaQuery, errors

router = Router(tags=["areas"])


@router.get(
    "",
    response={200: list[AreaOut], **errors(400)},
    exclude_unset=True,
    summary="List the wards and communes",
)
def area_list(request: HttpRequest, query: Query[AreaQuery]) -> list[dict[str, Any]]:
    """Each area's code, name, kind and centroid; ``include=boundary`` adds its GeoJSON."""
    with_boundary = query.include == "boundary"
    areas = Area.objects.all() if with_boundary else Area.objects.defer("boundary")
    # Dicts, so that the boundary left unset stays out of the answer (exclude_unset).
    return [
        AreaOut.of(area, boundary=with_boundary).model_dump(exclude_unset=True) for area in areas
    ]
