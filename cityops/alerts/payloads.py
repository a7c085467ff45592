"""The camera analytics event, one schema for ``POST /api/v1/cameras/{code}/events`` and MQTT
``cityops/cameras/{code}/events``::

    {"type": "illegal_parking", "observed_at": "2026-11-20T08:00:00+07:00",
     "confidence": 0.87, "snapshot": "<base64 JPEG or PNG, optional>"}

The snapshot may also be a data URL (``data:image/jpeg;base64,...``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from cityops.alerts.choices import CameraEventType
from cityops.platform.isotime import IsoDateTime

# Strict: a JSON true/false is not a confidence (pydantic would read it as 1 or 0).
Confidence = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, strict=True)]


class CameraEventIn(BaseModel):
    """One event seen by a camera's video analytics."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: CameraEventType = Field(description="What was seen.")
    observed_at: IsoDateTime = Field(description="When, ISO 8601 with its UTC offset.")
    confidence: Confidence = Field(description="The analytics' confidence, 0 to 1.")
    snapshot: str | None = Field(
        default=None,
        description="Optional still image: base64 JPEG, PNG or WebP (or a data: URL).",
    )
