"""A leader in Chromium: opens the dashboard, filters by agency and month, and follows a figure
to the reports behind it in the console. With CITYOPS_SCREENSHOTS_DIR set, the dashboard and the
transparency page are also photographed at desktop and phone sizes (docs/screenshots/)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.demo.bulk import seed_bulk
from cityops.demo.hue import seed_configuration
from cityops.reports.models import Report
from cityops.stats.kpis import Scope, kpi_table
from cityops.stats.selectors import month_bounds

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, user, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


@pytest.fixture
def history(db):
    seed_configuration()
    seed_bulk(reports=1500, days=200, seed=8, progress=False)
    last_month = (timezone.now().astimezone(VIETNAM_TZ).replace(day=1) - timedelta(days=1)).date()
    month = last_month.replace(day=1)
    start, end = month_bounds(month)
    by_agency = kpi_table(scope=Scope(start=start, end=end), at=timezone.now(), by="agency")
    busiest = max(
        ((code, kpi) for code, kpi in by_agency.items() if code), key=lambda item: item[1].processed
    )
    return {"month": month, "agency": busiest[0], "processed": busiest[1].processed}


def test_a_leader_filters_the_dashboard_and_opens_the_reports_behind_a_figure(
    new_page, live_server, leader, history
):
    page = new_page(DESKTOP, language="en")
    signed_in(page, leader, live_server.url)
    page.goto("/dashboard/")
    assert page.get_by_role("heading", name="At a glance", exact=True).is_visible()

    page.get_by_label("Agency", exact=True).select_option(history["agency"])
    page.get_by_label("Month", exact=True).fill(f"{history['month']:%Y-%m}")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**agency={history['agency']}**")
    processed = page.locator("[data-figure=processed]")
    assert processed.inner_text() == str(history["processed"])
    # The charts and the heat map drew from the vendored Chart.js and Leaflet.
    assert page.locator("#chart-volume").evaluate("canvas => canvas.width") > 0
    assert page.locator("#heatmap path.leaflet-interactive").count() > 0

    with page.expect_navigation() as navigation:
        processed.click()
    assert navigation.value is not None
    assert navigation.value.status == 200
    url = urlsplit(page.url)
    assert url.path == "/console/"
    start = history["month"]
    _, end = month_bounds(start)
    assert parse_qs(url.query) == {
        "agency": [history["agency"]],
        "status": ["resolved,closed"],
        "submitted_from": [start.isoformat()],
        "submitted_to": [(end - timedelta(days=1)).date().isoformat()],
    }
    behind = Report.objects.filter(
        agency__code=history["agency"],
        status__in=["resolved", "closed"],
        submitted_at__gte=datetime.combine(start, datetime.min.time(), tzinfo=VIETNAM_TZ),
        submitted_at__lt=end,
    )
    assert behind.count() == history["processed"]


def test_the_public_transparency_page_draws_its_trend(new_page, history):
    page = new_page(PHONE, language="en")
    page.goto(f"/transparency/?month={history['month']:%Y-%m}")
    assert page.get_by_role("heading", name="Agency ranking").is_visible()
    assert page.locator("#chart-volume").evaluate("canvas => canvas.width") > 0
    assert page.get_by_text("The rule:").is_visible()


@pytest.mark.skipif(
    not os.environ.get("CITYOPS_SCREENSHOTS_DIR"), reason="set CITYOPS_SCREENSHOTS_DIR to take"
)
def test_screenshots_of_the_dashboard_and_the_transparency_page(
    new_page, live_server, leader, history
):
    out = Path(os.environ["CITYOPS_SCREENSHOTS_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    month = f"{history['month']:%Y-%m}"
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(size, language="en")
        signed_in(page, leader, live_server.url)
        page.goto(f"/dashboard/?month={month}")
        page.wait_for_selector("#heatmap path.leaflet-interactive")
        page.wait_for_timeout(800)  # chart animations
        page.screenshot(path=str(out / f"dashboard-{name}.png"), full_page=True)
        visitor = new_page(size, language="en")  # the public page, as the public sees it
        visitor.goto(f"/transparency/?month={month}")
        visitor.wait_for_timeout(800)
        visitor.screenshot(path=str(out / f"dashboard-transparency-{name}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/dashboard/monthly/?month={month}&agency={history['agency']}")
    page.emulate_media(media="print")
    page.screenshot(path=str(out / "dashboard-monthly-print.png"), full_page=True)
