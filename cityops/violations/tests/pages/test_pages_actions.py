"""The case page's steps, posted as an officer would: each shown only when the state allows and
only to officers, each form's errors, and the two-officer rule as the page tells it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityops.violations.choices import CaseAction, CaseStatus, EvidenceKind
from cityops.violations.models import Case, CaseStep

from .world import OWNER_NAME, case_detected, case_in

STEPS = ("review", "confirm", "reject", "owner_record", "notice", "payment", "contest", "close")
# The steps whose form each status shows to an officer.
SHOWN = {
    CaseStatus.DETECTED: {"review", "owner_record"},
    CaseStatus.REVIEWED: {"confirm", "reject", "owner_record"},
    CaseStatus.CONFIRMED: {"notice", "owner_record"},
    CaseStatus.NOTICE_ISSUED: {"payment", "contest", "close"},
    CaseStatus.CONTESTED: {"payment", "close"},
    CaseStatus.PAID: {"close"},
    CaseStatus.CLOSED: set(),
    CaseStatus.REJECTED: set(),
}


def _post(client, user, case, step, data=None, *, follow=True):
    client.force_login(user)
    return client.post(
        reverse(f"console:violations:{step}", args=[case.pk]), data or {}, follow=follow
    )


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _forms_on_page(client, user, case):
    client.force_login(user)
    page = client.get(reverse("console:violations:case", args=[case.pk])).content.decode()
    return {
        step
        for step in STEPS
        if f'action="{reverse(f"console:violations:{step}", args=[case.pk])}"' in page
    }


@pytest.mark.parametrize("status", list(SHOWN))
def test_an_officer_sees_the_steps_the_state_allows(client, camera, officer_a, officer_b, status):
    case = case_in(status, camera, reviewer=officer_a, decider=officer_b)
    assert _forms_on_page(client, officer_b, case) == SHOWN[status]


@pytest.mark.parametrize("role", ["operator", "leader", "admin_user"])
def test_other_readers_see_no_step(client, request, camera, role):
    case = case_detected(camera)
    assert _forms_on_page(client, request.getfixturevalue(role), case) == set()


@pytest.mark.parametrize("role", ["operator", "leader", "admin_user", "citizen", "agency_staff"])
@pytest.mark.parametrize("step", STEPS)
def test_no_one_but_an_officer_may_post_a_step(client, request, camera, role, step):
    case = case_detected(camera, clip=False)
    response = _post(client, request.getfixturevalue(role), case, step, {"note": "x"}, follow=False)
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DETECTED


def test_officer_a_reviews_and_the_case_says_so(client, camera, officer_a):
    case = case_detected(camera)
    response = _post(client, officer_a, case, "review", {"note": "Đèn đỏ rõ ràng."})
    case.refresh_from_db()
    assert (case.status, case.reviewed_by) == (CaseStatus.REVIEWED, officer_a)
    assert f"Case {case.number} reviewed: a second officer confirms or rejects it." in _messages(
        response
    )
    step = CaseStep.objects.get(case=case, action=CaseAction.REVIEWED)
    assert (step.actor, step.note) == (officer_a, "Đèn đỏ rõ ràng.")


def test_the_reviewer_is_told_another_officer_must_confirm(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.REVIEWED, camera, reviewer=officer_a, decider=officer_b)
    client.force_login(officer_a)
    page = client.get(reverse("console:violations:case", args=[case.pk])).content.decode()
    assert "You reviewed this case: another officer must confirm or reject it." in page

    response = _post(client, officer_a, case, "confirm")

    assert response.redirect_chain[-1][0] == reverse("console:violations:case", args=[case.pk])
    assert any("A second officer must take this step" in text for text in _messages(response))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEWED
    assert not CaseStep.objects.filter(case=case, action=CaseAction.CONFIRMED).exists()


def test_the_reviewer_cannot_reject_either(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.REVIEWED, camera, reviewer=officer_a, decider=officer_b)
    response = _post(client, officer_a, case, "reject", {"reason": "Không rõ biển số."})
    assert any("A second officer must take this step" in text for text in _messages(response))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEWED


def test_officer_b_confirms_what_officer_a_reviewed(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.REVIEWED, camera, reviewer=officer_a, decider=officer_b)
    response = _post(client, officer_b, case, "confirm", {"note": ""})
    case.refresh_from_db()
    assert (case.status, case.decided_by) == (CaseStatus.CONFIRMED, officer_b)
    assert f"Case {case.number} confirmed." in _messages(response)


def test_rejecting_asks_for_the_reason(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.REVIEWED, camera, reviewer=officer_a, decider=officer_b)
    response = _post(client, officer_b, case, "reject", {"reason": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say why the case is rejected." in page
    assert 'aria-invalid="true"' in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEWED

    _post(client, officer_b, case, "reject", {"reason": "Xe cứu thương làm nhiệm vụ."})
    case.refresh_from_db()
    assert (case.status, case.rejection_reason) == (
        CaseStatus.REJECTED,
        "Xe cứu thương làm nhiệm vụ.",
    )


def test_recording_the_owner_asks_for_both_fields(client, camera, officer_a):
    case = case_detected(camera)
    response = _post(client, officer_a, case, "owner_record", {"name": OWNER_NAME, "address": ""})
    assert response.status_code == 400
    assert "Enter the owner&#x27;s address from the vehicle register." in response.content.decode()
    assert Case.objects.get(pk=case.pk).owner_recorded_at is None


def test_the_owner_recorded_is_not_echoed_on_the_page(client, camera, officer_a):
    case = case_detected(camera)
    response = _post(
        client, officer_a, case, "owner_record", {"name": OWNER_NAME, "address": "12 Lê Lợi"}
    )
    assert f"The owner of case {case.number} is recorded." in _messages(response)
    assert OWNER_NAME not in response.content.decode()
    assert Case.objects.get(pk=case.pk).owner_name == OWNER_NAME


def test_the_notice_waits_for_the_owner(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.CONFIRMED, camera, reviewer=officer_a, decider=officer_b)
    client.force_login(officer_b)
    page = client.get(reverse("console:violations:case", args=[case.pk])).content.decode()
    assert "Record the registered owner first" in page

    response = _post(client, officer_b, case, "notice")

    # The service's refusal, in the language it was made in (the site's: Vietnamese).
    assert _messages(response) == [
        "Hãy ghi thông tin chủ phương tiện đã đăng ký trước khi gửi thông báo."
    ]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CONFIRMED


def test_the_notice_is_issued_and_offered_for_download(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.CONFIRMED, camera, reviewer=officer_a, decider=officer_b)
    _post(client, officer_b, case, "owner_record", {"name": OWNER_NAME, "address": "12 Lê Lợi"})

    response = _post(client, officer_b, case, "notice")

    case.refresh_from_db()
    assert case.status == CaseStatus.NOTICE_ISSUED
    assert f"The notice of case {case.number} is issued: download it below." in _messages(response)
    page = response.content.decode()
    assert reverse("console:violations:notice_pdf", args=[case.pk]) in page
    assert f"/violations/{case.number}?code={case.lookup_code}" in page
    assert case.evidence.filter(kind=EvidenceKind.NOTICE).count() == 1


def test_a_payment_must_be_a_whole_positive_amount(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)
    for amount, error in (
        ("", "Enter the amount paid, in đồng."),
        ("4tr", "Enter the amount as a whole number of đồng, e.g. 4000000."),
        ("0", "The amount must be more than 0 đồng."),
    ):
        response = _post(client, officer_a, case, "payment", {"amount": amount})
        assert response.status_code == 400
        assert error in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NOTICE_ISSUED


def test_a_payment_above_the_band_is_refused_on_the_form(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)
    response = _post(client, officer_a, case, "payment", {"amount": "25000000"})
    assert response.status_code == 400
    assert "More than the highest fine of the band" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NOTICE_ISSUED


def test_a_payment_within_the_band_closes_nothing_but_marks_it_paid(
    client, camera, officer_a, officer_b
):
    case = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)
    _post(client, officer_a, case, "payment", {"amount": "18000000"})
    case.refresh_from_db()
    assert (case.status, case.amount_paid) == (CaseStatus.PAID, 18_000_000)
    assert _forms_on_page(client, officer_a, case) == {"close"}


def test_a_contest_asks_what_is_contested(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)
    response = _post(client, officer_a, case, "contest", {"note": ""})
    assert response.status_code == 400
    assert "Say what is contested and by whom." in response.content.decode()

    _post(client, officer_a, case, "contest", {"note": "Chủ xe: xe đã bán từ tháng 9."})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CONTESTED


def test_closing_a_contested_case_ends_it(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.CONTESTED, camera, reviewer=officer_a, decider=officer_b)
    response = _post(client, officer_a, case, "close", {"note": "Đã giải quyết khiếu nại."})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert f"Case {case.number} closed." in _messages(response)
    assert "Nothing more can be done with this case now." in response.content.decode()


def test_a_step_the_state_refuses_is_told_and_changes_nothing(client, camera, officer_a):
    case = case_detected(camera)
    response = _post(client, officer_a, case, "close")
    assert any("cannot be" in text for text in _messages(response))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DETECTED


def test_a_note_too_long_is_refused_on_the_form(client, camera, officer_a):
    case = case_detected(camera)
    response = _post(client, officer_a, case, "review", {"note": "x" * 2001})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DETECTED


# --- blur regions -------------------------------------------------------------------------------


@pytest.fixture
def blurred(camera, officer_a, officer_b):
    case = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)
    return case.evidence.filter(kind=EvidenceKind.FRAME).order_by("position").first()


def _blur(client, user, frame, data):
    client.force_login(user)
    prefixed = {f"blur-{frame.pk}-{key}": value for key, value in data.items()}
    return client.post(
        reverse("console:violations:blur_edit", args=[frame.pk]), prefixed, follow=True
    )


def test_an_operator_adds_a_region_by_hand_and_the_copy_is_made_again(client, operator, blurred):
    before = blurred.public_file.name
    kept = list(range(len(blurred.blur_regions)))
    response = _blur(
        client,
        operator,
        blurred,
        {"keep": kept, "x": "10", "y": "10", "width": "40", "height": "30", "kind": "face"},
    )
    blurred.refresh_from_db()
    assert response.status_code == 200
    assert blurred.public_file.name != before
    assert blurred.blur_regions[-1] == {
        "x": 10, "y": 10, "width": 40, "height": 30, "kind": "face", "source": "operator"
    }  # fmt: skip
    assert CaseStep.objects.filter(case=blurred.case, action=CaseAction.BLUR_EDITED).exists()


def test_a_region_needs_all_four_numbers(client, officer_a, blurred):
    response = _blur(client, officer_a, blurred, {"x": "10", "y": "", "kind": "plate"})
    assert response.status_code == 400
    assert "A new region needs its left, top, width and height" in response.content.decode()


def test_leaders_do_not_edit_what_is_blurred(client, leader, blurred):
    response = _blur(client, leader, blurred, {"kind": "face"})
    assert response.status_code == 403
