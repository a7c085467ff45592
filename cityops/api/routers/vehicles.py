"""Vehicle positions in (API key): a bus's tracker reports where it is.

The same JSON works over MQTT on ``cityops/vehicles/{id}/position`` (docs/transit.md).
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cityops.api.auth import ApiKeyAuth
from cityops.api.schemas import errors
from cityops.api.writes import api_write
from cityops.platform.isotime import IsoDateTime
from cityops.transit.services import PositionIn, vehicle_position_record

router = Router(tags=["transit"])

VehicleId = Annotated[
    str,
    Field(
        max_length=100,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="The vehicle's id (its fleet number).",
        json_schema_extra={"example": "bus-0421"},
    ),
]


class PositionBody(Schema):
    # Numbers strictly (JSON has types: true is not a speed, "16.4" not a latitude); the
    # timestamp is ISO text, which strict mode would refuse from parsed JSON.
    lat: float = Field(strict=True, ge=-90, le=90, json_schema_extra={"example": 16.4637})
    lon: float = Field(strict=True, ge=-180, le=180, json_schema_extra={"example": 107.5909})
    timestamp: IsoDateTime = Field(description="When the position was taken (with its offset).")
    trip_id: str | None = Field(
        default=None, strict=True, max_length=100, description="The GTFS trip run."
    )
    bearing: float | None = Field(
        default=None, strict=True, ge=0, lt=360, description="Degrees from north."
    )
    speed: float | None = Field(default=None, strict=True, ge=0, description="Metres per second.")


class PositionOut(Schema):
    outcome: str = Field(
        description="accepted, or why it was dropped: stale, out_of_order, null_island, invalid."
    )
    accepted: bool
    route_id: str | None = None
    next_stop_id: str | None = None
    delay: int | None = Field(default=None, description="Seconds behind schedule (< 0: early).")


@router.post(
    "/{vehicle_id}/positions",
    response={202: PositionOut, **errors(400, 401, 409, 413, 429)},
    auth=ApiKeyAuth(),
    summary="Send a vehicle's position (API key)",
)
@api_write()
def vehicle_position_post(
    request: HttpRequest, vehicle_id: VehicleId, body: PositionBody
) -> Status:
    """One position of a vehicle. Positions older than 90 seconds, older than the vehicle's
    last one, or at (0, 0) are dropped and counted (``outcome`` says which)."""
    recorded = vehicle_position_record(
        position=PositionIn(
            vehicle_id=vehicle_id,
            lat=body.lat,
            lon=body.lon,
            timestamp=body.timestamp,
            trip_id=body.trip_id or "",
            bearing=body.bearing,
            speed=body.speed,
        )
    )
    vehicle = recorded.vehicle if not recorded.outcome.dropped else None
    return Status(
        202,
        PositionOut(
            outcome=str(recorded.outcome.value),
            accepted=not recorded.outcome.dropped,
            route_id=(vehicle.route_id or None) if vehicle else None,
            next_stop_id=(vehicle.next_stop_id or None) if vehicle else None,
            delay=vehicle.delay if vehicle else None,
        ),
    )
