"""Where reports come from: the KPIs by channel, on the leaders' dashboard too."""

from __future__ import annotations

import pytest

from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import Channel
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit
from cityops.stats.kpis import Scope, kpi_table, kpi_tables


@pytest.fixture
def by_channel(db, operator):
    category = CategoryFactory()
    for channel, count in ((Channel.WEB, 3), (Channel.HOTLINE, 2), (Channel.SMS, 1)):
        for _ in range(count):
            submit(category=category, channel=channel)
    rejected = submit(category=category, channel=Channel.SMS)
    workflow.report_reject(report=rejected, actor=operator, reason="spam", note="")
    return category


@pytest.mark.django_db
def test_kpis_count_the_reports_of_each_channel(by_channel):
    table = kpi_table(scope=Scope(), at=clock.now(), by="channel")

    received = {channel: kpi.received for channel, kpi in table.items()}
    assert received == {"web": 3, "hotline": 2, "sms": 2}
    assert table["sms"].rejected == 1


@pytest.mark.django_db
def test_kpis_by_channel_add_up_to_those_by_category(by_channel):
    tables = kpi_tables(scope=Scope(), at=clock.now(), dimensions=("category", "channel"))

    assert sum(kpi.received for kpi in tables["channel"].values()) == sum(
        kpi.received for kpi in tables["category"].values()
    )


@pytest.mark.django_db
def test_the_dashboard_shows_the_month_by_channel_with_links_to_the_queue(
    by_channel, client, leader
):
    client.force_login(leader)

    page = client.get("/dashboard/").content.decode()

    assert 'id="channel-title"' in page
    assert ("SMS" in page and "Hotline" in page) or "Đường dây nóng" in page
    assert "channel=sms" in page
