"""Fixtures of the read cache's tests (test_readcache.py, test_readcache_shared.py)."""

from __future__ import annotations

import pytest

from cityops.reports import workflow
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.helpers import report_in


@pytest.fixture
def report(db, operator, agency, agency_staff, django_capture_on_commit_callbacks):
    """A public report, assigned to its agency; its events published as after a commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return report_in(
            ReportStatus.ASSIGNED,
            operator=operator,
            agency=agency,
            staff=agency_staff,
            title="Ổ gà Lê Lợi",
        )


@pytest.fixture
def change(agency_staff, django_capture_on_commit_callbacks):
    """A status change through the workflow, its events published as after a commit."""

    def start(report):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.report_agency_accept(report=report, actor=agency_staff)

    return start
