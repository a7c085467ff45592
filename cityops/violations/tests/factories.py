"""Cameras, officers and camera events for the violations tests; cases are made the way cameras
and officers make them (``case_detected``, ``case_at``), through the services."""

from __future__ import annotations

import base64
import io
from datetime import datetime
from typing import Any

import factory
from PIL import Image, ImageDraw

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.accounts.tests.factories import UserFactory
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.violations import services
from cityops.violations.choices import CaseStatus
from cityops.violations.models import Case
from cityops.violations.payloads import ViolationEventIn


class CameraFactory(SensorFactory):
    code = factory.Sequence(lambda n: f"hue-cam-{n:02d}")
    name = factory.Sequence(lambda n: f"Ngã tư Lê Lợi - Hùng Vương {n}")
    kind = SensorKind.CAMERA
    lat = 16.4637
    lon = 107.5909
    metrics: list[Any] = []


class OfficerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"officer{n}")
    role = Role.OFFICER


def frame_jpeg(shade: int = 0, size: tuple[int, int] = (160, 90)) -> bytes:
    """A small road scene: a grey road with a chequered kerb, a car, its white plate with
    black strokes for characters (detail that blurring must destroy)."""
    image = Image.new("RGB", size, (90 + shade, 90 + shade, 95 + shade))
    draw = ImageDraw.Draw(image)
    for x in range(0, 30, 6):
        for y in range(0, 30, 6):
            if (x + y) // 6 % 2:
                draw.rectangle((x, y, x + 5, y + 5), fill=(240, 240, 240))
    draw.rectangle((40, 30, 120, 70), fill=(30, 60, 160))
    draw.rectangle((65, 58, 95, 66), fill=(245, 245, 245))
    for x in range(67, 94, 4):
        draw.line((x, 59, x, 65), fill=(0, 0, 0), width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def mp4_bytes() -> bytes:
    """The first bytes of an MP4 (an ``ftyp`` box, brand isom) and some payload."""
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


def event_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "rule": "red_light",
        "plate": "75A-123.45",
        "vehicle_type": "car",
        "confidence": 0.93,
        "observed_at": clock.now().isoformat(),
        "frames": [b64(frame_jpeg(shade)) for shade in (0, 10, 20)],
    }
    body.update(changes)
    return body


def event(**changes: Any) -> ViolationEventIn:
    return ViolationEventIn.model_validate(event_body(**changes))


def case_detected(camera: Sensor, **changes: Any) -> Case:
    """A case as a camera's event makes it: received, then processed by the job."""
    detection = services.detection_receive(camera_code=camera.code, event=event(**changes))
    case = services.detection_process(detection_id=detection.pk)
    assert case is not None, detection.refusal
    return case


def case_at(
    status: CaseStatus,
    camera: Sensor,
    *,
    reviewer: User,
    decider: User,
    observed_at: datetime | None = None,
    **changes: Any,
) -> Case:
    """A case taken through the officers' steps to ``status``."""
    if observed_at is not None:
        changes["observed_at"] = observed_at.isoformat()
    case = case_detected(camera, **changes)
    if status == CaseStatus.DETECTED:
        return case
    case = services.case_review(case=case, actor=reviewer)
    if status == CaseStatus.REVIEWED:
        return case
    if status == CaseStatus.REJECTED:
        return services.case_reject(case=case, actor=decider, reason="Biển số bị che")
    case = services.case_confirm(case=case, actor=decider)
    if status == CaseStatus.CONFIRMED:
        return case
    services.case_owner_record(
        case=case, actor=decider, name="Nguyễn Văn Chủ", address="12 Lê Lợi, Huế"
    )
    case = services.case_notice_issue(case=case, actor=decider)
    if status == CaseStatus.NOTICE_ISSUED:
        return case
    if status == CaseStatus.CONTESTED:
        return services.case_contest(case=case, actor=decider, note="Xe đã bán")
    if status == CaseStatus.PAID:
        return services.case_payment_record(case=case, actor=decider, amount=case.fine_min or 1)
    assert status == CaseStatus.CLOSED
    return services.case_close(case=case, actor=decider)
