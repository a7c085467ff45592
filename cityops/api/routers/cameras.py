"""Camera analytics events in (API key): each becomes an alarm in the console's panel.

The same JSON works over MQTT on ``cityops/cameras/{code}/events`` (docs/alerts.md).
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cityops.alerts.payloads import CameraEventIn
from cityops.alerts.services import camera_event_submit
from cityops.api.auth import ApiKeyAuth
from cityops.api.schemas import errors
from cityops.api.writes import api_write

router = Router(tags=["monitoring"])

CameraCode = Annotated[
    str,
    Field(
        max_length=60,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="The camera's code (a sensor of kind camera).",
        json_schema_extra={"example": "hue-cam-01"},
    ),
]


class CameraEventOut(Schema):
    alarm: int = Field(description="The alarm the event raised or repeated.")
    created: bool = Field(
        description="False: the active alarm of this camera and type was repeated."
    )
    count: int = Field(description="How many times the active alarm was raised.")
    severity: str
    state: str


@router.post(
    "/{code}/events",
    response={201: CameraEventOut, 200: CameraEventOut, **errors(400, 401, 404, 409, 413, 429)},
    auth=ApiKeyAuth(),
    summary="Send a camera analytics event (API key)",
)
@api_write()
def camera_event_post(request: HttpRequest, code: CameraCode, event: CameraEventIn) -> Status:
    """One event of a camera's video analytics: ``type`` (congestion, wrong_way,
    illegal_parking, crowd, fire_smoke, littering, accident), ``observed_at`` (ISO 8601 with its
    offset), ``confidence`` (0 to 1) and an optional ``snapshot`` (base64 JPEG, PNG or WebP, or
    a data: URL). It raises an alarm (201), or repeats the camera's active alarm of the same
    type (200: ``count`` goes up, the newest snapshot is kept)."""
    raised = camera_event_submit(code=code, event=event)
    alarm = raised.alarm
    return Status(
        201 if raised.created else 200,
        CameraEventOut(
            alarm=alarm.pk,
            created=raised.created,
            count=alarm.count,
            severity=alarm.severity,
            state=str(alarm.state),
        ),
    )
