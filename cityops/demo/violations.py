"""Demo violation cases, for ``make run``: two enforcement officers and eight cases at the
simulated cameras, in every state of the process, with drawn frames (the plates drawn as real
ones are, no people).

Each case goes the way a real one does: the camera's event through ``detection_receive`` and
the job, then the officers' steps (each at its own moment of the last two weeks). The owners'
names and addresses are labelled as demo data. Seeding again adds nothing once a case exists.
"""

from __future__ import annotations

import base64
import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from PIL import Image, ImageDraw, ImageFont

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.platform import clock
from cityops.violations import services
from cityops.violations.choices import CaseStatus, Rule, VehicleType
from cityops.violations.models import Case
from cityops.violations.payloads import ViolationEventIn

OFFICERS = ("demo-officer", "demo-officer-2")
CAMERAS = ("hue-cam-01", "hue-cam-02", "hue-cam-03")


@dataclass(frozen=True)
class DemoCase:
    camera: str
    rule: Rule
    vehicle: VehicleType
    plate: str
    days_ago: float
    status: CaseStatus


V, R, S = VehicleType, Rule, CaseStatus
# A car runs the red light at Hà Nội – Lê Lợi twice (a repeat offender on the dashboard).
DEMO_CASES = (
    DemoCase("hue-cam-03", R.RED_LIGHT, V.CAR, "75A-123.45", 12, S.PAID),
    DemoCase("hue-cam-03", R.RED_LIGHT, V.CAR, "75A-123.45", 2, S.NOTICE_ISSUED),
    DemoCase("hue-cam-01", R.NO_HELMET, V.MOTORBIKE, "75B1-456.78", 6, S.REJECTED),
    DemoCase("hue-cam-02", R.ILLEGAL_PARKING, V.TRUCK, "75C-089.12", 4, S.CONFIRMED),
    DemoCase("hue-cam-01", R.WRONG_WAY, V.MOTORBIKE, "43D1-777.03", 1.5, S.REVIEWED),
    DemoCase("hue-cam-03", R.WRONG_LANE, V.CAR, "92A-318.60", 0.5, S.DETECTED),
    DemoCase("hue-cam-02", R.ILLEGAL_PARKING, V.CAR, "75A-900.11", 0.2, S.DETECTED),
    DemoCase("hue-cam-01", R.NO_HELMET, V.MOTORBIKE, "75B1-456.78", 0.1, S.DETECTED),
)
OWNERS = (
    ("Nguyễn Văn Minh (dữ liệu mẫu)", "12 Lê Lợi, phường Thuận Hóa, Huế (địa chỉ mẫu)"),
    ("Công ty TNHH Vận tải Sông Hương (dữ liệu mẫu)", "88 Hùng Vương, Huế (địa chỉ mẫu)"),
)
COLOURS = ((20, 60, 150), (150, 30, 30), (40, 110, 60), (210, 210, 210), (60, 60, 60))


def _plate(plate: str, *, motorbike: bool, width: int) -> Image.Image:
    """A Vietnamese plate drawn with Pillow's bundled font: one line on a car (~4.3:1), two on
    a motorbike (~1.45:1), dark characters on a white panel framed by a dark line."""
    lines = plate.split("-") if motorbike else [plate]
    height = round(width / (1.45 if motorbike else 4.3))
    panel = Image.new("RGB", (width, height), (240, 240, 236))
    draw = ImageDraw.Draw(panel)
    draw.rounded_rectangle(
        (0, 0, width - 1, height - 1),
        radius=max(3, height // 10),
        fill=(240, 240, 236),
        outline=(20, 20, 20),
        width=max(2, height // 16),
    )
    inset = max(3, height // 10)
    line_height = (height - 2 * inset) / len(lines)
    for row, text in enumerate(lines):
        font = ImageFont.load_default(size=int(line_height * 0.95))
        left, top, right, bottom = font.getbbox(text)
        glyphs = Image.new("L", (int(right - left) + 4, int(bottom - top) + 4), 0)
        ImageDraw.Draw(glyphs).text((2 - left, 2 - top), text, font=font, fill=255)
        size = (min(width - 4 * inset, round(glyphs.width * 0.8)), round(line_height * 0.78))
        glyphs = glyphs.resize(size, Image.Resampling.LANCZOS)
        at = (
            (width - size[0]) // 2,
            round(inset + row * line_height + (line_height - size[1]) / 2),
        )
        panel.paste(Image.new("RGB", size, (15, 15, 15)), at, glyphs)
    return panel


def demo_frame(step: int, *, plate: str, colour: tuple[int, int, int], motorbike: bool) -> bytes:
    """A drawn street at a crossing, the vehicle moving left to right with its number plate
    (drawn as real ones are, so that the blurring finds it). No person is drawn."""
    width, height = 960, 540
    image = Image.new("RGB", (width, height), (118, 124, 130))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 2 // 3, width, height], fill=(70, 72, 76))
    for x in range(0, width, 120):
        draw.rectangle([x, 470, x + 60, 478], fill=(235, 235, 235))
    draw.rectangle([40, 40, 120, 240], fill=(30, 30, 30))
    draw.ellipse([60, 56, 100, 96], fill=(220, 30, 30))  # the red light
    left = 120 + step * 220
    if motorbike:
        draw.rectangle([left, 330, left + 140, 440], fill=colour)
        image.paste(_plate(plate, motorbike=True, width=96), (left + 22, 360))
    else:
        draw.rectangle([left, 300, left + 300, 440], fill=colour)
        image.paste(_plate(plate, motorbike=False, width=180), (left + 60, 380))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _officers() -> list[User]:
    from cityops.demo.demo_data import _user, demo_password

    names = ("Lê Văn An (cán bộ mẫu)", "Võ Thị Bình (cán bộ mẫu)")
    return [
        _user(username, Role.OFFICER, password=demo_password(), full_name=name)
        for username, name in zip(OFFICERS, names, strict=True)
    ]


def _case(spec: DemoCase, camera: Sensor, rng: random.Random, now: datetime) -> Case:
    observed = now - timedelta(days=spec.days_ago, minutes=rng.randint(0, 90))
    colour = rng.choice(COLOURS)
    motorbike = spec.vehicle == VehicleType.MOTORBIKE
    event = ViolationEventIn(
        rule=spec.rule,
        plate=spec.plate,
        vehicle_type=spec.vehicle,
        confidence=round(rng.uniform(0.82, 0.98), 2),
        observed_at=observed,
        frames=[
            base64.b64encode(
                demo_frame(step, plate=spec.plate, colour=colour, motorbike=motorbike)
            ).decode()
            for step in range(3)
        ],
    )
    with clock.frozen_at(observed + timedelta(seconds=20)):
        detection = services.detection_receive(camera_code=camera.code, event=event)
        case = services.detection_process(detection_id=detection.pk)
    assert case is not None, "a demo detection becomes a case"
    return case


def _steps(case: Case, spec: DemoCase, officers: list[User], number: int) -> Case:
    """Take ``case`` to the demo's status, each step some hours after the last."""
    first, second = officers if number % 2 == 0 else officers[::-1]
    moment = case.observed_at
    order = (S.REVIEWED, S.CONFIRMED, S.NOTICE_ISSUED, S.PAID)
    wanted = order.index(spec.status) if spec.status in order else -1

    def later(hours: float) -> datetime:
        nonlocal moment
        moment = min(moment + timedelta(hours=hours), clock.now())
        return moment

    if spec.status == S.DETECTED:
        return case
    with clock.frozen_at(later(3)):
        case = services.case_review(case=case, actor=first, note="Hình ảnh rõ, biển số đúng.")
    if spec.status == S.REJECTED:
        with clock.frozen_at(later(4)):
            return services.case_reject(
                case=case, actor=second, reason="Người đi bộ dắt xe, không phải điều khiển xe."
            )
    if wanted >= 1:
        with clock.frozen_at(later(4)):
            case = services.case_confirm(case=case, actor=second)
            name, address = OWNERS[number % len(OWNERS)]
            case = services.case_owner_record(case=case, actor=second, name=name, address=address)
    if wanted >= 2:
        with clock.frozen_at(later(20)):
            case = services.case_notice_issue(case=case, actor=second)
    if wanted >= 3:
        with clock.frozen_at(later(72)):
            case = services.case_payment_record(
                case=case, actor=first, amount=int(case.fine_min or 0) or 1
            )
    return case


def violations_seed_demo(*, seed: int = 2025) -> dict[str, int]:
    """The demo officers (if missing) and, on a database without cases, the demo cases."""
    existing = set(User.objects.filter(username__in=OFFICERS).values_list("username", flat=True))
    officers = _officers()
    counts = {"officers_created": len(OFFICERS) - len(existing), "violation_cases": 0}
    cameras = Sensor.objects.in_bulk(list(CAMERAS), field_name="code")
    usable = {
        code: camera
        for code, camera in cameras.items()
        if camera.kind == SensorKind.CAMERA and camera.is_active
    }
    if Case.objects.exists() or len(usable) < len(CAMERAS):
        return counts
    rng = random.Random(seed)
    now = clock.now()
    for number, spec in enumerate(DEMO_CASES):
        case = _case(spec, usable[spec.camera], rng, now)
        _steps(case, spec, officers, number)
        counts["violation_cases"] += 1
    return counts
