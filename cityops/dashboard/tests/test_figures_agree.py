"""The home page, the transparency page and the leaders' dashboard show the same figure with
the same definition (one selector in cityops.stats), say what each counts, and when."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.platform import clock
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Report
from cityops.reports.tests.helpers import report_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 10, 20, 14, 5, tzinfo=VIETNAM_TZ)


def figure(html: str, name: str) -> int:
    found = re.findall(rf'data-figure="{name}">(\d+)<', html)
    assert len(found) == 1, (name, found)
    return int(found[0])


def test_the_three_pages_agree_on_each_figure_and_say_when_it_was_computed(
    client, operator, agency, agency_staff, leader
):
    with clock.frozen_at(NOW - timedelta(days=400)):  # before the twelve months: overdue now
        report_in(ReportStatus.ACCEPTED, operator=operator)
    with clock.frozen_at(NOW - timedelta(days=3)):
        report_in(ReportStatus.REJECTED, operator=operator)
        report_in(ReportStatus.RESOLVED, operator=operator, agency=agency, staff=agency_staff)
        report_in(ReportStatus.ASSIGNED, operator=operator, agency=agency, staff=agency_staff)
    overdue = Report.objects.filter(status__in=ReportStatus.active(), due_at__lt=NOW).count()

    with clock.frozen_at(NOW):
        home = client.get("/").content.decode()
        transparency = client.get("/transparency/").content.decode()
        client.force_login(leader)
        dashboard = client.get("/dashboard/").content.decode()

    pages = {"home": home, "transparency": transparency, "dashboard": dashboard}
    # Every report sent in the period, rejected ones included; the month is inside the year.
    assert {name: figure(html, "received") for name, html in pages.items()} == dict.fromkeys(
        pages, 3
    )
    assert {name: figure(html, "processed") for name, html in pages.items()} == dict.fromkeys(
        pages, 1
    )
    assert overdue >= 1
    assert {name: figure(html, "overdue") for name, html in pages.items()} == dict.fromkeys(
        pages, overdue
    )
    for html in pages.values():
        assert "phản ánh đã tiếp nhận" in html  # says what it counts
        assert "Tính đến 14:05 20/10/2026" in html  # and when
    assert "Phản ánh gửi từ 11/2025 đến 10/2026" in home


def test_home_and_transparency_read_one_computation_of_the_figures(client, operator):
    with clock.frozen_at(NOW - timedelta(days=3)):
        report_in(ReportStatus.ACCEPTED, operator=operator)
    with clock.frozen_at(NOW):
        first = client.get("/").content.decode()
    with clock.frozen_at(NOW - timedelta(days=1)):
        report_in(ReportStatus.ACCEPTED, operator=operator)
    with clock.frozen_at(NOW + timedelta(minutes=2)):
        transparency = client.get("/transparency/").content.decode()

    # Computed once, five minutes' cache: the same count and the same "as of" on both pages.
    assert figure(transparency, "received") == figure(first, "received") == 1
    assert "Tính đến 14:05 20/10/2026" in transparency
