"""Fixtures for the API tests: signed-in citizens, reports in public statuses, tight limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache

from cityops.accounts.choices import Role
from cityops.accounts.services import apikey_create, token_issue
from cityops.accounts.tests.factories import UserFactory
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives a test; start each at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tight_limits(settings):
    """Every rate limit at 2 a minute: the third call in a minute is refused.

    The clock stands still 10 s into a minute, so the calls never straddle two windows and
    the wait announced is exactly 50 s.
    """
    settings.CITYOPS_RATE_LIMITS = dict.fromkeys(settings.CITYOPS_RATE_LIMITS, "2/m")
    cache.clear()
    with time_machine.travel(datetime(2026, 7, 1, 2, 30, 10, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def token(citizen) -> str:
    return token_issue(user=citizen, name="test phone").secret


@pytest.fixture
def neighbour(db):
    return UserFactory(username="neighbour", role=Role.CITIZEN)


@pytest.fixture
def neighbour_token(neighbour) -> str:
    return token_issue(user=neighbour).secret


@pytest.fixture
def api_key(db) -> str:
    return apikey_create(name="Hue-S app").secret


@pytest.fixture
def category(db):
    return CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")


@pytest.fixture
def make_report(operator, agency, agency_staff, category):
    """A report brought to a status through the real workflow."""

    def make(status=ReportStatus.ACCEPTED, **kwargs):
        kwargs.setdefault("category", category)
        return report_in(status, operator=operator, agency=agency, staff=agency_staff, **kwargs)

    return make


@pytest.fixture
def resolved_report(make_report, citizen):
    """The citizen's report, resolved by the agency: ready to be rated or reopened."""
    return make_report(ReportStatus.RESOLVED, reporter=citizen)
