"""Cases for the page tests, made the way cameras and officers make them: a camera's event
received and processed by the services, then taken through the officers' steps.

Frames are the demo's drawn street (a vehicle with a plate drawn as real ones are), so the
tests need no photo files and the blurring has something to find.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from cityops.accounts.models import User
from cityops.demo.violations import demo_frame
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.violations import services
from cityops.violations.choices import CaseStatus, Rule, VehicleType
from cityops.violations.models import Case
from cityops.violations.payloads import ViolationEventIn

OWNER_NAME = "Trần Thị Chủ Xe"
OWNER_ADDRESS = "27 Kiệt 5 Nguyễn Trãi, phường Phú Xuân, Huế"
# An MP4 needs only its "ftyp" box for the services to take it as one.
CLIP = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def frame_jpeg(step: int, *, plate: str = "75A-123.45", motorbike: bool = False) -> bytes:
    """The demo's drawn street: a car (or motorbike) crossing with its plate."""
    return demo_frame(step, plate=plate, colour=(20, 60, 150), motorbike=motorbike)


def camera_at_le_loi() -> Sensor:
    return SensorFactory(
        code="hue-cam-le-loi",
        name="Ngã tư Lê Lợi – Hùng Vương",
        kind=SensorKind.CAMERA,
        metrics=[],
        lat=16.4637,
        lon=107.5909,
    )


def case_detected(
    camera: Sensor,
    *,
    plate: str = "75A-123.45",
    rule: Rule = Rule.RED_LIGHT,
    vehicle_type: VehicleType = VehicleType.CAR,
    observed_at: datetime | None = None,
    clip: bool = True,
) -> Case:
    """A camera's event, received and processed into a case (as the job would)."""
    event = ViolationEventIn(
        rule=rule,
        plate=plate,
        vehicle_type=vehicle_type,
        confidence=0.93,
        observed_at=observed_at or clock.now() - timedelta(hours=2),
        frames=[
            base64.b64encode(
                frame_jpeg(step, plate=plate, motorbike=vehicle_type == VehicleType.MOTORBIKE)
            ).decode()
            for step in range(3)
        ],
        clip=base64.b64encode(CLIP).decode() if clip else None,
    )
    detection = services.detection_receive(camera_code=camera.code, event=event)
    case = services.detection_process(detection_id=detection.pk)
    assert case is not None, "the detection became a case"
    return case


def case_in(
    status: CaseStatus, camera: Sensor, *, reviewer: User, decider: User, **kwargs: object
) -> Case:
    """A case brought to ``status`` by two officers (the owner recorded before the notice)."""
    case = case_detected(camera, **kwargs)  # type: ignore[arg-type]
    if status == CaseStatus.DETECTED:
        return case
    case = services.case_review(case=case, actor=reviewer, note="Biển số rõ, đèn đỏ rõ.")
    if status == CaseStatus.REVIEWED:
        return case
    if status == CaseStatus.REJECTED:
        return services.case_reject(
            case=case, actor=decider, reason="Xe ưu tiên đang làm nhiệm vụ."
        )
    case = services.case_confirm(case=case, actor=decider)
    if status == CaseStatus.CONFIRMED:
        return case
    case = services.case_owner_record(
        case=case, actor=decider, name=OWNER_NAME, address=OWNER_ADDRESS
    )
    case = services.case_notice_issue(case=case, actor=decider)
    if status == CaseStatus.NOTICE_ISSUED:
        return case
    if status == CaseStatus.CONTESTED:
        return services.case_contest(case=case, actor=decider, note="Chủ xe nói đã bán xe.")
    if status == CaseStatus.PAID:
        return services.case_payment_record(case=case, actor=decider, amount=18_000_000)
    if status == CaseStatus.CLOSED:
        return services.case_close(case=case, actor=decider)
    raise ValueError(status)
