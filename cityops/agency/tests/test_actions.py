"""Each action of the agency workspace: the happy path through the workflow, and the workflow's
refusal shown on the form (nothing changes then)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityops.agency.forms import reply_template
from cityops.reports.choices import AttachmentKind, EventKind, ReportStatus, Visibility
from cityops.reports.models import Report, ReportEvent
from cityops.reports.tests.helpers import jpeg_with_gps

S = ReportStatus


def url(name: str, report: Report) -> str:
    return reverse(f"agency:{name}", args=[report.pk])


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def latest_event(report: Report) -> ReportEvent:
    return ReportEvent.objects.filter(report=report).latest("created_at", "pk")


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def local(moment) -> tuple[str, str]:
    """A moment as the date and time inputs send it."""
    moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M")


# --- take up ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_taking_up_an_assigned_report_puts_it_in_progress(staff_client, make_report, agency_staff):
    report = make_report(S.ASSIGNED)

    response = staff_client.post(url("take_up", report))

    assert response.status_code == 302
    assert response["Location"] == url("report", report)
    assert fresh(report).status == S.IN_PROGRESS
    event = latest_event(report)
    assert (event.kind, event.actor) == (EventKind.AGENCY_ACCEPTED, agency_staff)
    assert any("now being handled" in message for message in flashed(response))


@pytest.mark.django_db
def test_taking_up_a_report_already_in_progress_is_refused_on_the_form(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)
    events = report.events.count()

    response = staff_client.post(url("take_up", report))

    assert response.status_code == 409
    assert "not possible in the report&#x27;s current status" in response.content.decode()
    assert report.events.count() == events


@pytest.mark.django_db
def test_staff_of_another_agency_cannot_act_on_the_report(client, make_report, other_agency_staff):
    report = make_report(S.ASSIGNED)
    client.force_login(other_agency_staff)

    for action in ("take_up", "return", "note", "extend", "resolve"):
        assert client.post(url(action, report), {"return-reason": "x"}).status_code == 404
    assert fresh(report).status == S.ASSIGNED


@pytest.mark.django_db
def test_actions_refuse_get_requests(staff_client, make_report):
    report = make_report(S.ASSIGNED)
    assert staff_client.get(url("take_up", report)).status_code == 405


# --- return -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_returning_a_report_sends_it_back_to_the_ioc_with_the_reason(
    staff_client, make_report, agency
):
    report = make_report(S.ASSIGNED)

    response = staff_client.post(
        url("return", report), {"return-reason": "Thuộc thẩm quyền Công ty Điện lực."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("agency:inbox")
    report = fresh(report)
    assert (report.status, report.agency) == (S.ACCEPTED, None)
    event = latest_event(report)
    assert event.kind == EventKind.RETURNED
    assert event.note == "Thuộc thẩm quyền Công ty Điện lực."
    assert event.agency == agency


@pytest.mark.django_db
def test_returning_without_a_reason_is_refused_on_the_form(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)

    response = staff_client.post(url("return", report), {"return-reason": "   "})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Say why this report is not your agency&#x27;s remit." in html
    assert 'id="error-return-reason"' in html
    assert fresh(report).status == S.IN_PROGRESS


# --- notes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.INTERNAL])
@pytest.mark.django_db
def test_a_progress_note_is_saved_public_or_internal(staff_client, make_report, visibility):
    report = make_report(S.IN_PROGRESS)

    response = staff_client.post(
        url("note", report),
        {"note-text": "Đã khảo sát hiện trường.", "note-visibility": visibility},
    )

    assert response.status_code == 302
    event = latest_event(report)
    assert (event.kind, event.note, event.visibility) == (
        EventKind.NOTE,
        "Đã khảo sát hiện trường.",
        visibility,
    )
    public_page = staff_client.get(reverse("portal:report", args=[report.pk])).content.decode()
    assert ("Đã khảo sát hiện trường." in public_page) == (visibility == Visibility.PUBLIC)


@pytest.mark.django_db
def test_an_empty_note_is_refused_on_the_form(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)
    events = report.events.count()

    response = staff_client.post(
        url("note", report), {"note-text": "", "note-visibility": "public"}
    )

    assert response.status_code == 400
    assert "Write the note." in response.content.decode()
    assert report.events.count() == events


# --- the one extension --------------------------------------------------------------------------


@pytest.mark.django_db
def test_extending_the_deadline_once_publishes_the_reason_and_hides_the_form(
    staff_client, make_report
):
    report = make_report(S.IN_PROGRESS)
    new_day, _ = local(report.due_at + timedelta(days=7))

    response = staff_client.post(
        url("extend", report),
        {
            "extend-reason": "Chờ vật tư thay thế.",
            "extend-new_date": new_day,
            "extend-new_time": "16:30",
        },
    )

    assert response.status_code == 302
    extended = fresh(report)
    assert extended.original_due_at == report.due_at
    assert local(extended.due_at) == (new_day, "16:30")
    assert extended.extension_reason == "Chờ vật tư thay thế."
    html = staff_client.get(url("report", report)).content.decode()
    assert "Already extended on" in html
    assert f'action="{url("extend", report)}"' not in html
    public_page = staff_client.get(reverse("portal:report", args=[report.pk])).content.decode()
    assert "Chờ vật tư thay thế." in public_page


@pytest.mark.django_db
def test_a_second_extension_is_refused(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)
    first_day, _ = local(report.due_at + timedelta(days=7))
    second_day, _ = local(report.due_at + timedelta(days=14))
    staff_client.post(
        url("extend", report),
        {"extend-reason": "Chờ vật tư.", "extend-new_date": first_day, "extend-new_time": "16:00"},
    )
    extended = fresh(report)

    response = staff_client.post(
        url("extend", report),
        {"extend-reason": "Lại chờ.", "extend-new_date": second_day, "extend-new_time": "16:00"},
    )

    assert response.status_code == 409
    assert "already extended once" in response.content.decode()
    assert fresh(report).due_at == extended.due_at


@pytest.mark.django_db
def test_an_extension_to_a_date_before_the_deadline_is_refused_on_the_form(
    staff_client, make_report
):
    report = make_report(S.IN_PROGRESS)
    earlier_day, earlier_time = local(report.due_at - timedelta(days=1))

    response = staff_client.post(
        url("extend", report),
        {
            "extend-reason": "Chờ vật tư.",
            "extend-new_date": earlier_day,
            "extend-new_time": earlier_time,
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "later than the current deadline" in html
    assert 'id="error-extend-new_date"' in html
    assert fresh(report).extended_at is None


@pytest.mark.django_db
def test_an_extension_without_a_date_is_refused_on_the_form(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)

    response = staff_client.post(
        url("extend", report), {"extend-reason": "Chờ.", "extend-new_time": "16:00"}
    )

    assert response.status_code == 400
    assert "Choose the new date." in response.content.decode()
    assert fresh(report).extended_at is None


# --- the result ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resolving_with_a_reply_and_a_photo_publishes_the_result_with_its_photo(
    staff_client, make_report, agency
):
    report = make_report(S.IN_PROGRESS)
    reply = reply_template(agency=agency).replace("…", "Đã vá ổ gà bằng bê tông nhựa.")
    photo = SimpleUploadedFile("ket-qua.jpg", jpeg_with_gps((320, 240)), "image/jpeg")

    response = staff_client.post(
        url("resolve", report), {"resolve-result": reply, "resolve-photos": [photo]}
    )

    assert response.status_code == 302
    resolved = fresh(report)
    assert resolved.status == S.RESOLVED
    assert "Đã vá ổ gà bằng bê tông nhựa." in resolved.result_text
    assert resolved.result_text.startswith("Kính gửi: Quý Ông/Bà.")
    attachment = resolved.attachments.get()
    assert attachment.kind == AttachmentKind.RESULT
    assert attachment.event == latest_event(report)
    public_page = staff_client.get(reverse("portal:report", args=[report.pk])).content.decode()
    assert "Đã vá ổ gà bằng bê tông nhựa." in public_page


@pytest.mark.django_db
def test_resolving_without_text_is_refused_on_the_form(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)

    response = staff_client.post(url("resolve", report), {"resolve-result": "  "})

    assert response.status_code == 400
    assert "Write the result for the citizen." in response.content.decode()
    assert fresh(report).status == S.IN_PROGRESS


@pytest.mark.django_db
def test_the_untouched_template_is_not_a_result(staff_client, make_report, agency):
    report = make_report(S.IN_PROGRESS)

    response = staff_client.post(
        url("resolve", report), {"resolve-result": reply_template(agency=agency)}
    )

    assert response.status_code == 400
    assert "in place of “…”" in response.content.decode()
    assert fresh(report).status == S.IN_PROGRESS


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_resolved(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)
    fake = SimpleUploadedFile("ket-qua.jpg", b"not an image at all", "image/jpeg")

    response = staff_client.post(
        url("resolve", report), {"resolve-result": "Đã xử lý xong.", "resolve-photos": [fake]}
    )

    assert response.status_code == 400
    assert "Photo 1 could not be used" in response.content.decode()
    assert fresh(report).status == S.IN_PROGRESS
    assert not report.attachments.exists()
