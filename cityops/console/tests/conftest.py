"""Fixtures of the console's tests: a category, an area with its committee, reports in any state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cityops.accounts.models import User
from cityops.agencies.models import Agency, Area
from cityops.agencies.tests.factories import AreaFactory
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Category, Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in


@pytest.fixture(autouse=True)
def _classifier(trained):
    """The triage page asks the classifier: the corpus model, stored once per test."""
    return trained


@pytest.fixture
def category(db) -> Category:
    return CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")


@pytest.fixture
def area(db) -> Area:
    # The test area's square covers the helpers' default point (16.46, 107.59).
    return AreaFactory(code="19999", name="Phường Thuận Hóa")


@pytest.fixture
def make_report(
    operator: User, agency: Agency, agency_staff: User, category: Category
) -> Callable[..., Report]:
    """A report that reached ``status`` through the workflow."""

    def make(status: ReportStatus = ReportStatus.SUBMITTED, **kwargs: Any) -> Report:
        kwargs.setdefault("category", category)
        return report_in(status, operator=operator, agency=agency, staff=agency_staff, **kwargs)

    return make


def signed_in(user: User) -> Client:
    """A browser of ``user``'s in English: the assertions read the English wording."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def operator_client(operator: User) -> Client:
    return signed_in(operator)


@pytest.fixture
def leader_client(leader: User) -> Client:
    return signed_in(leader)
