"""Each frame's public copy: made from the detector's regions by the sweep or before the notice,
never the original; a frame the detector fails on has no public image; hand edits audited."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from PIL import Image

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.platform.blurring import Region
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.violations import services
from cityops.violations.choices import CaseAction, CaseStatus, EvidenceKind
from cityops.violations.models import CaseStep, Evidence
from cityops.violations.services import blurring
from cityops.violations.tasks import blur_pending_frames

from .conftest import DETECTED
from .factories import case_at, case_detected, event


def frames(case):
    return list(Evidence.objects.filter(case=case, kind=EvidenceKind.FRAME).order_by("position"))


def pixels(file) -> np.ndarray:
    with file.open("rb") as stream:
        return np.asarray(Image.open(io.BytesIO(stream.read())).convert("RGB"), dtype=np.int16)


def test_the_sweep_makes_each_frames_blurred_copy_from_the_detectors_regions(camera):
    case = case_detected(camera)
    assert blur_pending_frames.call() == 3
    for frame in frames(case):
        assert frame.public_file
        assert frame.blurred_at
        assert frame.public_file.name != frame.file.name
        assert frame.blur_regions == [DETECTED.as_dict()]
        original, public = pixels(frame.file), pixels(frame.public_file)
        assert original.shape == public.shape
        box = (
            slice(DETECTED.y, DETECTED.y + DETECTED.height),
            slice(DETECTED.x, DETECTED.x + DETECTED.width),
        )
        assert public[box].std() < original[box].std() / 3  # the plate's strokes are gone
        outside = np.abs(original[40:, 100:] - public[40:, 100:]).mean()
        assert outside < 8  # the rest is the same scene, re-encoded
    assert blur_pending_frames.call() == 0  # nothing left to do


def test_a_frame_the_detector_fails_on_has_no_public_image_and_is_given_up_after_three_tries(
    camera, monkeypatch
):
    case = case_detected(camera)

    def broken(content):
        raise ValueError("the detector choked")

    monkeypatch.setattr(blurring, "regions_detect", broken)
    for _ in range(4):
        assert services.frames_blur_pending() == 0
    for frame in frames(case):
        assert not frame.public_file
        assert frame.blur_attempts == 3


def test_one_sweep_at_a_time_and_within_its_time(camera):
    case_detected(camera)
    cache.add(blurring.SWEEP_LOCK, "1", timeout=60)
    assert services.frames_blur_pending() == 0  # another sweep holds the lock
    cache.delete(blurring.SWEEP_LOCK)
    assert services.frames_blur_pending(budget_seconds=0) == 0
    assert services.frames_blur_pending() == 3


def test_the_sweep_gives_way_to_detections_waiting_to_be_cases(camera):
    case_detected(camera)
    waiting = services.detection_receive(camera_code=camera.code, event=event(rule="wrong_way"))
    assert services.frames_blur_pending() == 0
    services.detection_process(detection_id=waiting.pk)
    assert services.frames_blur_pending() == 6


def test_issuing_the_notice_blurs_the_frames_first(camera, officer, second_officer):
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    assert all(frame.public_file for frame in frames(case))


def test_no_public_copy_is_ever_the_original(camera, officer, second_officer, monkeypatch):
    monkeypatch.setattr(blurring, "regions_detect", lambda content: [])  # nothing found
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    for frame in frames(case):
        assert frame.public_file.name != frame.file.name
        with frame.public_file.open("rb") as public, frame.file.open("rb") as original:
            assert public.read() != original.read()  # made by image_blur, never copied


@pytest.fixture
def frame(camera):
    case = case_detected(camera)
    services.frames_blur(case=case)
    return frames(case)[0]


def test_an_operator_adds_and_removes_regions_by_hand(frame, operator):
    old = frame.public_file.name
    drawn = Region(x=0, y=0, width=30, height=30, kind="manual", source="operator")

    edited = services.evidence_blur_edit(evidence=frame, actor=operator, regions=[drawn])

    assert edited.blur_regions == [drawn.as_dict()]  # the detector's region removed
    assert edited.public_file.name != old
    public, original = pixels(edited.public_file), pixels(edited.file)
    assert public[:30, :30].std() < original[:30, :30].std() / 3  # the kerb's squares are gone
    step = CaseStep.objects.get(case=frame.case, action=CaseAction.BLUR_EDITED)
    assert step.actor == operator
    assert "1" in step.note


def test_the_old_copy_is_removed_once_the_edit_commits(
    frame, officer, django_capture_on_commit_callbacks
):
    old = frame.public_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_blur_edit(evidence=frame, actor=officer, regions=[DETECTED])
    assert not default_storage.exists(old)


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.LEADER, Role.AGENCY_STAFF])
def test_only_officers_and_ioc_operators_edit_what_is_blurred(frame, role, agency):
    someone = UserFactory(role=role, agency=agency if role == Role.AGENCY_STAFF else None)
    with pytest.raises(NotPermitted):
        services.evidence_blur_edit(evidence=frame, actor=someone, regions=[])
    assert not CaseStep.objects.filter(action=CaseAction.BLUR_EDITED).exists()


def test_only_frames_have_regions_to_edit(frame, officer):
    event = Evidence.objects.get(case=frame.case, kind=EvidenceKind.EVENT)
    with pytest.raises(InvalidInput):
        services.evidence_blur_edit(evidence=event, actor=officer, regions=[])


def test_a_rejected_cases_frames_are_not_edited(camera, officer, second_officer):
    case = case_at(CaseStatus.REJECTED, camera, reviewer=officer, decider=second_officer)
    with pytest.raises(Conflict):
        services.evidence_blur_edit(evidence=frames(case)[0], actor=officer, regions=[])


def test_the_real_detector_and_blur_make_a_public_copy(camera, real_detector):
    case = case_detected(camera)
    assert services.frames_blur(case=case) == 3
    for frame in frames(case):
        with frame.public_file.open("rb") as file:
            assert Image.open(file).format == "JPEG"
        assert isinstance(frame.blur_regions, list)
