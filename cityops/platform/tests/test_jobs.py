"""The django-tasks → Huey backend: immediate runs in tests, periodic jobs in the consumer."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from huey import Huey

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.platform import jobs
from cityops.reports import tasks
from cityops.reports.choices import EventKind, Priority, ReportStatus
from cityops.reports.models import ReportEvent
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

MONDAY_10 = datetime(2026, 3, 9, 10, 0, tzinfo=VIETNAM_TZ)
TUESDAY_9 = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM_TZ)
PERIODIC = {
    "periodic:cityops.reports.tasks.escalate_overdue_reports": 1,
    "periodic:cityops.reports.tasks.close_quiet_reports": 15,
}


@pytest.fixture
def huey() -> Huey:
    """The Huey instance the test settings choose (immediate, in memory)."""
    return jobs.huey()


@pytest.fixture
def overdue_report(operator):
    with time_machine.travel(MONDAY_10, tick=False):
        # An urgent report still waiting for triage is due at 16:00 the same day.
        return report_in(
            ReportStatus.SUBMITTED,
            operator=operator,
            category=CategoryFactory(default_priority=Priority.URGENT),
        )


def _escalations() -> int:
    return ReportEvent.objects.filter(kind=EventKind.ESCALATED).count()


def test_tests_run_jobs_immediately(huey) -> None:
    assert settings.CITYOPS_JOBS_IMMEDIATE is True
    assert huey.immediate is True


@pytest.mark.django_db
def test_enqueueing_the_escalation_job_runs_it_and_escalates_an_overdue_report(
    huey, overdue_report
):
    with time_machine.travel(TUESDAY_9, tick=False):
        result = tasks.escalate_overdue_reports.enqueue()

    assert result.task.module_path == "cityops.reports.tasks.escalate_overdue_reports"
    event = ReportEvent.objects.get(kind=EventKind.ESCALATED)
    assert event.report_id == overdue_report.pk
    assert event.created_at == TUESDAY_9


@pytest.mark.django_db
def test_enqueueing_the_escalation_job_before_the_deadline_escalates_nothing(huey, overdue_report):
    with time_machine.travel(MONDAY_10, tick=False):
        tasks.escalate_overdue_reports.enqueue()
    assert _escalations() == 0


@pytest.mark.django_db
def test_the_consumer_registers_the_periodic_jobs_of_the_reports(huey):
    consumer = jobs.consumer(workers=1)

    assert consumer.huey is huey
    periodic = {task.name: task for task in huey._registry.periodic_tasks}
    assert set(PERIODIC) <= set(periodic)
    assert all(name.startswith("periodic:") for name in periodic)
    for name, minutes in PERIODIC.items():
        runs_at = [
            m for m in range(60) if periodic[name].validate_datetime(datetime(2026, 3, 9, 10, m))
        ]
        assert runs_at == list(range(0, 60, minutes)), name


@pytest.mark.django_db
def test_the_periodic_escalation_job_escalates_when_the_consumer_runs_it(huey, overdue_report):
    jobs.consumer(workers=1)
    periodic = {task.name: task for task in huey._registry.periodic_tasks}

    with time_machine.travel(TUESDAY_9, tick=False):
        periodic["periodic:cityops.reports.tasks.escalate_overdue_reports"].execute()

    assert _escalations() == 1


@pytest.mark.django_db
def test_the_consumer_can_be_built_again_in_the_same_process(huey):
    # e.g. ``call_command("run")`` after ``call_command("worker")``, or two tests doing so.
    jobs.consumer(workers=1)
    consumer = jobs.consumer(workers=1)

    names = [task.name for task in huey._registry.periodic_tasks]
    assert sorted(names) == sorted(set(names))
    assert consumer.huey is huey
