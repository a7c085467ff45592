"""Reads: the staff list and page without owners' data, the public lookup (number and code)
with neither owners' data nor originals, repeat offenders and hot spots; query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityops.platform import clock
from cityops.platform.errors import NotFound
from cityops.violations import services
from cityops.violations.choices import CaseStatus, EvidenceKind
from cityops.violations.models import Case
from cityops.violations.selectors import (
    case_for_staff,
    case_public,
    case_public_frames,
    cases_for_staff,
    hot_spots,
    repeat_offenders,
)

from .factories import CameraFactory, case_at, case_detected

OWNER = ("owner_name", "owner_address")


@pytest.fixture
def noticed(camera, officer, second_officer):
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    services.frames_blur(case=case)
    return Case.objects.get(pk=case.pk)


def test_the_public_lookup_needs_the_number_and_its_code(noticed):
    assert case_public(number=noticed.number, code=noticed.lookup_code) == noticed
    assert case_public(number=noticed.number.lower(), code=noticed.lookup_code.lower()) == noticed
    assert case_public(number=noticed.number, code="WRONGCODE2") is None
    assert case_public(number="VP-2026-999999", code=noticed.lookup_code) is None
    assert case_public(number=noticed.number, code="") is None


@pytest.mark.parametrize(
    "status", [CaseStatus.DETECTED, CaseStatus.REVIEWED, CaseStatus.CONFIRMED, CaseStatus.REJECTED]
)
def test_a_case_no_notice_went_out_for_is_not_public_even_with_its_code(
    status, camera, officer, second_officer
):
    case = case_at(status, camera, reviewer=officer, decider=second_officer)
    assert case_public(number=case.number, code=case.lookup_code) is None


def test_the_public_never_gets_the_owners_data_or_an_original(noticed, django_assert_num_queries):
    with django_assert_num_queries(2):
        found = case_public(number=noticed.number, code=noticed.lookup_code)
        frames = case_public_frames(case=found)
    assert found.owner_name == found.owner_address == ""
    assert len(frames) == 3
    kinds = {item.kind for item in found.evidence.all()}
    assert kinds == {EvidenceKind.FRAME}  # not the event, the clip, nor the notice naming the owner
    for frame in frames:
        assert not frame.file  # the original's name is not even there
        assert frame.public_file
    with django_assert_num_queries(0):
        assert found.owner_name == ""  # blanked, not deferred: reading it asks nothing


def test_a_frame_without_its_blurred_copy_has_no_public_image(camera, officer, second_officer):
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    first = case.evidence.filter(kind=EvidenceKind.FRAME).order_by("position").first()
    type(first).objects.filter(pk=first.pk).update(public_file="", blurred_at=None)
    found = case_public(number=case.number, code=case.lookup_code)
    assert [item.position for item in case_public_frames(case=found)] == [3, 4]


def test_staff_lists_never_load_the_owners_data(noticed, django_assert_num_queries):
    with CaptureQueriesContext(connection) as queries:
        cases = list(cases_for_staff())
    assert cases == [noticed]
    assert len(queries) == 1
    for field in OWNER:
        assert field not in queries[0]["sql"]
    with CaptureQueriesContext(connection) as queries:
        case = case_for_staff(pk=noticed.pk)
        list(case.evidence.all())
    assert len(queries) == 2
    assert not any("owner_name" in query["sql"] for query in queries)
    assert case.owner_recorded_at is not None  # whether, never what


def test_the_staff_list_asks_one_query_however_many_cases(camera, django_assert_num_queries):
    for rule in ("red_light", "wrong_way", "wrong_lane"):
        case_detected(camera, rule=rule)
    with django_assert_num_queries(1):
        rows = [(case.number, case.camera.code, case.area) for case in cases_for_staff()]
    assert len(rows) == 3


def test_the_staff_list_filters_by_status_rule_plate_and_camera(camera, officer):
    red = case_detected(camera)
    moto = case_detected(camera, plate="43C1-234.56", vehicle_type="motorbike", rule="no_helmet")
    other_camera = CameraFactory(code="hue-cam-07")
    elsewhere = case_detected(other_camera, rule="wrong_way")
    services.case_review(case=red, actor=officer)
    assert list(cases_for_staff(status="reviewed")) == [red]
    assert list(cases_for_staff(rule="no_helmet")) == [moto]
    assert list(cases_for_staff(plate="43c1 23456")) == [moto]  # however it is written
    assert set(cases_for_staff(plate="75A-123")) == {red, elsewhere}  # or its start
    assert list(cases_for_staff(camera="hue-cam-07")) == [elsewhere]
    assert list(cases_for_staff(camera=other_camera)) == [elsewhere]
    with pytest.raises(NotFound):
        case_for_staff(pk=999_999)


def test_repeat_offenders_are_plates_with_several_cases(camera, officer, second_officer):
    hour = timedelta(hours=1)
    for hours_ago in (30, 20, 10):
        case_detected(camera, observed_at=(clock.now() - hours_ago * hour).isoformat())
    case_detected(camera, plate="43C1-234.56", vehicle_type="motorbike")
    rejected = case_at(
        CaseStatus.REJECTED,
        camera,
        reviewer=officer,
        decider=second_officer,
        plate="59X3-123.45",
        vehicle_type="motorbike",
    )
    case_detected(camera, plate=rejected.plate, vehicle_type="motorbike", rule="no_helmet")

    found = repeat_offenders(since=clock.now() - 48 * hour)

    assert len(found) == 1
    plate, count, last_at = found[0]
    assert (plate, count) == ("75A-123.45", 3)
    assert last_at == Case.objects.filter(plate=plate).latest("observed_at").observed_at
    assert repeat_offenders(since=clock.now() - 25 * hour)[0].count == 2
    assert repeat_offenders(since=clock.now() - 48 * hour, minimum=4) == []


def test_hot_spots_count_cases_per_camera_and_rule(camera, django_assert_num_queries):
    other = CameraFactory(code="hue-cam-08", lat=16.47, lon=107.6)
    case_detected(camera)
    case_detected(camera, plate="30A-1234")
    case_detected(other, rule="wrong_way")
    with django_assert_num_queries(2):
        spots = hot_spots(since=clock.now() - timedelta(days=1))
    assert [(spot.camera, spot.rule, spot.count) for spot in spots] == [
        (camera, "red_light", 2),
        (other, "wrong_way", 1),
    ]
    *_rest, lat, lon = spots[1]
    assert (lat, lon) == (16.47, 107.6)
