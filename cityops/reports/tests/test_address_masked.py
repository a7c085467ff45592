"""The address is the reporter's words, like the description: a phone number, e-mail or citizen
ID written into it is masked for every reader the description is masked for (Law 91/2025)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core import mail

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.calendar import VIETNAM_TZ
from cityops.reports import workflow
from cityops.reports.choices import EventKind, Priority, ReportStatus
from cityops.reports.models import ReportEvent
from cityops.reports.notifications import agency_leads_notify
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

PHONE = "0905 123 456"
EMAIL = "tran.thi.hoa@gmail.com"
ADDRESS = f"Kiệt 5 Nguyễn Huệ, nhà chị Hoa {PHONE}, {EMAIL}"
MASKED = "Kiệt 5 Nguyễn Huệ, nhà chị Hoa 090•••••56, t•••@gmail.com"


def _clean(text: str, *, where: str) -> None:
    assert PHONE not in text, f"{where} shows the address as written"
    assert EMAIL not in text, f"{where} shows the address as written"


@pytest.fixture
def located(db, operator, agency, agency_staff, citizen):
    return report_in(
        ReportStatus.IN_PROGRESS,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        reporter=citizen,
        description="Cống tràn nước bẩn ra đường",
        address=ADDRESS,
    )


def test_the_public_reads_the_address_masked_on_every_channel(located, client):
    pk = located.pk
    page = client.get(f"/reports/{pk}").content.decode()
    _clean(page, where="the report's page")
    assert "Kiệt 5 Nguyễn Huệ" in page

    listed = client.get("/api/v1/reports").json()["results"]
    assert [report["address"] for report in listed] == [MASKED]
    assert client.get(f"/api/v1/reports/{pk}").json()["address"] == MASKED

    for path in ("/open311/v2/requests.json", f"/open311/v2/requests/{pk}.json"):
        assert [request["address"] for request in client.get(path).json()] == [MASKED], path
    for path in ("/open311/v2/requests.xml", f"/open311/v2/requests/{pk}.xml"):
        xml = client.get(path).content.decode()
        _clean(xml, where=path)
        assert "<address>Kiệt 5 Nguyễn Huệ" in xml, path


def test_the_reporter_reads_their_own_address_as_written(located, client, citizen):
    client.force_login(citizen)
    assert PHONE in client.get(f"/reports/{located.pk}").content.decode()


def test_the_agency_reads_the_address_masked(located, client, agency_staff):
    client.force_login(agency_staff)
    page = client.get(f"/agency/reports/{located.pk}/").content.decode()
    _clean(page, where="the agency's report page")
    assert "Kiệt 5 Nguyễn Huệ" in page
    inbox = client.get("/agency/list/").content.decode()
    _clean(inbox, where="the agency's inbox")
    assert "Kiệt 5 Nguyễn Huệ" in inbox


def test_a_leader_reads_it_masked_in_the_console_and_an_operator_as_written(
    located, client, leader, operator
):
    client.force_login(leader)
    page = client.get(f"/console/reports/{located.pk}/").content.decode()
    _clean(page, where="the console")
    assert MASKED in page
    client.force_login(operator)
    assert PHONE in client.get(f"/console/reports/{located.pk}/").content.decode()


def test_the_agency_leads_escalation_email_masks_the_address(
    db, operator, agency, agency_staff, django_capture_on_commit_callbacks
):
    UserFactory(
        username="lead", role=Role.AGENCY_STAFF, agency=agency, is_agency_lead=True,
        email="lead@so-xd.vn",
    )  # fmt: skip
    urgent = CategoryFactory(default_priority=Priority.URGENT)
    with time_machine.travel(datetime(2026, 3, 9, 10, 0, tzinfo=VIETNAM_TZ), tick=False):
        report = report_in(
            ReportStatus.IN_PROGRESS,
            operator=operator,
            agency=agency,
            staff=agency_staff,
            category=urgent,
            address=ADDRESS,
        )
    with time_machine.travel(datetime(2026, 3, 9, 17, 0, tzinfo=VIETNAM_TZ), tick=False):
        workflow.reports_escalate_overdue()
    escalation = ReportEvent.objects.get(report=report, kind=EventKind.ESCALATED)
    mail.outbox.clear()

    assert agency_leads_notify(event_id=escalation.pk) == 1

    _clean(mail.outbox[0].body, where="the escalation e-mail")
    assert MASKED in mail.outbox[0].body
