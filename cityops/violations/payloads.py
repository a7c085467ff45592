"""A camera's violation event, one schema for ``POST /api/v1/cameras/{code}/violations`` and
MQTT ``cityops/cameras/{code}/violations``::

    {"rule": "red_light", "plate": "75A-123.45", "vehicle_type": "car", "confidence": 0.93,
     "observed_at": "2026-11-20T08:00:00+07:00",
     "frames": ["<base64 JPEG>", "<base64 JPEG>", "<base64 JPEG>"],
     "clip": "<base64 MP4 or WebM, optional>"}

``plate`` is the text as the camera's OCR read it: it is normalised (or refused, the event
kept) by the job that makes the case. Frames may be data URLs (``data:image/jpeg;base64,...``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from cityops.alerts.payloads import Confidence
from cityops.platform.isotime import IsoDateTime
from cityops.violations.choices import Rule, VehicleType

FRAMES = 3
PlateText = Annotated[str, Field(min_length=1, max_length=40, strict=True)]


class ViolationEventIn(BaseModel):
    """One violation seen by a camera: the rule, the plate as read, three frames."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Rule = Field(description="The rule broken.")
    plate: PlateText = Field(description="The number plate as the camera read it.")
    vehicle_type: VehicleType = Field(
        default=VehicleType.OTHER, description="The kind of vehicle, as the camera classed it."
    )
    confidence: Confidence = Field(description="The analytics' confidence, 0 to 1.")
    observed_at: IsoDateTime = Field(
        description="When, on the camera's clock: ISO 8601 with its UTC offset."
    )
    frames: list[Annotated[str, Field(strict=True)]] = Field(
        min_length=FRAMES,
        max_length=FRAMES,
        description="Exactly three still images (base64 JPEG, PNG or WebP, or data: URLs): "
        "before, during and after.",
    )
    clip: str | None = Field(
        default=None, description="Optional video clip: base64 MP4 or WebM (or a data: URL)."
    )
