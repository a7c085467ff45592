"""A camera's violation event received (files cleaned and kept, the detection written, the job
enqueued) and processed (the plate normalised, the case made or the detection refused with its
reason, duplicates of an incident made one case)."""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from cityops.agencies.tests.factories import AreaFactory
from cityops.monitoring.hooks import violation_event_handlers
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotFound
from cityops.reports.tests.helpers import jpeg_with_gps
from cityops.violations import services
from cityops.violations.choices import CaseAction, CaseStatus, DetectionStatus, EvidenceKind
from cityops.violations.models import CameraClock, Case, CaseStep, Detection, Evidence
from cityops.violations.tasks import process_stale_detections

from .factories import OfficerFactory, b64, case_at, event, event_body, mp4_bytes


def receive(camera, **changes):
    return services.detection_receive(camera_code=camera.code, event=event(**changes))


def process(detection):
    return services.detection_process(detection_id=detection.pk)


def test_an_event_is_kept_and_its_job_makes_the_case(camera, django_capture_on_commit_callbacks):
    area = AreaFactory(name="Phường Thuận Hóa", centroid_lat=camera.lat, centroid_lon=camera.lon)
    with django_capture_on_commit_callbacks(execute=True):
        detection = receive(camera, plate="75a 12345", frames=[b64(jpeg_with_gps())] * 3)

    detection.refresh_from_db()
    assert detection.status == DetectionStatus.CASED
    case = detection.case
    assert re.fullmatch(rf"VP-{clock.now().year}-000001", case.number)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", case.lookup_code)
    assert (case.plate, case.rule, case.vehicle_type) == ("75A-123.45", "red_light", "car")
    assert (case.fine_min, case.fine_max) == (18_000_000, 20_000_000)
    assert case.legal_basis == "Điểm b khoản 9 Điều 6 Nghị định 168/2024/NĐ-CP"
    assert (case.area, case.place, case.lat, case.lon) == (
        area,
        camera.name,
        camera.lat,
        camera.lon,
    )
    assert case.status == CaseStatus.DETECTED
    step = CaseStep.objects.get(case=case)
    assert (step.action, step.actor, step.to_status) == (CaseAction.DETECTED, None, "detected")
    frames = Evidence.objects.filter(case=case, kind=EvidenceKind.FRAME)
    assert frames.count() == 3
    for frame in frames:
        with frame.file.open("rb") as file:
            content = file.read()
        assert content.startswith(b"\xff\xd8\xff")
        assert b"SecretPhone" not in content  # re-encoded without the camera's EXIF
        assert not frame.public_file  # no public image until it is blurred
    assert services.evidence_verify(case=case).ok


def test_the_cameras_clock_offset_is_applied(camera):
    CameraClock.objects.create(camera=camera, offset_seconds=90)
    camera_time = clock.now() - timedelta(minutes=10)
    detection = receive(camera, observed_at=camera_time.isoformat())
    assert detection.camera_time == camera_time
    assert detection.observed_at == camera_time + timedelta(seconds=90)
    assert process(detection).observed_at == camera_time + timedelta(seconds=90)


def test_a_camera_whose_clock_runs_ahead_is_believed_once_its_offset_is_known(camera):
    ahead = clock.now() + timedelta(minutes=20)
    with pytest.raises(InvalidInput):
        receive(camera, observed_at=ahead.isoformat())
    CameraClock.objects.create(camera=camera, offset_seconds=-20 * 60)
    assert receive(camera, observed_at=ahead.isoformat()).observed_at <= clock.now()


@pytest.mark.parametrize(
    "observed_at",
    ["1999-12-31T23:00:00+00:00", "9999-12-31T23:59:59+07:00", "0001-01-01T00:00:00+00:00"],
)
def test_implausible_times_are_refused_and_nothing_is_kept(camera, observed_at):
    with pytest.raises(InvalidInput) as refused:
        receive(camera, observed_at=observed_at)
    assert "observed_at" in refused.value.fields
    assert not Detection.objects.exists()


def test_a_time_in_the_future_is_refused(camera):
    with pytest.raises(InvalidInput):
        receive(camera, observed_at=(clock.now() + timedelta(minutes=6)).isoformat())


def test_unknown_inactive_and_non_camera_sensors_are_refused(camera):
    with pytest.raises(NotFound) as unknown:
        services.detection_receive(camera_code="hue-cam-99", event=event())
    assert unknown.value.code == "unknown_camera"
    station = SensorFactory(code="hue-aq-01")
    with pytest.raises(NotFound):
        services.detection_receive(camera_code=station.code, event=event())
    camera.is_active = False
    camera.save()
    with pytest.raises(Conflict) as inactive:
        receive(camera)
    assert inactive.value.code == "inactive"


def png_base64() -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_frames_are_cleaned_images_and_anything_else_is_refused_per_frame(camera, settings):
    detection = receive(
        camera, frames=[png_base64(), f"data:image/png;base64,{png_base64()}", b64(jpeg_with_gps())]
    )
    assert len(detection.payload["frames"]) == 3
    with pytest.raises(InvalidInput) as refused:
        receive(camera, frames=[png_base64(), b64(b"GIF89a not really"), png_base64()])
    assert refused.value.code == "invalid_image"
    assert "frames.1" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        receive(camera, frames=[png_base64(), png_base64(), "not base64!"])
    assert "frames.2" in refused.value.fields
    settings.CITYOPS_UPLOAD_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as refused:
        receive(camera)
    assert refused.value.code == "invalid_image"
    assert Detection.objects.count() == 1


def test_a_clip_is_kept_as_evidence_if_it_is_an_mp4_or_webm(camera):
    detection = receive(camera, clip=b64(mp4_bytes()))
    case = process(detection)
    clip = Evidence.objects.get(case=case, kind=EvidenceKind.CLIP)
    assert clip.content_type == "video/mp4"
    assert clip.file.name.endswith(".mp4")
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 32
    assert receive(camera, clip=b64(webm)).payload["clip"]["content_type"] == "video/webm"


@pytest.mark.parametrize(
    "clip",
    [
        b64(b"\xff\xd8\xff\xe0 a JPEG, not a video"),
        b64(b"\x00\x00\x00\x18ftypheic\x00\x00"),  # a HEIC photo has an ftyp box too
        b64(b"\x00\x00\x00\x14ftypqt  \x00\x00"),  # QuickTime is not MP4
        "!!not base64!!",
        "data:video/mp4,raw",
    ],
)
def test_a_clip_that_is_not_an_mp4_or_webm_is_refused(camera, clip):
    with pytest.raises(InvalidInput) as refused:
        receive(camera, clip=clip)
    assert refused.value.code == "invalid_clip"
    assert "clip" in refused.value.fields


def test_a_clip_over_the_upload_limit_is_refused(camera, settings):
    settings.CITYOPS_UPLOAD_MAX_BYTES = 200_000
    with pytest.raises(InvalidInput) as refused:
        receive(camera, clip=b64(mp4_bytes() + b"\x00" * 200_001))
    assert refused.value.code == "invalid_clip"


@pytest.mark.parametrize(
    ("plate", "code"),
    [("HELLO", "too_short"), ("13A-123.45", "unknown_province"), ("30A12345", "ambiguous")],
)
def test_an_unreadable_plate_refuses_the_detection_with_its_reason_and_keeps_it(
    camera, plate, code
):
    detection = receive(camera, plate=plate, vehicle_type="other")
    assert process(detection) is None
    detection.refresh_from_db()
    assert (detection.status, detection.refusal_code) == (DetectionStatus.REFUSED, code)
    assert plate in detection.refusal
    assert detection.processed_at is not None
    assert not Case.objects.exists()
    for item in detection.payload["frames"]:
        assert default_storage.exists(item["name"])  # nothing sent is lost


def test_a_rule_that_does_not_apply_to_the_vehicle_refuses_the_detection(camera):
    detection = receive(camera, rule="no_helmet", vehicle_type="car")
    assert process(detection) is None
    detection.refresh_from_db()
    assert detection.refusal_code == "rule_not_applicable"


def test_a_file_changed_between_receiving_and_processing_refuses_the_detection(camera):
    detection = receive(camera)
    name = detection.payload["frames"][1]["name"]
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"something else"))
    assert process(detection) is None
    detection.refresh_from_db()
    assert detection.refusal_code == "file_changed"


def test_a_file_missing_at_processing_refuses_the_detection(camera):
    detection = receive(camera)
    default_storage.delete(detection.payload["frames"][0]["name"])
    assert process(detection) is None
    detection.refresh_from_db()
    assert detection.refusal_code == "file_missing"


def test_the_same_incident_seen_again_adds_evidence_to_its_case(camera):
    first = process(receive(camera))
    again = receive(
        camera,
        plate="75A 123 45",
        observed_at=(first.observed_at + timedelta(minutes=2)).isoformat(),
    )
    assert process(again) == first
    again.refresh_from_db()
    assert (again.status, again.case) == (DetectionStatus.CASED, first)
    kinds = list(Evidence.objects.filter(case=first).order_by("position").values_list("kind"))
    assert [kind for (kind,) in kinds] == ["event", "frame", "frame", "frame"] * 2
    step = CaseStep.objects.filter(case=first).latest("pk")
    assert step.action == CaseAction.EVIDENCE_ADDED
    assert services.evidence_verify(case=first).ok
    assert Case.objects.count() == 1


def test_another_time_camera_or_rule_is_another_case(camera):
    first = process(receive(camera, observed_at=(clock.now() - timedelta(minutes=10)).isoformat()))
    later = (first.observed_at + timedelta(minutes=6)).isoformat()
    assert process(receive(camera, observed_at=later)) != first
    same_time = first.observed_at.isoformat()
    assert process(receive(camera, rule="wrong_way", observed_at=same_time)) != first
    other = SensorFactory(code="hue-cam-02", kind="camera", metrics=[])
    assert process(receive(other, observed_at=same_time)) != first
    assert Case.objects.count() == 4


def test_a_duplicate_after_the_notice_is_linked_but_adds_no_evidence(camera):
    a, b = OfficerFactory(), OfficerFactory()
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=a, decider=b)
    links = Evidence.objects.filter(case=case).count()
    duplicate = receive(camera, observed_at=case.observed_at.isoformat())
    assert process(duplicate) == case
    assert Evidence.objects.filter(case=case).count() == links


def test_processing_twice_does_nothing_more(camera):
    detection = receive(camera)
    case = process(detection)
    assert process(detection) == case
    assert Evidence.objects.filter(case=case).count() == 4
    assert CaseStep.objects.filter(case=case).count() == 1


def test_case_numbers_count_up_within_a_year_and_start_again_the_next(camera):
    numbers = [process(receive(camera, rule=rule)).number for rule in ("red_light", "wrong_way")]
    year = clock.now().year
    assert numbers == [f"VP-{year}-000001", f"VP-{year}-000002"]
    with clock.frozen_at(clock.now().replace(year=year + 1, month=1, day=2)):
        assert process(receive(camera, rule="wrong_lane")).number == f"VP-{year + 1}-000001"


def test_detections_left_pending_are_processed_by_the_periodic_job(camera):
    detection = receive(camera)  # its job was lost (no on-commit callbacks run here)
    Detection.objects.filter(pk=detection.pk).update(received_at=clock.now() - timedelta(minutes=3))
    fresh = receive(camera, rule="wrong_way")
    assert process_stale_detections.call() == 1
    assert Detection.objects.get(pk=detection.pk).status == DetectionStatus.CASED
    assert Detection.objects.get(pk=fresh.pk).status == DetectionStatus.PENDING


def test_the_mqtt_entry_receives_the_same_json(camera):
    import json

    (handler,) = [h for h in violation_event_handlers() if h.__name__ == "detection_receive_json"]
    detection = handler(camera.code, json.dumps(event_body()).encode())
    assert Detection.objects.get() == detection
    with pytest.raises(InvalidInput) as refused:
        handler(camera.code, json.dumps(event_body(frames=[b64(b"x")])).encode())
    assert "frames" in refused.value.fields
    with pytest.raises(InvalidInput):
        handler(camera.code, b"{not json")
