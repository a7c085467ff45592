"""The console map in Chromium: a report's title is people's text, shown as text in the marker's
tooltip and popup, never run as HTML (a ``<meta refresh>`` title once sent an operator away)."""

from __future__ import annotations

import pytest

from cityops.console.tests.browser.conftest import DESKTOP, signed_in_as
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = (
    "<img src=x onerror=\"document.title='pwned'\">",
    "<b>x</b><meta http-equiv=refresh content='0;url=/pwned'>",
)


def test_a_report_title_shows_as_literal_text_in_the_console_map_tooltip(
    new_page, live_server, operator
):
    category = CategoryFactory(code="other", name="Khác", name_en="Other")
    reports = [
        submit(category=category, title=title, lat=16.46 + 0.01 * index, lon=107.59)
        for index, title in enumerate(TITLES)
    ]

    page = new_page(DESKTOP, language="en")
    signed_in_as(page, operator, live_server.url)
    page.goto("/console/map/")
    markers = page.locator("#console-map path.leaflet-interactive")
    markers.nth(len(TITLES) - 1).wait_for()
    assert markers.count() == len(TITLES)

    shown = set()
    for index in range(len(TITLES)):
        markers.nth(index).hover(force=True)
        tooltip = page.locator(".leaflet-tooltip").last
        tooltip.wait_for()
        shown.add(tooltip.inner_text())
        assert tooltip.locator("img, b, meta").count() == 0
        page.mouse.move(0, 0)
    assert shown == {f"#{report.pk} {report.title}" for report in reports}

    page.wait_for_timeout(300)  # a refresh of 0 s would have left by now
    assert page.url.endswith("/console/map/")
    assert page.title() != "pwned"
    assert page.locator("#console-map img[src=x], #console-map meta").count() == 0
