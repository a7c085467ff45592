"""Camera violation events in (API key): each becomes a detection, then a case in the job queue.

The same JSON works over MQTT on ``cityops/cameras/{code}/violations`` (docs/violations.md).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cityops.api.auth import ApiKeyAuth
from cityops.api.routers.cameras import CameraCode
from cityops.api.schemas import errors
from cityops.api.writes import api_write
from cityops.violations.payloads import ViolationEventIn
from cityops.violations.services import detection_receive

router = Router(tags=["monitoring"])


class DetectionOut(Schema):
    detection: int = Field(description="The detection kept for the event.")
    status: str = Field(description="Always 'pending': the job decides on the case.")


@router.post(
    "/{code}/violations",
    response={202: DetectionOut, **errors(400, 401, 404, 409, 413, 429)},
    auth=ApiKeyAuth(),
    summary="Send a camera violation event (API key)",
)
@api_write()
def camera_violation_post(
    request: HttpRequest, code: CameraCode, event: ViolationEventIn
) -> Status:
    """A violation seen by a camera's analytics: ``rule`` (red_light, wrong_way,
    illegal_parking, no_helmet, wrong_lane, littering), ``plate`` as read, ``vehicle_type``,
    ``confidence`` (0 to 1), ``observed_at`` on the camera's clock (ISO 8601 with its offset),
    exactly three ``frames`` (base64 JPEG, PNG or WebP, or data: URLs) and an optional
    ``clip`` (base64 MP4 or WebM). Answered 202 with the detection's id: the job normalises
    the plate and makes the case (or adds the frames to the same incident's case), or keeps
    the detection refused with its reason. Errors: ``unknown_camera`` (404), ``inactive``
    (409), ``invalid``, ``invalid_image``, ``invalid_clip`` (400)."""
    detection = detection_receive(camera_code=code, event=event)
    return Status(202, DetectionOut(detection=detection.pk, status=str(detection.status)))
