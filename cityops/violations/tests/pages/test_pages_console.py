"""The officers' workspace as each role sees it: the case list and its filters, the case page
(frames, clip, chain, audit trail, owner), the evidence files and the notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from cityops.accounts.access import landing_url
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.violations.choices import CaseAction, CaseStatus, EvidenceKind, Rule, VehicleType
from cityops.violations.models import CaseStep

from .world import OWNER_ADDRESS, OWNER_NAME, case_detected, case_in

READERS = ["operator", "leader", "admin_user"]


@pytest.fixture
def notified(camera, officer_a, officer_b):
    """A case whose notice went out: reviewed by A, confirmed by B, the owner on record."""
    return case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)


def _page(client, user, case):
    client.force_login(user)
    response = client.get(reverse("console:violations:case", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _files(case, kind):
    return list(case.evidence.filter(kind=kind).order_by("position"))


# --- who gets in --------------------------------------------------------------------------------


def test_an_officer_lands_on_the_violation_cases_after_signing_in(officer_a):
    assert landing_url(officer_a) == reverse("console:violations:cases")


@pytest.mark.parametrize("role", ["citizen", "agency_staff"])
def test_citizens_and_agency_staff_are_refused_the_workspace(client, request, role, notified):
    client.force_login(request.getfixturevalue(role))
    for url in (
        reverse("console:violations:cases"),
        reverse("console:violations:case", args=[notified.pk]),
    ):
        assert client.get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, notified):
    response = client.get(reverse("console:violations:case", args=[notified.pk]))
    assert response.status_code == 302
    assert "/sign-in" in response["Location"] or "login" in response["Location"]


def test_operators_see_the_workspace_in_their_header(client, operator):
    client.force_login(operator)
    page = client.get(reverse("console:queue")).content.decode()
    assert reverse("console:violations:cases") in page


# --- the case page ------------------------------------------------------------------------------


def test_an_officer_sees_the_original_frames_the_clip_and_the_steps(client, officer_a, notified):
    page = _page(client, officer_a, notified)
    for frame in _files(notified, EvidenceKind.FRAME):
        assert reverse("console:violations:evidence_original", args=[frame.pk]) in page
    clip = _files(notified, EvidenceKind.CLIP)[0]
    clip_url = reverse("console:violations:evidence_original", args=[clip.pk])
    assert f'<video class="clip" controls preload="metadata" src="{clip_url}"' in page
    assert reverse("console:violations:notice_pdf", args=[notified.pk]) in page
    assert "Biển số rõ, đèn đỏ rõ." in page  # the reviewer's note in the audit trail
    assert "Điểm b khoản 9 Điều 6 Nghị định 168/2024/NĐ-CP" in page


@pytest.mark.parametrize("role", READERS)
def test_other_readers_see_only_blurred_frames_and_no_clip(client, request, role, notified):
    page = _page(client, request.getfixturevalue(role), notified)
    frames = _files(notified, EvidenceKind.FRAME)
    assert all(frame.public_file for frame in frames)
    for frame in frames:
        assert reverse("console:violations:evidence_blurred", args=[frame.pk]) in page
    assert "/original" not in page
    assert "<video" not in page
    assert "notice.pdf" not in page
    for step in ("review", "confirm", "reject", "owner_record", "notice", "payment", "contest",
                 "close", "owner"):  # fmt: skip
        assert f'action="{reverse(f"console:violations:{step}", args=[notified.pk])}"' not in page
    may_blur = role != "leader"  # operators and administrators may edit what is blurred
    blur_form = f'action="{reverse("console:violations:blur_edit", args=[frames[0].pk])}"'
    assert (blur_form in page) == may_blur


@pytest.mark.parametrize("role", [*READERS, "officer_a"])
def test_nobody_sees_the_owner_without_asking(client, request, role, notified):
    page = _page(client, request.getfixturevalue(role), notified)
    assert OWNER_NAME not in page
    assert OWNER_ADDRESS not in page


def test_an_officer_who_asks_sees_the_owner_and_the_look_is_audited(client, officer_a, notified):
    page = _page(client, officer_a, notified)
    assert "Show the owner&#x27;s data" in page or "Show the owner's data" in page

    response = client.post(reverse("console:violations:owner", args=[notified.pk]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    shown = response.content.decode()
    assert OWNER_NAME in shown
    assert OWNER_ADDRESS in shown
    step = CaseStep.objects.filter(case=notified, action=CaseAction.OWNER_VIEWED).get()
    assert step.actor == officer_a
    assert OWNER_NAME not in _page(client, officer_a, notified)  # shown on that answer only


@pytest.mark.parametrize("role", READERS)
def test_no_one_but_an_officer_may_ask_for_the_owner(client, request, role, notified):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("console:violations:owner", args=[notified.pk]))
    assert response.status_code == 403
    assert not CaseStep.objects.filter(action=CaseAction.OWNER_VIEWED).exists()


def test_the_page_says_the_chain_is_verified(client, officer_a, notified):
    page = _page(client, officer_a, notified)
    assert 'class="chain chain-ok"' in page
    assert notified.evidence.count() == 6  # the event, three frames, the clip, the notice


def test_the_page_says_where_the_chain_breaks_when_a_file_changed(client, leader, notified):
    frame = _files(notified, EvidenceKind.FRAME)[1]
    with default_storage.open(frame.file.name, "wb") as file:
        file.write(b"\xff\xd8 a different picture")

    page = _page(client, leader, notified)

    assert 'class="chain chain-broken" role="alert"' in page
    assert f"the chain breaks at link {frame.position}" in page


def test_a_frame_not_blurred_yet_is_not_shown_to_other_readers(client, leader, camera):
    case = case_detected(camera)
    page = _page(client, leader, case)
    assert "Being blurred: shown when ready." in page
    assert "blurred.jpg" not in page


def test_a_missing_case_is_not_found(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("console:violations:case", args=[999])).status_code == 404


# --- the files ----------------------------------------------------------------------------------


def test_only_officers_get_an_original(client, officer_a, operator, leader, notified):
    frame = _files(notified, EvidenceKind.FRAME)[0]
    url = reverse("console:violations:evidence_original", args=[frame.pk])
    client.force_login(officer_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == frame.file.open("rb").read()
    assert response["Cache-Control"] == "private, no-store"
    for other in (operator, leader):
        client.force_login(other)
        assert client.get(url).status_code == 403


def test_readers_get_the_blurred_copy_never_the_original(client, leader, notified):
    frame = _files(notified, EvidenceKind.FRAME)[0]
    client.force_login(leader)
    response = client.get(reverse("console:violations:evidence_blurred", args=[frame.pk]))
    served = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert served == frame.public_file.open("rb").read()
    assert served != frame.file.open("rb").read()


def test_the_notice_downloads_as_the_pdf_kept_in_the_chain(client, officer_b, notified):
    client.force_login(officer_b)
    response = client.get(reverse("console:violations:notice_pdf", args=[notified.pk]))
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF")
    assert body == _files(notified, EvidenceKind.NOTICE)[0].file.open("rb").read()
    assert f"thong-bao-{notified.number}.pdf" in response["Content-Disposition"]


def test_there_is_no_notice_to_download_before_it_is_issued(client, officer_a, camera):
    case = case_detected(camera)
    client.force_login(officer_a)
    assert client.get(reverse("console:violations:notice_pdf", args=[case.pk])).status_code == 404


# --- the list -----------------------------------------------------------------------------------


@pytest.fixture
def several(camera, officer_a, officer_b):
    """Five cases at two cameras over three days."""
    other = SensorFactory(code="hue-cam-tran-hung-dao", name="Cầu Trường Tiền",
                          kind=SensorKind.CAMERA, metrics=[])  # fmt: skip
    now = clock.now()
    made = {
        "red_car": case_detected(camera, plate="75A-123.45", observed_at=now - timedelta(hours=1)),
        "red_car_again": case_detected(
            camera, plate="75A-123.45", observed_at=now - timedelta(days=2)
        ),
        "helmet": case_detected(
            other,
            plate="75B1-234.56",
            rule=Rule.NO_HELMET,
            vehicle_type=VehicleType.MOTORBIKE,
            observed_at=now - timedelta(hours=3),
        ),
        "parking": case_detected(
            other,
            plate="43A-987.65",
            rule=Rule.ILLEGAL_PARKING,
            observed_at=now - timedelta(days=3),
        ),
    }
    made["reviewed"] = case_in(
        CaseStatus.REVIEWED,
        camera,
        reviewer=officer_a,
        decider=officer_b,
        plate="92A-555.66",
        observed_at=now - timedelta(hours=5),
    )
    return made


def _listed(client, **query):
    response = client.get(reverse("console:violations:cases"), query)
    assert response.status_code == 200
    return response.context["page"].object_list, response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"red_car", "red_car_again", "helmet", "parking", "reviewed"}),
        ({"status": "reviewed"}, {"reviewed"}),
        ({"rule": "no_helmet"}, {"helmet"}),
        ({"plate": "75a-123 45"}, {"red_car", "red_car_again"}),
        ({"plate": "75B1"}, {"helmet"}),
        ({"camera": "hue-cam-tran-hung-dao"}, {"helmet", "parking"}),
    ],
)
def test_the_list_narrows_by_each_filter(client, leader, several, query, expected):
    client.force_login(leader)
    listed, _ = _listed(client, **query)
    assert {case.pk for case in listed} == {several[name].pk for name in expected}


def test_the_list_narrows_by_days_both_included(client, officer_a, several):
    client.force_login(officer_a)
    today = timezone.localdate(clock.now())  # the officer's day, in the city's time zone
    listed, _ = _listed(client, date_from=str(today - timedelta(days=2)), date_to=str(today))
    assert several["parking"].pk not in {case.pk for case in listed}
    assert several["red_car_again"].pk in {case.pk for case in listed}


def test_a_wrong_period_is_said_and_does_not_filter(client, officer_a, several):
    client.force_login(officer_a)
    listed, page = _listed(client, date_from="2026-12-07", date_to="2026-12-01")
    assert "The last day comes after the first." in page
    assert len(listed) == len(several)


def test_the_list_pages_by_25(client, officer_a, camera):
    now = clock.now()
    for minutes in range(27):
        case_detected(camera, plate=f"75A-100.{minutes:02d}", clip=False,
                      observed_at=now - timedelta(minutes=10 * minutes + 10))  # fmt: skip
    client.force_login(officer_a)
    first, page = _listed(client)
    assert len(first) == 25
    assert 'rel="next" href="?page=2"' in page
    second, _ = _listed(client, page=2)
    assert len(second) == 2


def test_the_list_takes_the_same_queries_for_more_cases(
    client, officer_a, camera, django_assert_max_num_queries
):
    now = clock.now()
    for minutes in range(8):
        case_detected(camera, plate=f"75A-200.{minutes:02d}", clip=False,
                      observed_at=now - timedelta(minutes=10 * minutes + 10))  # fmt: skip
    client.force_login(officer_a)
    with django_assert_max_num_queries(8):
        client.get(reverse("console:violations:cases"))


def test_the_list_shows_plates_and_never_an_owner(client, operator, notified):
    client.force_login(operator)
    _, page = _listed(client)
    assert notified.plate in page
    assert OWNER_NAME not in page
