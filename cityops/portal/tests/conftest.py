"""Fixtures of the portal's tests: rate-limit counters reset, a category, reports in any state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from cityops.accounts.models import User
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Category, Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the (per-process) cache: each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(db) -> Category:
    return CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")


@pytest.fixture
def make_report(
    operator: User, agency: Any, agency_staff: User, category: Category
) -> Callable[..., Report]:
    """A report that reached ``status`` through the workflow (reporter: ``citizen`` if given)."""

    def make(status: ReportStatus = ReportStatus.ACCEPTED, **kwargs: Any) -> Report:
        kwargs.setdefault("category", category)
        return report_in(status, operator=operator, agency=agency, staff=agency_staff, **kwargs)

    return make
