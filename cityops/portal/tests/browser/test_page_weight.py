"""The page-weight budget (docs/portal.md): the home page and a report page each transfer
under 400 KB, map tiles excluded, measured in Chromium on a first visit (empty cache) as the
sum of the response bodies (uncompressed: an upper bound of what goes over the wire)."""

from __future__ import annotations

import pytest

from cityops.portal.tests.browser.conftest import PHONE, is_tile
from cityops.portal.views.pages import MAP_POINTS
from cityops.reports import workflow
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import CategoryFactory, ReportFactory
from cityops.reports.tests.helpers import jpeg_with_gps, report_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = 400 * 1024


def transferred(new_page, path: str) -> dict[str, int]:
    """Bytes of every response body of a first visit, map tiles left out."""
    page = new_page(PHONE)
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="networkidle")
    return {r.url: len(r.body()) for r in responses if not is_tile(r.url) and r.status != 204}


def test_home_and_report_pages_stay_under_400_kb_without_tiles(
    new_page, operator, agency, agency_staff, citizen
):
    category = CategoryFactory(code="sanitation", name="Vệ sinh môi trường")
    # The worst case for the map: more public reports than it shows, with long texts.
    ReportFactory.create_batch(
        MAP_POINTS + 50,
        category=category,
        status=ReportStatus.IN_PROGRESS,
        title="",
        description="Rác thải sinh hoạt tồn đọng nhiều ngày bên lề đường, bốc mùi hôi " * 3,
    )
    shown = report_in(
        "in_progress",
        operator=operator,
        agency=agency,
        staff=agency_staff,
        reporter=citizen,
        category=category,
        photos=[jpeg_with_gps((1600, 1200))] * 3,
    )
    workflow.report_resolve(
        report=shown, actor=agency_staff, result="Đã thu gom.", photos=[jpeg_with_gps()] * 2
    )

    home = transferred(new_page, "/")
    report = transferred(new_page, f"/reports/{shown.pk}")

    home_total, report_total = sum(home.values()), sum(report.values())
    print(f"\npage weight: home {home_total / 1024:.0f} KB in {len(home)} responses")
    print(f"page weight: report {report_total / 1024:.0f} KB in {len(report)} responses")
    assert any("/reports.geojson" in url for url in home)  # the map's points are counted
    assert home_total < BUDGET, sorted(home.items(), key=lambda item: -item[1])
    assert report_total < BUDGET, sorted(report.items(), key=lambda item: -item[1])
