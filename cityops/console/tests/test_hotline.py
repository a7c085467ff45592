"""Hotline intake /console/hotline/: an operator records a phone call as a report."""

from __future__ import annotations

from cityops.reports.choices import Channel, EventKind, Priority, ReportStatus, Visibility
from cityops.reports.models import Report

PAGE = "/console/hotline/"
SUBMIT = "/console/hotline/submit/"


def call(**changes):
    data = {
        "contact_name": "Trần Thị Bình",
        "contact_phone": "0905 111 222",
        "category": "sanitation",
        "description": "Cây đổ chắn ngang đường Nguyễn Huệ",
        "address": "12 Nguyễn Huệ, Thuận Hóa",
        "lat": "16.4601",
        "lon": "107.5902",
        "priority": "",
    }
    data.update(changes)
    return data


def test_operators_get_the_call_form(operator_client, category):
    response = operator_client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'action="{SUBMIT}"' in page
    assert "Caller&#x27;s phone number" in page
    assert 'id="pick-map"' in page


def test_leaders_see_the_page_without_the_form_and_may_not_post(leader_client, category):
    response = leader_client.get(PAGE)
    assert response.status_code == 200
    assert f'action="{SUBMIT}"' not in response.content.decode()
    assert leader_client.post(SUBMIT, call()).status_code == 403
    assert not Report.objects.exists()


def test_a_call_becomes_a_hotline_report_with_the_callers_contact(operator_client, category):
    response = operator_client.post(SUBMIT, call())
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/reports/{report.pk}/"
    assert report.channel == Channel.HOTLINE
    assert report.reporter is None
    assert (report.contact_name, report.contact_phone) == ("Trần Thị Bình", "0905111222")
    assert report.status == ReportStatus.SUBMITTED
    assert (report.lat, report.lon, report.category) == (16.4601, 107.5902, category)
    assert report.priority == category.default_priority
    page = operator_client.get(response["Location"]).content.decode()
    assert f"Hotline report #{report.pk} is recorded" in page
    assert "Trần Thị Bình" in page


def test_the_urgency_judged_on_the_phone_sets_the_priority_and_says_who(
    operator_client, operator, category
):
    operator_client.post(SUBMIT, call(priority=Priority.URGENT))
    report = Report.objects.get()
    assert report.priority == Priority.URGENT
    change = report.events.get(kind=EventKind.RECLASSIFIED)
    assert (change.actor, change.visibility) == (operator, Visibility.INTERNAL)


def test_an_address_alone_is_enough(operator_client, category):
    assert operator_client.post(SUBMIT, call(lat="", lon="")).status_code == 302
    assert Report.objects.get().lat is None


def test_a_call_without_phone_description_or_place_is_explained(operator_client, category):
    response = operator_client.post(
        SUBMIT, call(contact_phone="", description="", address="", lat="", lon="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the caller&#x27;s phone number." in page
    assert "Describe the problem." in page
    assert "Choose the place on the map or type the address." in page
    assert not Report.objects.exists()
