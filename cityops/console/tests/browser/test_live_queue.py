"""An operator's shift in Chromium: a new report arrives in the open queue without a reload, is
triaged and dispatched with the routing suggestion; an overdue report stands out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cityops.console.tests.browser.conftest import DESKTOP, signed_in_as
from cityops.console.tests.factories import RoutingRuleFactory
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_report_arrives_live_and_is_triaged_and_assigned(
    new_page, live_server, live_streams, operator, agency, trained
):
    sanitation = CategoryFactory(code="sanitation", name="Vệ sinh môi trường", name_en="Sanitation")
    other = CategoryFactory(code="other", name="Khác", name_en="Other")
    RoutingRuleFactory(category=sanitation, agency=agency)
    with clock.frozen_at(timezone.now() - timedelta(days=30)):
        late = submit(category=sanitation, description="Cống thoát nước bị tắc từ tháng trước")
        late = workflow.report_accept(report=late, actor=operator)
        late = workflow.report_assign(report=late, agency=agency, actor=operator)

    page = new_page(DESKTOP, language="en")
    signed_in_as(page, operator, live_server.url)
    page.goto("/console/")
    page.wait_for_selector(".live-status[data-state=live]")
    page.evaluate("window.stillTheSamePage = true")

    # The overdue report is highlighted, in words too.
    late_row = page.locator(f'tr[data-report="{late.pk}"]')
    assert "overdue" in (late_row.get_attribute("class") or "")
    assert re.search(r"overdue by \d+ days", late_row.inner_text())

    # A citizen's report arrives: it shows up without a reload, marked as new.
    report = workflow.report_submit(
        category=other,
        description="Rác thải sinh hoạt đổ trộm đầu hẻm 7 Chi Lăng, bốc mùi",
        lat=16.4712,
        lon=107.5951,
    )
    row = page.locator(f'tr[data-report="{report.pk}"]')
    row.wait_for(timeout=5_000)
    assert "live-new" in (row.get_attribute("class") or "")
    assert page.evaluate("window.stillTheSamePage") is True

    # The operator opens it, corrects the category and accepts it.
    row.get_by_role("link", name=f"#{report.pk}").click()
    page.wait_for_url(f"**/console/reports/{report.pk}/")
    assert page.get_by_text(re.compile(r"Suggested: Sanitation \(\d+%\)")).first.is_visible()
    page.get_by_label("Category").select_option("sanitation")
    page.get_by_role("button", name="Accept", exact=True).click()
    page.get_by_text(f"Report #{report.pk} is accepted.").wait_for()

    # The routing rule's agency is already chosen: one click sends it.
    assert page.locator("#id_assign-agency").input_value() == agency.code
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_text(f"Report #{report.pk} is sent to the agency.").wait_for()
    report = Report.objects.get(pk=report.pk)
    assert (report.status, report.category, report.agency) == (
        ReportStatus.ASSIGNED,
        sanitation,
        agency,
    )
    page.context.close()  # the queue's event stream ends with the page
