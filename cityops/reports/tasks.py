"""Periodic jobs of the report lifecycle; thin wrappers over the workflow."""

from __future__ import annotations

from django_tasks import task

from cityops.platform.jobs import every
from cityops.reports import workflow


@every(minutes=1)
@task()
def escalate_overdue_reports() -> int:
    return workflow.reports_escalate_overdue()


@every(minutes=15)
@task()
def close_quiet_reports() -> int:
    return workflow.reports_close_quiet()
