"""The planning lookup: the planned use of every published layer at a point (read-only,
public, rate-limited like the page ``/planning/``)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cityops.api.errors import RateLimited
from cityops.api.schemas import errors
from cityops.planning.coords import CoordinateError, position_of
from cityops.planning.limits import LOOKUP_PER_IP
from cityops.planning.privacy import public_attributes
from cityops.planning.selectors import ZoneAnswer, zones_at
from cityops.platform.errors import InvalidInput
from cityops.platform.http import client_ip
from cityops.platform.ratelimit import rate_limit_hit

router = Router(tags=["planning"])


class PlannedUseOut(Schema):
    use_code: str = Field(description="Land-use code, e.g. ODT, DGT, CXK.")
    use_name: str
    colour: str = Field(description="The legend's colour, #rrggbb.")
    zone_id: int = Field(description="The zone's id: /ogc/collections/{layer}/items/{zone_id}.")
    zone_code: str
    layer: str = Field(description="The layer's id (its OGC API collection).")
    layer_title: str
    plan_name: str
    plan_version: str
    decision_number: str
    decision_date: date
    issued_by: str
    as_of: date = Field(description="The date the layer's content is valid for.")
    attributes: dict[str, object] = Field(
        description="The source file's attributes, without personal data."
    )

    @classmethod
    def of(cls, found: ZoneAnswer) -> PlannedUseOut:
        zone, layer = found.zone, found.layer
        return cls(
            use_code=zone.use_code, use_name=found.use_name, colour=found.colour,
            zone_id=zone.pk, zone_code=zone.zone_code, layer=layer.slug, layer_title=layer.title,
            plan_name=layer.plan_name, plan_version=layer.plan_version,
            decision_number=layer.decision_number, decision_date=layer.decision_date,
            issued_by=layer.issued_by, as_of=layer.as_of,
            attributes=public_attributes(zone.properties),
        )  # fmt: skip


class LookupOut(Schema):
    lat: float
    lon: float
    zones: list[PlannedUseOut] = Field(
        description="Every published layer's zone holding the point, the newest plan first; "
        "empty where no published plan covers it."
    )


@router.get(
    "/lookup",
    response={200: LookupOut, **errors(400, 429)},
    summary="The planned land use at a point",
)
def planning_lookup(request: HttpRequest, lat: str, lon: str) -> LookupOut:
    """For information only: not a planning certificate."""
    wait = rate_limit_hit(scope="planning:lookup", key=client_ip(request), rate=LOOKUP_PER_IP)
    if wait is not None:
        raise RateLimited(retry_after=wait)
    try:
        position = position_of(lat, lon)
    except CoordinateError as error:
        raise InvalidInput(str(error), fields={"lat": [str(error)]}) from error
    found = zones_at(position.lon, position.lat)
    return LookupOut(lat=position.lat, lon=position.lon, zones=[PlannedUseOut.of(f) for f in found])
