"""When a report passes its deadline, the leads of the agency in charge get one email each,
in their language, through the job queue; nobody else does, and never twice."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.calendar import VIETNAM_TZ
from cityops.platform.events import Event
from cityops.reports import workflow
from cityops.reports.choices import EventKind, Priority, ReportStatus
from cityops.reports.models import ReportEvent
from cityops.reports.notifications import agency_leads_notify
from cityops.reports.tasks import enqueue_escalation_notifications
from cityops.reports.tests.factories import CategoryFactory

from .conftest import REPORTER_EMAIL

S = ReportStatus
MONDAY_10 = datetime(2026, 3, 9, 10, 0, tzinfo=VIETNAM_TZ)
MONDAY_17 = datetime(2026, 3, 9, 17, 0, tzinfo=VIETNAM_TZ)  # 4 working hours: due at 16:00


def lead(agency, username, **kwargs):
    return UserFactory(
        username=username, role=Role.AGENCY_STAFF, agency=agency, is_agency_lead=True, **kwargs
    )


@pytest.fixture
def urgent():
    return CategoryFactory(default_priority=Priority.URGENT)


@pytest.fixture
def leads(agency, other_agency):
    """Two leads of the agency, and people who must not hear of its reports."""
    return {
        "first": lead(agency, "lead-1", full_name="Minh", email="minh@so-xd.vn"),
        "second": lead(agency, "lead-2", email="lan@so-xd.vn", language="en"),
        "not_lead": UserFactory(
            username="plain", role=Role.AGENCY_STAFF, agency=agency, email="plain@so-xd.vn"
        ),
        "inactive": lead(agency, "lead-gone", email="gone@so-xd.vn", is_active=False),
        "no_email": lead(agency, "lead-no-mail", email=""),
        "other": lead(other_agency, "lead-other", email="lead@dien-luc.vn"),
    }


def to_staff() -> list:
    """The emails sent to agency people (the reporter, who follows the report, hears of the
    passed deadline through the followers' email)."""
    return [m for m in mail.outbox if m.to != [REPORTER_EMAIL]]


def escalate(django_capture_on_commit_callbacks) -> int:
    """Run the periodic escalation job after the deadline; emails go once it commits."""
    with (
        time_machine.travel(MONDAY_17, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return workflow.reports_escalate_overdue()


@pytest.mark.django_db
def test_each_lead_of_the_agency_gets_one_email_when_its_report_passes_the_deadline(
    make_report, urgent, leads, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY_10, tick=False):
        report = make_report(S.IN_PROGRESS, category=urgent)
    mail.outbox.clear()

    assert escalate(django_capture_on_commit_callbacks) == 1

    assert sorted(m.to[0] for m in to_staff()) == ["lan@so-xd.vn", "minh@so-xd.vn"]
    vietnamese = next(m for m in to_staff() if m.to == ["minh@so-xd.vn"])
    assert f"#{report.pk}" in vietnamese.subject
    assert "Sở Xây dựng" in vietnamese.subject
    assert "Chào Minh," in vietnamese.body
    assert reverse("agency:report", args=[report.pk]) in vietnamese.body
    assert "09/03/2026 16:00" in vietnamese.body  # the deadline that passed


@pytest.mark.django_db
def test_the_email_is_in_the_leads_language(
    make_report, urgent, leads, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY_10, tick=False):
        report = make_report(S.IN_PROGRESS, category=urgent)
    mail.outbox.clear()

    escalate(django_capture_on_commit_callbacks)

    english = next(m for m in mail.outbox if m.to == ["lan@so-xd.vn"])
    assert english.subject == f"Report #{report.pk} passed its deadline (Sở Xây dựng)"
    assert "Hello," in english.body
    assert "passed its deadline without a result" in english.body


@pytest.mark.django_db
def test_leads_of_other_agencies_hear_only_of_their_own_reports(
    make_report, urgent, leads, other_agency, other_agency_staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY_10, tick=False):
        ours = make_report(S.IN_PROGRESS, category=urgent)
        theirs = make_report(
            S.ASSIGNED, category=urgent, agency=other_agency, staff=other_agency_staff
        )
    mail.outbox.clear()

    assert escalate(django_capture_on_commit_callbacks) == 2

    to_other = [m for m in mail.outbox if m.to == ["lead@dien-luc.vn"]]
    assert len(to_other) == 1
    assert f"#{theirs.pk}" in to_other[0].subject
    assert all(f"#{ours.pk}" not in m.subject for m in to_other)
    assert len(to_staff()) == 3
    recipients = {m.to[0] for m in to_staff()}
    assert not recipients & {"plain@so-xd.vn", "gone@so-xd.vn"}


@pytest.mark.django_db
def test_running_the_job_again_sends_nothing_more(
    make_report, urgent, leads, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY_10, tick=False):
        make_report(S.IN_PROGRESS, category=urgent)
    mail.outbox.clear()

    escalate(django_capture_on_commit_callbacks)
    sent = len(to_staff())
    assert escalate(django_capture_on_commit_callbacks) == 0

    assert sent == 2
    assert len(to_staff()) == sent


@pytest.mark.django_db
def test_a_report_waiting_at_the_ioc_or_from_the_demo_notifies_no_lead(
    make_report, urgent, leads, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY_10, tick=False):
        make_report(S.ACCEPTED, category=urgent)  # no agency yet: the console highlights it
        demo = make_report(S.IN_PROGRESS, category=urgent)
    type(demo).objects.filter(pk=demo.pk).update(is_demo=True)
    mail.outbox.clear()

    assert escalate(django_capture_on_commit_callbacks) == 2

    assert to_staff() == []


@pytest.mark.django_db
def test_only_escalations_enqueue_the_leads_job(make_report, leads, agency_staff):
    report = make_report(S.IN_PROGRESS)
    mail.outbox.clear()
    note = workflow.report_add_note(report=report, actor=agency_staff, text="Đang làm.")

    enqueue_escalation_notifications(
        Event("report.changed", {"event": note.pk, "kind": EventKind.NOTE})
    )
    enqueue_escalation_notifications(
        Event("report.changed", {"event": note.pk, "kind": EventKind.ESCALATED})
    )
    enqueue_escalation_notifications(Event("alarm.changed", {"event": note.pk}))

    assert mail.outbox == []
    assert agency_leads_notify(event_id=note.pk) == 0
    assert not ReportEvent.objects.filter(kind=EventKind.ESCALATED).exists()
