"""The triage page /console/reports/<id>/: what it shows to whom, and each panel's action."""

from __future__ import annotations

import re

import pytest

from cityops.console.tests.factories import RoutingRuleFactory
from cityops.reports import workflow
from cityops.reports.choices import (
    Channel,
    EventKind,
    Priority,
    RejectionReason,
    ReportStatus,
    Visibility,
)
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit

S = ReportStatus


def url(report, action: str = "") -> str:
    return f"/console/reports/{report.pk}/" + (f"{action}/" if action else "")


def forms_on(page: str) -> set[str]:
    """The actions whose forms the page offers (by the URL each form posts to)."""
    return set(re.findall(r'action="/console/reports/\d+/(\w+)/"', page))


def test_operators_see_the_full_text_the_reporter_and_the_whole_timeline(
    operator_client, operator, citizen, category
):
    report = submit(
        reporter=citizen,
        category=category,
        description="Rác đổ trộm đầu hẻm, liên hệ 0905 123 456",
        contact_name="Nguyễn Văn An",
        contact_phone="0905123456",
        contact_email="an@example.vn",
    )
    workflow.report_add_note(report=report, actor=operator, text="Đã gọi lại cho người dân")
    page = operator_client.get(url(report)).content.decode()
    assert "liên hệ 0905 123 456" in page
    assert "Nguyễn Văn An" in page
    assert 'href="tel:0905123456"' in page
    assert "an@example.vn" in page
    assert "Đã gọi lại cho người dân" in page
    assert "internal" in page
    assert forms_on(page) == {"accept", "reject", "merge", "note"}


def test_leaders_read_the_report_without_the_reporter_nor_any_form(
    leader_client, citizen, category
):
    citizen.full_name = "Lê Thị Hoa"
    citizen.save()
    report = submit(
        reporter=citizen,
        category=category,
        description="Rác đổ trộm đầu hẻm, liên hệ 0905 123 456",
        contact_name="Nguyễn Văn An",
        contact_phone="0905123456",
    )
    response = leader_client.get(url(report))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Văn An" not in page
    assert "0905123456" not in page
    assert "0905 123 456" not in page
    assert "Only IOC operators see who reported." in page
    assert "Hoa" not in page  # not even as the author of the first event
    assert "the reporter" in page
    assert forms_on(page) == set()
    assert "Leaders have read-only access" in page


def test_leaders_read_staff_public_words_as_written_and_internal_notes_masked(
    leader_client, operator, make_report
):
    report = make_report(S.ACCEPTED)
    workflow.report_add_note(
        report=report, actor=operator, text="Đã gọi 0905 123 456", visibility=Visibility.INTERNAL
    )
    workflow.report_resolve(report=report, actor=operator, result="Gọi 0234 3822 222 nếu cần")

    page = leader_client.get(url(report)).content.decode()

    assert page.count("Gọi 0234 3822 222 nếu cần") == 2  # the result and its step
    assert "Đã gọi 090•••••56" in page
    assert "0905 123 456" not in page


def test_the_forms_tell_operators_which_words_are_published_as_written(
    operator_client, make_report
):
    page = operator_client.get(url(make_report(S.SUBMITTED))).content.decode()

    # The accept, reject and merge notes; a note of the note panel when public.
    assert page.count("Shown to the public exactly as written") == 3
    assert page.count("A public note is shown to the public exactly as written") == 1


@pytest.mark.parametrize(
    "action", ["accept", "reclassify", "reject", "merge", "assign", "note", "resolve", "close"]
)
def test_leaders_cannot_post_any_action(leader_client, make_report, action):
    report = make_report(S.SUBMITTED)
    assert leader_client.post(url(report, action), {}).status_code == 403
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_an_unknown_report_is_not_found(operator_client):
    assert operator_client.get("/console/reports/999999/").status_code == 404


def test_agency_staff_and_citizens_are_refused(client, make_report, agency_staff, citizen):
    report = make_report(S.ASSIGNED)
    for user in (agency_staff, citizen):
        client.force_login(user)
        assert client.get(url(report)).status_code == 403


def test_the_classifier_suggestion_is_shown_beside_the_reporters_category(
    operator_client, category
):
    other = CategoryFactory(code="other", name="Khác", name_en="Other")
    report = submit(
        category=other, description="Rác thải sinh hoạt tồn đọng nhiều ngày, bốc mùi hôi thối"
    )
    page = operator_client.get(url(report)).content.decode()
    assert re.search(r"Suggested: Sanitation \(\d+%\)", page)
    # The report's own category stays selected: the suggestion never decides.
    assert re.search(r'<option value="other" selected>', page)


def test_an_operator_accepts_with_a_corrected_category_and_priority(
    operator_client, make_report, category
):
    report = make_report(S.SUBMITTED, category=CategoryFactory(code="other", name_en="Other"))
    response = operator_client.post(
        url(report, "accept"),
        {"accept-category": "sanitation", "accept-priority": "urgent", "accept-note": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == url(report)
    report.refresh_from_db()
    assert (report.status, report.category, report.priority) == (
        S.ACCEPTED,
        category,
        Priority.URGENT,
    )
    assert report.events.filter(kind=EventKind.ACCEPTED).exists()
    page = operator_client.get(url(report)).content.decode()
    assert f"Report #{report.pk} is accepted." in page
    assert forms_on(page) == {"assign", "reclassify", "reject", "merge", "note", "resolve"}


def test_rejecting_needs_a_reason(operator_client, make_report):
    report = make_report(S.SUBMITTED)
    response = operator_client.post(url(report, "reject"), {"reject-reason": ""})
    assert response.status_code == 400
    assert "Choose a reason." in response.content.decode()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_a_duplicate_is_rejected_only_with_its_original(operator_client, make_report):
    original = make_report(S.ACCEPTED)
    report = make_report(S.SUBMITTED)
    refused = operator_client.post(url(report, "reject"), {"reject-reason": "duplicate"})
    assert refused.status_code == 400
    assert "Choose the original report" in refused.content.decode()
    response = operator_client.post(
        url(report, "reject"),
        {"reject-reason": RejectionReason.DUPLICATE, "reject-original": original.pk},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.duplicate_of) == (S.REJECTED, original)


def test_an_original_that_does_not_exist_is_explained(operator_client, make_report):
    report = make_report(S.SUBMITTED)
    response = operator_client.post(
        url(report, "reject"), {"reject-reason": "duplicate", "reject-original": 987654}
    )
    assert response.status_code == 400
    assert "There is no report with this number." in response.content.decode()


def test_a_similar_report_nearby_is_offered_and_merged_into(operator_client, make_report):
    original = make_report(S.ACCEPTED, description="Ổ gà lớn giữa đường Lê Lợi gây nguy hiểm")
    report = make_report(S.SUBMITTED, description="Ổ gà rất lớn trên đường Lê Lợi")
    page = operator_client.get(url(report)).content.decode()
    assert f"Merge into #{original.pk}" in page
    response = operator_client.post(url(report, "merge"), {"merge-original": original.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.duplicate_of) == (S.DUPLICATE, original)


def test_the_routing_suggestion_is_preselected_and_assigned(
    operator_client, make_report, category, other_agency
):
    RoutingRuleFactory(category=category, agency=other_agency)
    report = make_report(S.ACCEPTED)
    page = operator_client.get(url(report)).content.decode()
    assert f'<option value="{other_agency.code}" selected>' in page
    assert "Suggested by the routing rules: Công ty Điện lực" in page
    response = operator_client.post(
        url(report, "assign"), {"assign-agency": other_agency.code, "assign-note": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.agency) == (S.ASSIGNED, other_agency)


def test_assigning_a_report_not_yet_accepted_is_refused_with_a_message(
    operator_client, make_report, agency
):
    report = make_report(S.SUBMITTED)
    response = operator_client.post(url(report, "assign"), {"assign-agency": agency.code})
    assert response.status_code == 409
    assert f"This cannot be done now: report #{report.pk} is submitted." in (
        response.content.decode()
    )
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_an_internal_note_is_added_to_the_timeline(operator_client, make_report):
    report = make_report(S.ASSIGNED)
    response = operator_client.post(
        url(report, "note"),
        {"note-text": "Đơn vị hẹn xử lý trong tuần", "note-visibility": "internal"},
    )
    assert response.status_code == 302
    note = report.events.get(kind=EventKind.NOTE)
    assert (note.note, note.visibility) == ("Đơn vị hẹn xử lý trong tuần", Visibility.INTERNAL)


def test_an_empty_note_is_explained(operator_client, make_report):
    report = make_report(S.ASSIGNED)
    response = operator_client.post(url(report, "note"), {"note-visibility": "public"})
    assert response.status_code == 400
    assert "Write the note." in response.content.decode()


def test_the_ioc_resolves_then_closes_a_report(operator_client, make_report):
    report = make_report(S.ACCEPTED)
    resolved = operator_client.post(
        url(report, "resolve"), {"resolve-result": "Đã thu gom rác trong ngày."}
    )
    assert resolved.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.result_text) == (S.RESOLVED, "Đã thu gom rác trong ngày.")
    page = operator_client.get(url(report)).content.decode()
    assert forms_on(page) == {"close", "reopen", "note"}
    closed = operator_client.post(url(report, "close"), {"close-note": ""})
    assert closed.status_code == 302
    report.refresh_from_db()
    assert report.status == S.CLOSED
    assert forms_on(operator_client.get(url(report)).content.decode()) == set()


def test_the_ioc_reopens_a_resolved_report_with_a_reason(operator_client, make_report):
    report = make_report(S.RESOLVED)
    refused = operator_client.post(url(report, "reopen"), {"reopen-reason": ""})
    assert refused.status_code == 400
    response = operator_client.post(
        url(report, "reopen"), {"reopen-reason": "Người dân báo rác vẫn còn"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.IN_PROGRESS


def test_the_category_and_priority_are_changed_later_on(operator_client, make_report):
    report = make_report(S.ASSIGNED)
    other = CategoryFactory(code="public-order", name_en="Public order")
    response = operator_client.post(
        url(report, "reclassify"),
        {"reclassify-category": other.code, "reclassify-priority": "complex"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.category, report.priority) == (other, Priority.COMPLEX)
    event = report.events.get(kind=EventKind.RECLASSIFIED)
    assert event.visibility == Visibility.INTERNAL


def test_hotline_reports_say_their_channel(operator_client, category):
    report = submit(category=category, channel=Channel.HOTLINE, contact_phone="0234 3822 111")
    page = operator_client.get(url(report)).content.decode()
    assert "Hotline" in page
    assert "02343822111" in page  # stored in the national form
