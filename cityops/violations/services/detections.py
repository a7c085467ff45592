"""A camera's violation event in (``detection_receive``), and out as a case (``detection_process``).

Receiving is quick and refuses only what can never become evidence (an unknown or inactive
camera, an implausible time, frames that are not images, a clip that is not a video): the files
are cleaned and stored in restricted storage, the ``Detection`` written, and the job enqueued.
Everything else is the job's to judge, and a detection it refuses (an unreadable plate, a rule
that does not apply to the vehicle) is kept with its reason: nothing sent is lost.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityops.agencies.selectors import area_at
from cityops.alerts.services.cameras import snapshot_decode
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotFound
from cityops.platform.images import CleanImage, ImageLimits, ImageRejected, image_clean
from cityops.violations.choices import (
    CaseAction,
    CaseStatus,
    DetectionStatus,
    EvidenceKind,
)
from cityops.violations.evidence import NewLink, evidence_extend, file_sha256, stored_link
from cityops.violations.fines import fine_band
from cityops.violations.models import CameraClock, Case, CaseSequence, CaseStep, Detection
from cityops.violations.payloads import ViolationEventIn
from cityops.violations.plates import PlateRefused, plate_normalise

logger = logging.getLogger(__name__)

# A camera's clock may run a little fast; further ahead is a broken clock (as for alarms).
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# The same camera, rule and plate within this much of each other is one incident: one case.
DEDUPE_WINDOW = timedelta(minutes=5)
# Evidence is still added to a case in these statuses; later, a duplicate is only linked.
OPEN_FOR_EVIDENCE = (CaseStatus.DETECTED, CaseStatus.REVIEWED, CaseStatus.CONFIRMED)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper and typed
CODE_LENGTH = 10  # 32**10 = 2**50 codes; lookups are rate limited besides
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V "}
)


def _limits() -> ImageLimits:
    # The upload limits; frames need no thumbnail (the public sees blurred copies only), and a
    # tiny one costs nothing where a 400-pixel one is a third of the cleaning's time.
    return ImageLimits(
        max_bytes=settings.CITYOPS_UPLOAD_MAX_BYTES,
        max_pixels=settings.CITYOPS_UPLOAD_MAX_PIXELS,
        thumb_side=32,
    )


def _camera(code: str) -> Sensor:
    camera = (
        Sensor.objects.select_related("violation_clock")
        .filter(code=code, kind=SensorKind.CAMERA)
        .first()
    )
    if camera is None:
        raise NotFound(f"There is no camera {code}.", code="unknown_camera")
    if not camera.is_active:
        raise Conflict(f"Camera {code} is inactive; its events are refused.", code="inactive")
    return camera


def _offset(camera: Sensor) -> int:
    try:
        return int(camera.violation_clock.offset_seconds)
    except CameraClock.DoesNotExist:  # a camera without a row keeps the right time
        return 0


def _observed(camera: Sensor, camera_time: datetime) -> tuple[datetime, int]:
    """When it happened: the camera's time with its clock offset; InvalidInput if implausible."""
    offset = _offset(camera)
    message = f"{camera_time.isoformat()} is not a plausible time; check the camera's clock."
    if not clock.in_range(camera_time):
        raise InvalidInput(message, fields={"observed_at": [message]})
    try:
        observed = camera_time.astimezone(UTC) + timedelta(seconds=offset)
    except OverflowError:
        raise InvalidInput(message, fields={"observed_at": [message]}) from None
    if observed > clock.now() + FUTURE_TOLERANCE or observed < EARLIEST:
        raise InvalidInput(message, fields={"observed_at": [message]})
    return observed, offset


def _frame(text: str, index: int) -> CleanImage:
    field = f"frames.{index}"
    try:
        return image_clean(snapshot_decode(text), limits=_limits())
    except InvalidInput as refused:
        message = refused.message.replace("snapshot", "frame")
        raise InvalidInput(
            f"Frame {index + 1}: {message}", code=refused.code, fields={field: [message]}
        ) from None
    except ImageRejected as rejected:
        raise InvalidInput(
            f"Frame {index + 1}: {rejected.message}",
            code="invalid_image",
            fields={field: [rejected.message]},
        ) from None


def clip_kind(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an MP4 or WebM video, judged by its magic bytes."""
    if len(content) >= 12 and content[4:8] == b"ftyp" and content[8:12] in MP4_BRANDS:
        return "video/mp4", "mp4"
    if content[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in content[:64]:
        return "video/webm", "webm"
    return None


def _clip(text: str) -> tuple[bytes, str, str]:
    def refuse(message: str) -> InvalidInput:
        return InvalidInput(f"Clip: {message}", code="invalid_clip", fields={"clip": [message]})

    if text.startswith("data:"):
        header, _sep, text = text.partition(",")
        if not header.endswith(";base64"):
            raise refuse("Use a base64 data URL.")
    limit = settings.CITYOPS_UPLOAD_MAX_BYTES
    if len(text) > limit * 4 // 3 + 8:
        raise refuse(f"The clip is too large (at most {limit} bytes).")
    try:
        content = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise refuse("The clip is not valid base64.") from None
    if not content:
        raise refuse("The clip is empty.")
    if len(content) > limit:
        raise refuse(f"The clip is too large (at most {limit} bytes).")
    kind = clip_kind(content)
    if kind is None:
        raise refuse("The clip must be an MP4 or WebM video.")
    return content, *kind


def _store(content: bytes, extension: str) -> dict[str, Any]:
    name = default_storage.save(
        f"violations/incoming/{clock.now():%Y/%m}/{uuid4().hex}.{extension}", ContentFile(content)
    )
    return {"name": name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}


def detection_receive(*, camera_code: str, event: ViolationEventIn) -> Detection:
    """Keep a camera's violation event as a ``Detection`` and hand it to the job queue.

    Raises NotFound (``unknown_camera``), Conflict (``inactive``) or InvalidInput (``invalid``
    for an implausible time, ``invalid_image`` for a frame, ``invalid_clip`` for the clip).
    """
    camera = _camera(camera_code)
    observed, offset = _observed(camera, event.observed_at)
    frames = [_frame(text, index) for index, text in enumerate(event.frames)]
    clip = _clip(event.clip) if event.clip else None
    stored: list[dict[str, Any]] = []
    try:
        for image in frames:
            stored.append(
                _store(image.content, image.extension)
                | {"width": image.width, "height": image.height, "content_type": "image/jpeg"}
            )
        clip_file = None
        if clip is not None:
            clip_file = _store(clip[0], clip[2]) | {"content_type": clip[1]}
            stored.append(clip_file)
        received = clock.now()
        payload = {
            "frames": stored[: len(frames)],
            "clip": clip_file,
            "event": {
                "camera": camera.code,
                "rule": str(event.rule),
                "plate_as_read": event.plate,
                "vehicle_type": str(event.vehicle_type),
                "confidence": event.confidence,
                "camera_time": event.observed_at.isoformat(),
                "clock_offset_seconds": offset,
                "observed_at": observed.isoformat(),
                "received_at": received.astimezone(UTC).isoformat(),
            },
        }
        detection = Detection.objects.create(
            camera=camera,
            rule=event.rule,
            plate_text=event.plate,
            vehicle_type=event.vehicle_type,
            confidence=event.confidence,
            camera_time=event.observed_at,
            observed_at=observed,
            received_at=received,
            payload=payload,
        )
    except Exception:
        for item in stored:  # nothing refers to them: do not leave them behind
            default_storage.delete(item["name"])
        raise
    from cityops.violations.tasks import process_detection

    transaction.on_commit(lambda: process_detection.enqueue(detection_id=detection.pk))
    return detection


def detection_receive_json(code: str, payload: bytes | str) -> Detection:
    """The MQTT entry (topic ``cityops/cameras/{code}/violations``): parse, then receive.

    Every refusal is a ``CityOpsError`` whose ``code`` is the reason to count.
    """
    import pydantic

    try:
        event = ViolationEventIn.model_validate_json(payload)
    except pydantic.ValidationError as error:
        fields: dict[str, list[str]] = {}
        for item in error.errors(include_url=False):
            name = ".".join(str(part) for part in item.get("loc", ())) or "body"
            fields.setdefault(name, []).append(str(item.get("msg", "")))
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        raise InvalidInput(f"Invalid violation event: {summary}", fields=fields) from None
    return detection_receive(camera_code=code, event=event)


# -- the job ---------------------------------------------------------------------------------


def detection_process(*, detection_id: int) -> Case | None:
    """Turn a received detection into a case (or more evidence of the same incident's case), or
    refuse it with a reason. Run again on a processed detection, it does nothing more."""
    # Refusals and steps are recorded in the city's language, whoever runs the job.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        return _process(detection_id)


def _process(detection_id: int) -> Case | None:
    detection = (
        Detection.objects.select_for_update().select_related("camera").filter(pk=detection_id)
    ).first()
    if detection is None:
        raise NotFound(f"There is no detection {detection_id}.")
    if detection.status != DetectionStatus.PENDING:
        return detection.case
    refusal = _refusal(detection)
    if refusal is not None:
        _refused(detection, *refusal)
        return None
    plate = plate_normalise(detection.plate_text, vehicle_type=detection.vehicle_type)
    band = fine_band(rule=detection.rule, vehicle_type=detection.vehicle_type)
    assert band is not None  # _refusal checked it
    _lock_incident(detection.camera_id, detection.rule, plate.text)
    case = (
        Case.objects.select_for_update()
        .filter(
            camera_id=detection.camera_id,
            rule=detection.rule,
            plate=plate.text,
            observed_at__gte=detection.observed_at - DEDUPE_WINDOW,
            observed_at__lte=detection.observed_at + DEDUPE_WINDOW,
        )
        .order_by("observed_at", "pk")
        .first()
    )
    if case is None:
        case = _case_open(detection, plate.text, band.minimum, band.maximum, band.basis)
        _evidence_add(case, detection)
        CaseStep.objects.create(
            case=case,
            action=CaseAction.DETECTED,
            to_status=CaseStatus.DETECTED,
            note=_note(detection),
            created_at=clock.now(),
        )
    elif case.status in OPEN_FOR_EVIDENCE:
        _evidence_add(case, detection)
        CaseStep.objects.create(
            case=case,
            action=CaseAction.EVIDENCE_ADDED,
            from_status=case.status,
            to_status=case.status,
            note=_note(detection),
            created_at=clock.now(),
        )
    detection.status, detection.case = DetectionStatus.CASED, case
    detection.processed_at = clock.now()
    detection.save(update_fields=["status", "case", "processed_at"])
    return case


def _refusal(detection: Detection) -> tuple[str, str] | None:
    """Why the detection cannot become a case (code, reason), or None if it can."""
    try:
        plate_normalise(detection.plate_text, vehicle_type=detection.vehicle_type)
    except PlateRefused as refused:
        reason = _("Plate “%(plate)s”: %(reason)s")
        return refused.code, reason % {"plate": detection.plate_text, "reason": refused.reason}
    if fine_band(rule=detection.rule, vehicle_type=detection.vehicle_type) is None:
        reason = _("%(rule)s does not apply to a %(vehicle)s.")
        return "rule_not_applicable", reason % {
            "rule": detection.get_rule_display(),
            "vehicle": detection.get_vehicle_type_display().lower(),
        }
    for item in _files(detection):
        try:
            digest = file_sha256(item["name"])
        except OSError:
            return "file_missing", _("A file is missing since it was received.")
        if digest != item["sha256"]:
            return "file_changed", _("A file changed after it was received.")
    return None


def _files(detection: Detection) -> list[dict[str, Any]]:
    payload = detection.payload
    return [*payload.get("frames", []), *([payload["clip"]] if payload.get("clip") else [])]


def _refused(detection: Detection, code: str, reason: str) -> None:
    """Keep the detection, refused with its reason: there is no case."""
    detection.status = DetectionStatus.REFUSED
    detection.refusal_code, detection.refusal = code, reason[:200]
    detection.processed_at = clock.now()
    detection.save(update_fields=["status", "refusal_code", "refusal", "processed_at"])
    logger.info("violations: detection %s refused: %s", detection.pk, code)
    return None


def _note(detection: Detection) -> str:
    return _("Camera %(camera)s, detection %(id)s, confidence %(confidence)s%%") % {
        "camera": detection.camera.code,
        "id": detection.pk,
        "confidence": round(detection.confidence * 100),
    }


def _lock_incident(camera_id: int, rule: str, plate: str) -> None:
    """Two workers with two detections of one incident make one case: the second waits here.
    (SQLite has one writer at a time anyway.)"""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"violations:{camera_id}:{rule}:{plate}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def case_number_next(*, year: int) -> str:
    """``VP-2026-000123``: the year's next number, counted in the database."""
    if not CaseSequence.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                CaseSequence.objects.create(year=year, last=1)
        except IntegrityError:  # another worker made the year's row first
            CaseSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = CaseSequence.objects.filter(year=year).values_list("last", flat=True).get()
    return f"VP-{year}-{last:06d}"


def lookup_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _case_open(detection: Detection, plate: str, low: int, high: int, basis: str) -> Case:
    camera = detection.camera
    area = area_at(lat=camera.lat, lon=camera.lon)
    number = case_number_next(year=timezone.localtime(clock.now()).year)
    for attempt in range(3):
        try:
            with transaction.atomic():
                return Case.objects.create(
                    number=number,
                    lookup_code=lookup_code_new(),
                    camera=camera,
                    area_id=area.pk if area is not None else camera.area_id,
                    lat=camera.lat,
                    lon=camera.lon,
                    place=camera.name[:200],
                    rule=detection.rule,
                    vehicle_type=detection.vehicle_type,
                    plate=plate,
                    observed_at=detection.observed_at,
                    confidence=detection.confidence,
                    legal_basis=basis,
                    fine_min=low,
                    fine_max=high,
                    created_at=clock.now(),
                )
        except IntegrityError:  # the one-in-2**50 lookup code drawn twice
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _evidence_add(case: Case, detection: Detection) -> None:
    """The event (as JSON), the three frames and the clip, as the next links of the chain."""
    payload = detection.payload
    event = dict(payload.get("event", {}))
    event["detection"] = detection.pk
    event["frames"] = [item["sha256"] for item in payload.get("frames", [])]
    event["clip"] = payload["clip"]["sha256"] if payload.get("clip") else None
    text = json.dumps(event, ensure_ascii=False, sort_keys=True, indent=2).encode()
    name = default_storage.save(
        f"violations/{clock.now():%Y/%m}/{case.number}-{uuid4().hex}.json", ContentFile(text)
    )
    links = [
        NewLink(
            EvidenceKind.EVENT,
            name,
            "application/json",
            hashlib.sha256(text).hexdigest(),
            len(text),
        )
    ]
    for item in payload.get("frames", []):
        links.append(
            stored_link(kind=EvidenceKind.FRAME, name=item["name"], content_type="image/jpeg")
        )
    if payload.get("clip"):
        clip = payload["clip"]
        links.append(
            stored_link(
                kind=EvidenceKind.CLIP, name=clip["name"], content_type=clip["content_type"]
            )
        )
    evidence_extend(case=case, links=links)


def detections_stale(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Detections still pending a while after they arrived (a lost job, a worker that died)."""
    cutoff = clock.now() - older_than
    return list(
        Detection.objects.filter(status=DetectionStatus.PENDING, received_at__lt=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:500]
    )
