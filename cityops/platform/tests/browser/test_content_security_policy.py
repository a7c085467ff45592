"""The main page of every area runs under the Content-Security-Policy without a violation:
no inline script, style attribute or handler the browser would refuse (docs/security.md)."""

from __future__ import annotations

import pytest

from cityops.platform.tests.browser.conftest import DESKTOP, signed_in_as
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps, report_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, path: str, ready: str | None = None) -> list[str]:
    """Open ``path``; every console message and page error about a policy it produced."""
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(path)
    assert response is not None, path
    assert response.status == 200, path
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    if ready:
        page.wait_for_selector(ready, state="attached")
    page.wait_for_timeout(400)  # scripts that run after load (htmx, maps, charts)
    return [
        text
        for text in problems
        if "Content Security Policy" in text or "Permissions-Policy" in text
    ]


def test_public_pages_break_no_rule_of_the_policy(new_page, operator):
    category = CategoryFactory(code="sanitation", name_en="Sanitation")
    shown = report_in(ReportStatus.ACCEPTED, operator=operator, category=category)
    page = new_page(DESKTOP, language="en")
    for path, ready in [
        ("/", ".leaflet-tile-loaded"),
        ("/reports/new", "form"),
        (f"/reports/{shown.pk}", "main"),
        ("/account/sign-in", "form"),
        ("/privacy", "main"),
        ("/air/", ".leaflet-container"),
        ("/warnings/", "main"),
        ("/transparency/", "main"),
        ("/planning/?lat=16.4637&lon=107.5909", ".leaflet-container"),
        ("/planning/extract?lat=16.4637&lon=107.5909", "main"),
        ("/api/v1/docs", "#swagger-ui .info"),
    ]:
        assert visit(page, path, ready) == [], path


def test_staff_pages_break_no_rule_of_the_policy(
    new_page, live_server, live_streams, operator, agency_staff, leader, admin_user, agency
):
    category = CategoryFactory(code="sanitation", name_en="Sanitation")
    report = submit(category=category, photos=[jpeg_with_gps()])
    assigned = report_in(
        ReportStatus.ASSIGNED,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        category=category,
    )
    visits = [
        (operator, "/console/", "table, .empty"),
        (operator, f"/console/reports/{report.pk}/", "main form"),
        (operator, "/console/map/", ".leaflet-container"),
        (operator, "/console/hotline/", "main form"),
        (operator, "/console/alarms/", "main"),
        (operator, "/console/bulletins/", "main"),
        (agency_staff, "/agency/", "main"),
        (agency_staff, f"/agency/reports/{assigned.pk}/", "main"),
        (leader, "/dashboard/", "main"),
        (leader, "/dashboard/monthly/", "[data-print]"),
        (admin_user, "/admin/", "#content"),
        (admin_user, "/admin/reports/report/", "#changelist"),
        (admin_user, f"/admin/reports/report/{report.pk}/change/", "#content"),
        (admin_user, f"/admin/accounts/user/{operator.pk}/change/", "form"),
        (admin_user, "/admin/accounts/identityaccess/", "#changelist"),
    ]
    for user, path, ready in visits:
        page = new_page(DESKTOP, language="en")
        signed_in_as(page, user, live_server.url)
        assert visit(page, path, ready) == [], path
        page.context.close()
