"""Camera analytics events: each one raises (or bumps) an alarm of its type, with its snapshot."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta

import pydantic
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from cityops.alerts.choices import CAMERA_SEVERITY, AlarmType, CameraEventType
from cityops.alerts.payloads import CameraEventIn
from cityops.alerts.services.alarms import Raised, alarm_raise
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotFound
from cityops.platform.images import CleanImage, ImageLimits, ImageRejected, image_clean

# A camera's clock may run a little fast; further ahead is a broken clock (as for readings).
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_ADAPTER = pydantic.TypeAdapter(CameraEventIn)


def _limits() -> ImageLimits:
    return ImageLimits(
        max_bytes=settings.CITYOPS_UPLOAD_MAX_BYTES, max_pixels=settings.CITYOPS_UPLOAD_MAX_PIXELS
    )


def snapshot_decode(text: str) -> bytes:
    """The bytes of a base64 snapshot (plain, or a ``data:image/...;base64,`` URL)."""
    if text.startswith("data:"):
        header, _, text = text.partition(",")
        if not header.endswith(";base64"):
            raise InvalidInput("The snapshot data URL must be base64.", code="invalid_image",
                               fields={"snapshot": ["Use a base64 data URL."]})  # fmt: skip
    if len(text) > settings.CITYOPS_UPLOAD_MAX_BYTES * 4 // 3 + 8:
        message = "The snapshot is too large."
        raise InvalidInput(message, code="invalid_image", fields={"snapshot": [message]})
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        message = "The snapshot is not valid base64."
        raise InvalidInput(message, code="invalid_image", fields={"snapshot": [message]}) from None


def _camera(code: str) -> Sensor:
    camera = Sensor.objects.filter(code=code, kind=SensorKind.CAMERA).first()
    if camera is None:
        raise NotFound(f"There is no camera {code}.", code="unknown_camera")
    if not camera.is_active:
        raise Conflict(f"Camera {code} is inactive; its events are refused.", code="inactive")
    return camera


def camera_event_submit(*, code: str, event: CameraEventIn) -> Raised:
    """One camera event becomes an alarm of its type at the camera, or bumps the active one.

    Raises NotFound (no such camera), Conflict (inactive camera) or InvalidInput (a time out of
    range, a snapshot that is not an acceptable image: code ``invalid_image``).
    """
    camera = _camera(code)
    now = clock.now()
    # Years 1 and 9999 overflow on the way to UTC: implausible too, not a server error.
    plausible = clock.in_range(event.observed_at)
    observed_at = event.observed_at.astimezone(UTC) if plausible else EARLIEST
    if not plausible or observed_at > now + FUTURE_TOLERANCE or observed_at < EARLIEST:
        message = f"{event.observed_at.isoformat()} is not a plausible time; check the clock."
        raise InvalidInput(message, fields={"observed_at": [message]})
    image: CleanImage | None = None
    if event.snapshot:
        try:
            image = image_clean(snapshot_decode(event.snapshot), limits=_limits())
        except ImageRejected as rejected:
            raise InvalidInput(
                f"Snapshot: {rejected.message}",
                code="invalid_image",
                fields={"snapshot": [rejected.message]},
            ) from None
    kind = CameraEventType(event.type)
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(event)s (confidence %(confidence)s%%)") % {
            "event": kind.label,
            "confidence": round(event.confidence * 100),
        }
    return alarm_raise(
        sensor=camera,
        type=AlarmType(kind.value),
        severity=CAMERA_SEVERITY[kind],
        message=message,
        observed_at=observed_at,
        confidence=event.confidence,
        snapshot=image,
    )


def camera_event_receive(code: str, payload: bytes | str) -> Raised:
    """The MQTT entry point (topic ``cityops/cameras/{code}/events``): parse, then submit.

    Every refusal is a ``CityOpsError`` (InvalidInput ``invalid``/``invalid_image``, NotFound
    ``unknown_camera``, Conflict ``inactive``) whose ``code`` is the reason to count; the
    message can never succeed later, so the worker logs it and acknowledges it.
    """
    try:
        event = _ADAPTER.validate_json(payload)
    except pydantic.ValidationError as error:
        fields: dict[str, list[str]] = {}
        for item in error.errors(include_url=False):
            name = ".".join(str(part) for part in item.get("loc", ())) or "body"
            fields.setdefault(name, []).append(str(item.get("msg", "")))
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        raise InvalidInput(f"Invalid camera event: {summary}", fields=fields) from None
    return camera_event_submit(code=code, event=event)
