"""The timeline is an append-only audit trail: on PostgreSQL the database itself refuses to
change or delete an event, yet accounts can still be erased (docs/security.md)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from cityops.accounts.services import user_delete
from cityops.reports import workflow
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Report, ReportEvent
from cityops.reports.tests.helpers import report_in, submit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the append-only trigger exists on PostgreSQL only (SQLite is the embedded demo)",
    ),
]


def refused(sql: str, params: list) -> bool:
    """Whether the trigger refused the statement (any other outcome is a failure)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        message = str(error)
    else:
        return False
    if "append-only" not in message:
        raise AssertionError(message)
    return True


@pytest.fixture
def report(operator):
    return report_in(ReportStatus.ACCEPTED, operator=operator)


def test_a_raw_update_of_an_event_is_refused(report):
    event = report.events.last()
    assert refused("UPDATE reports_reportevent SET note = %s WHERE id = %s", ["forged", event.pk])
    assert refused(
        "UPDATE reports_reportevent SET to_status = %s WHERE id = %s", ["closed", event.pk]
    )
    event.refresh_from_db()
    assert event.note != "forged"
    assert event.to_status == ReportStatus.ACCEPTED


def test_a_raw_delete_of_an_event_is_refused(report):
    count = report.events.count()
    assert refused("DELETE FROM reports_reportevent WHERE report_id = %s", [report.pk])
    assert report.events.count() == count


def test_clearing_the_actor_together_with_another_change_is_refused(report, operator):
    event = report.events.get(actor=operator)
    assert refused(
        "UPDATE reports_reportevent SET actor_id = NULL, note = %s WHERE id = %s",
        ["forged", event.pk],
    )


def test_the_orm_cannot_delete_a_real_report_and_its_timeline(report):
    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).delete()
    assert Report.objects.filter(pk=report.pk).exists()


def test_deleting_an_account_still_anonymises_its_events(report, operator, citizen):
    mine = submit(reporter=citizen)
    workflow.report_accept(report=mine, actor=operator)
    citizen_events = list(ReportEvent.objects.filter(actor=citizen).values_list("pk", flat=True))
    assert citizen_events

    citizen.set_password("a-long-secret-9")
    citizen.save()
    user_delete(user=citizen, password="a-long-secret-9")
    operator.delete()

    assert ReportEvent.objects.filter(pk__in=citizen_events, actor=None).count() == len(
        citizen_events
    )
    accepted = ReportEvent.objects.get(report=report, to_status=ReportStatus.ACCEPTED)
    assert accepted.actor is None
    assert accepted.actor_role == "operator"


def test_demo_reports_can_still_be_removed():
    demo = submit(is_demo=True)
    Report.objects.filter(pk=demo.pk).delete()
    assert not ReportEvent.objects.filter(report_id=demo.pk).exists()
