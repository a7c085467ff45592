"""Fixtures of the agency workspace's tests: a reporter whose identity must never show, and
reports of the agency (or of another) in any state, brought there through the workflow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.models import Agency
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Category, Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

REPORTER_NAME = "Trần Thị Bích Ngọc"
REPORTER_PHONE = "0905 123 456"
REPORTER_EMAIL = "bichngoc.tran@example.vn"


@pytest.fixture
def category(db) -> Category:
    return CategoryFactory(
        code="traffic-infrastructure", name="Hạ tầng giao thông", name_en="Traffic infrastructure"
    )


@pytest.fixture
def reporter(db) -> User:
    return UserFactory(
        username="bichngoc",
        full_name=REPORTER_NAME,
        email=REPORTER_EMAIL,
        phone="0905123456",
        role=Role.CITIZEN,
    )


@pytest.fixture
def make_report(
    operator: User, agency: Agency, agency_staff: User, category: Category, reporter: User
) -> Callable[..., Report]:
    """``make_report(status, **kwargs)``: a report of ``reporter`` for ``agency`` by default."""

    def make(status: ReportStatus = ReportStatus.ASSIGNED, **kwargs: Any) -> Report:
        kwargs.setdefault("category", category)
        kwargs.setdefault("reporter", reporter)
        kwargs.setdefault("agency", agency)
        kwargs.setdefault("staff", agency_staff)
        kwargs.setdefault("contact_name", REPORTER_NAME)
        kwargs.setdefault("contact_phone", REPORTER_PHONE)
        kwargs.setdefault("contact_email", REPORTER_EMAIL)
        return report_in(status, operator=operator, **kwargs)

    return make


@pytest.fixture
def staff_client(client: Client, agency_staff: User) -> Client:
    """Signed in as ``agency_staff``, with the interface in English (the msgids)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(agency_staff)
    return client


@pytest.fixture
def english():
    with translation.override("en"):
        yield
