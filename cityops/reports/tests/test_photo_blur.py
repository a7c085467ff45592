"""Photos are blurred by a job before anyone outside the IOC can see them (reports.photos)."""

from __future__ import annotations

import importlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.alerts.choices import AlarmType, Severity
from cityops.alerts.services import alarm_raise, alarm_to_report
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.platform.blurring import Region
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.platform.images import image_clean
from cityops.reports import tasks, workflow
from cityops.reports.choices import AttachmentKind, BlurStatus, Channel, EventKind, ReportStatus
from cityops.reports.models import Attachment, ReportEvent
from cityops.reports.photos import attachment_blur, attachment_blur_edit, blur_revision
from cityops.reports.selectors import (
    BLUR_ATTEMPTS_MAX,
    attachments_blur_due,
    attachments_blur_waiting,
)
from cityops.reports.tests.helpers import report_in, submit
from cityops.reports.tests.photo_blur import (
    FACE,
    PLATE,
    blur_now,
    detailed_jpeg,
    detector_failing,
    detector_finding,
    difference_inside,
    region_dicts,
)

OUTSIDE: tuple[int, int, int, int] = (150, 20, 100, 100)  # neither the face nor the plate
pytestmark = pytest.mark.django_db

FACE_DICT = {"x": 40, "y": 30, "width": 80, "height": 100, "kind": "face"}


def _original(photo: Attachment) -> bytes:
    with photo.file.open("rb") as file:
        return file.read()


def _public(photo: Attachment) -> bytes:
    with photo.public_file.open("rb") as file:
        return file.read()


@pytest.fixture
def found(monkeypatch):
    return detector_finding(monkeypatch, FACE)


# --- every way a photo arrives leaves it waiting, with its job queued ----------------------------


def _by_intake(operator, agency, agency_staff):
    return submit(photos=[detailed_jpeg()]).attachments.get()


def _by_agency_result(operator, agency, agency_staff):
    report = report_in(
        ReportStatus.IN_PROGRESS, operator=operator, agency=agency, staff=agency_staff
    )
    workflow.report_resolve(
        report=report, actor=agency_staff, result="Đã vá.", photos=[detailed_jpeg()]
    )
    return report.attachments.get(kind=AttachmentKind.RESULT)


def _by_channel_note(operator, agency, agency_staff):
    report = submit()
    workflow.report_note_from_channel(
        report=report, channel=Channel.ZALO, text="Thêm ảnh", photos=[image_clean(detailed_jpeg())]
    )
    return report.attachments.get()


def _by_camera_alarm(operator, agency, agency_staff):
    camera = SensorFactory(code="cam-dong-ba", kind=SensorKind.CAMERA, metrics=[])
    alarm = alarm_raise(
        sensor=camera,
        type=AlarmType.ACCIDENT,
        severity=Severity.MAJOR,
        message="Va chạm ở chợ Đông Ba",
        confidence=0.9,
        snapshot=image_clean(detailed_jpeg()),
    ).alarm
    from cityops.reports.tests.factories import CategoryFactory

    report = alarm_to_report(alarm=alarm, actor=operator, category=CategoryFactory())
    return report.attachments.get()


@pytest.mark.parametrize(
    "arrive", [_by_intake, _by_agency_result, _by_channel_note, _by_camera_alarm]
)
def test_a_photo_waits_without_a_public_copy_until_its_job_ran_after_the_commit(
    arrive, found, operator, agency, agency_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        photo = arrive(operator, agency, agency_staff)
    assert photo.blur_status == BlurStatus.PENDING
    assert not photo.public_file
    assert not photo.public_thumbnail

    for callback in after_commit:  # the commit: the queued job runs (jobs are inline in tests)
        callback()

    photo.refresh_from_db()
    assert photo.blur_status == BlurStatus.BLURRED
    assert photo.blur_regions == region_dicts([FACE], kind="face", source="detector")
    assert photo.blurred_at is not None
    assert difference_inside(_original(photo), _public(photo), FACE) > 40


def test_the_public_copy_is_blurred_inside_the_boxes_only(found, operator):
    photo = submit(photos=[detailed_jpeg()]).attachments.get()
    blur_now()
    photo.refresh_from_db()
    original, public = _original(photo), _public(photo)
    inside = difference_inside(original, public, FACE)
    assert inside > 40
    assert difference_inside(original, public, OUTSIDE) < inside / 4
    with photo.public_thumbnail.open("rb") as file:
        thumbnail = file.read()
    with photo.thumbnail.open("rb") as file:
        assert thumbnail[:2] == b"\xff\xd8"
        assert thumbnail != file.read()


def test_the_real_detector_blurs_a_real_face(operator):
    samples = pytest.importorskip("skimage.data")
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(samples.astronaut()).save(out, "JPEG", quality=92)
    photo = submit(photos=[out.getvalue()]).attachments.get()
    assert blur_now() == {"blurred": 1, "failed": 0}
    photo.refresh_from_db()
    eyes_to_chin = (200, 110, 60, 60)  # inside the astronaut's face
    x, y, width, height = eyes_to_chin
    assert any(
        region["kind"] == "face"
        and region["x"] <= x
        and region["y"] <= y
        and region["x"] + region["width"] >= x + width
        and region["y"] + region["height"] >= y + height
        for region in photo.blur_regions
    )
    assert difference_inside(_original(photo), _public(photo), eyes_to_chin) > 15


def test_a_failed_detection_keeps_the_photo_unpublished_and_listed_for_operators(monkeypatch):
    detector_failing(monkeypatch)
    photo = submit(photos=[detailed_jpeg()]).attachments.get()
    original = _original(photo)

    assert attachment_blur(attachment_id=photo.pk) == BlurStatus.FAILED

    photo.refresh_from_db()
    assert photo.blur_status == BlurStatus.FAILED
    assert photo.blur_attempts == 1
    assert not photo.public_file
    assert _original(photo) == original  # nothing lost
    assert list(attachments_blur_waiting()) == [photo]


def test_failed_and_lost_photos_are_tried_again_a_few_times(monkeypatch):
    detector_failing(monkeypatch)
    photo = submit(photos=[detailed_jpeg()]).attachments.get()
    attachment_blur(attachment_id=photo.pk)
    soon, later = clock.now(), clock.now() + timedelta(minutes=11)
    assert attachments_blur_due(now=soon) == []  # not before the retry delay
    assert attachments_blur_due(now=later) == [photo.pk]

    Attachment.objects.filter(pk=photo.pk).update(blur_attempts=BLUR_ATTEMPTS_MAX)
    assert attachments_blur_due(now=later) == []  # left to the operators


def test_the_periodic_job_blurs_a_photo_whose_detection_failed_before(monkeypatch):
    detector_failing(monkeypatch)
    photo = submit(photos=[detailed_jpeg()]).attachments.get()
    attachment_blur(attachment_id=photo.pk)
    detector_finding(monkeypatch, FACE)
    monkeypatch.setattr(tasks.clock, "now", lambda: photo.created_at + timedelta(minutes=11))

    assert tasks.blur_waiting_photos.call() == 1

    photo.refresh_from_db()
    assert photo.blur_status == BlurStatus.BLURRED
    assert photo.blur_attempts == 2


def test_a_second_run_of_the_job_leaves_a_blurred_photo_as_it_is(found):
    photo = submit(photos=[detailed_jpeg()]).attachments.get()
    blur_now()
    photo.refresh_from_db()
    first = photo.public_file.name

    assert attachment_blur(attachment_id=photo.pk) == BlurStatus.BLURRED

    photo.refresh_from_db()
    assert photo.public_file.name == first
    assert photo.blur_attempts == 1


def test_the_command_works_off_the_backlog(monkeypatch, capsys):
    detector_failing(monkeypatch)
    failed = submit(photos=[detailed_jpeg()]).attachments.get()
    attachment_blur(attachment_id=failed.pk)
    detector_finding(monkeypatch, FACE)
    waiting = [submit(photos=[detailed_jpeg()]).attachments.get() for _ in range(2)]

    call_command("photos_blur_pending")
    assert "Photos blurred: 2; failed" in capsys.readouterr().out
    statuses = dict(Attachment.objects.values_list("pk", "blur_status"))
    assert [statuses[photo.pk] for photo in waiting] == [BlurStatus.BLURRED] * 2
    assert statuses[failed.pk] == BlurStatus.FAILED

    call_command("photos_blur_pending", "--failed")
    assert "Photos blurred: 1;" in capsys.readouterr().out
    assert Attachment.objects.get(pk=failed.pk).blur_status == BlurStatus.BLURRED


# --- an operator's boxes -----------------------------------------------------------------------


@pytest.fixture
def blurred(found, operator):
    photo = submit(photos=[detailed_jpeg()]).attachments.get()
    blur_now()
    photo.refresh_from_db()
    return photo


def test_an_operator_adds_a_box_and_the_public_copy_is_made_again(
    blurred, operator, django_capture_on_commit_callbacks, monkeypatch
):
    moved: list[int | None] = []
    generations = importlib.import_module("cityops.platform.readcache.generations")
    monkeypatch.setattr(generations, "read_cache_report_changed", moved.append)
    before = _public(blurred)
    regions = [*blurred.blur_regions, Region(*PLATE, kind="plate", source="operator")]

    with django_capture_on_commit_callbacks(execute=True):
        photo = attachment_blur_edit(attachment=blurred, actor=operator, regions=regions)

    photo.refresh_from_db()
    assert photo.blur_regions == [
        *region_dicts([FACE], kind="face", source="detector"),
        *region_dicts([PLATE], kind="plate", source="operator"),
    ]
    after = _public(photo)
    assert difference_inside(before, after, PLATE) > 40  # newly blurred
    assert difference_inside(_original(photo), after, FACE) > 40  # still blurred
    event = ReportEvent.objects.get(report=photo.report, kind=EventKind.BLUR_EDITED)
    assert event.visibility == "internal"
    assert event.actor == operator
    assert event.data == {
        "photo": photo.pk,
        "added": region_dicts([PLATE], kind="plate", source="operator"),
        "removed": [],
    }
    assert photo.report_id in moved  # the kept public pages are made again


def test_an_operator_removes_a_box_and_that_part_is_shown_again(blurred, operator):
    photo = attachment_blur_edit(attachment=blurred, actor=operator, regions=[])

    photo.refresh_from_db()
    assert photo.blur_regions == []
    assert difference_inside(_original(photo), _public(photo), FACE) < 15
    event = ReportEvent.objects.get(report=photo.report, kind=EventKind.BLUR_EDITED)
    assert event.data["removed"] == region_dicts([FACE], kind="face", source="detector")


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ({"x": "ten", "y": 0, "width": 10, "height": 10, "kind": "manual"}, "x must be"),
        ({"x": 1, "y": 0, "width": 0, "height": 10, "kind": "manual"}, "at least 1"),
        ({"x": 1, "y": 0, "width": 5, "height": 10, "kind": "tattoo"}, "kind must be"),
        ({"x": 1, "width": 5, "height": 10, "kind": "manual"}, "missing y"),
        ({"x": 400, "y": 0, "width": 5, "height": 5, "kind": "manual"}, "nằm ngoài ảnh"),
    ],
)
def test_a_bad_box_is_refused_and_nothing_is_saved(blurred, operator, bad, problem):
    public = blurred.public_file.name
    with pytest.raises(InvalidInput) as refused:
        attachment_blur_edit(
            attachment=blurred, actor=operator, regions=[*blurred.blur_regions, bad]
        )
    assert problem in refused.value.message
    assert "Vùng 2" in refused.value.message  # "Region 2", in the site's Vietnamese
    blurred.refresh_from_db()
    assert blurred.public_file.name == public
    assert blurred.blur_regions == region_dicts([FACE], kind="face", source="detector")
    assert not ReportEvent.objects.filter(kind=EventKind.BLUR_EDITED).exists()


def test_a_box_running_past_the_edge_is_cut_to_the_photo(blurred, operator):
    edge = {"x": 300, "y": 200, "width": 500, "height": 500, "kind": "manual", "source": "operator"}
    photo = attachment_blur_edit(attachment=blurred, actor=operator, regions=[edge])
    assert photo.blur_regions == [{**edge, "width": 20, "height": 40}]


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.LEADER, Role.CITIZEN, Role.OFFICER])
def test_only_ioc_staff_may_change_what_is_blurred(blurred, role, agency):
    actor = UserFactory(role=role, agency=agency if role == Role.AGENCY_STAFF else None)
    with pytest.raises(NotPermitted):
        attachment_blur_edit(attachment=blurred, actor=actor, regions=[])
    blurred.refresh_from_db()
    assert len(blurred.blur_regions) == 1


def test_an_administrator_may_change_what_is_blurred(blurred, admin_user):
    attachment_blur_edit(attachment=blurred, actor=admin_user, regions=[])
    blurred.refresh_from_db()
    assert blurred.blur_regions == []


def test_boxes_cannot_be_edited_before_the_detector_looked(operator):
    photo = submit(photos=[detailed_jpeg()]).attachments.get()
    with pytest.raises(Conflict) as refused:
        attachment_blur_edit(attachment=photo, actor=operator, regions=[])
    assert refused.value.code == "blur_pending"
    photo.refresh_from_db()
    assert photo.blur_status == BlurStatus.PENDING


def test_an_edit_of_boxes_that_changed_meanwhile_is_refused(blurred, operator):
    seen = blur_revision(attachment=blurred)
    attachment_blur_edit(attachment=blurred, actor=operator, regions=[], revision=seen)
    with pytest.raises(Conflict) as refused:
        attachment_blur_edit(
            attachment=blurred, actor=operator, regions=[{**FACE_DICT}], revision=seen
        )
    assert refused.value.code == "blur_changed"


def test_an_operator_publishes_a_failed_photo_by_marking_it_by_hand(monkeypatch, operator):
    detector_failing(monkeypatch)
    photo = submit(photos=[detailed_jpeg()]).attachments.get()
    attachment_blur(attachment_id=photo.pk)

    attachment_blur_edit(
        attachment=photo, actor=operator, regions=[{**FACE_DICT, "source": "operator"}]
    )

    photo.refresh_from_db()
    assert photo.blur_status == BlurStatus.BLURRED
    assert difference_inside(_original(photo), _public(photo), FACE) > 40
    assert list(attachments_blur_waiting()) == []
