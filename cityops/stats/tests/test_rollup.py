"""The daily KPI rollup: the same figures as the live computation, kept up to date by the job."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.demo.bulk import seed_bulk
from cityops.demo.hue import seed_configuration
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.models import Report
from cityops.stats.kpis import Scope, kpi_tables, kpi_tables_rolled_up
from cityops.stats.models import DayKpi
from cityops.stats.selectors import month_bounds, months_back
from cityops.stats.services import day_kpis_refresh
from cityops.stats.tasks import refresh_day_kpis

pytestmark = pytest.mark.django_db
DIMENSIONS = ("agency", "category", "area", "month")


def as_dicts(tables):
    return {
        name: {key: kpi.as_dict() for key, kpi in table.items()} for name, table in tables.items()
    }


@pytest.fixture
def history(db):
    seed_configuration()
    seed_bulk(reports=400, days=120, seed=4, progress=False)


def year_scope() -> Scope:
    this_month = timezone.now().astimezone(VIETNAM_TZ).date().replace(day=1)
    start, _ = month_bounds(months_back(this_month, 12))
    _, end = month_bounds(this_month)
    return Scope(start=start, end=end)


def test_there_is_no_rollup_before_the_first_refresh(history):
    assert kpi_tables_rolled_up(scope=year_scope(), at=timezone.now(), dimensions=()) is None


def test_the_rollup_gives_the_same_figures_as_the_reports(history):
    assert day_kpis_refresh() > 100
    now = timezone.now()
    for scope in (year_scope(), Scope(categories=("sanitation",), start=year_scope().start)):
        live = kpi_tables(scope=scope, at=now, dimensions=DIMENSIONS)
        rolled = kpi_tables_rolled_up(scope=scope, at=now, dimensions=DIMENSIONS)
        assert as_dicts(rolled) == as_dicts(live)


def test_a_refresh_redoes_only_the_days_whose_reports_changed(history, operator):
    day_kpis_refresh()
    report = Report.objects.filter(status="submitted").order_by("submitted_at").first()
    with clock.frozen_at(timezone.now()):
        workflow.report_accept(report=report, actor=operator)
    assert refresh_day_kpis.call() == 1
    now = timezone.now()
    live = kpi_tables(scope=year_scope(), at=now, dimensions=DIMENSIONS)
    rolled = kpi_tables_rolled_up(scope=year_scope(), at=now, dimensions=DIMENSIONS)
    assert as_dicts(rolled) == as_dicts(live)
    assert day_kpis_refresh() == 0


def test_a_full_refresh_rebuilds_every_day(history):
    day_kpis_refresh()
    DayKpi.objects.update(received=0)
    first = Report.objects.order_by("submitted_at").first().submitted_at
    days = timezone.now().astimezone(VIETNAM_TZ).date() - first.astimezone(VIETNAM_TZ).date()
    assert day_kpis_refresh(full=True) == days.days + 1
    assert sum(DayKpi.objects.values_list("received", flat=True)) == 400


def test_a_scope_of_whole_days_reads_the_rollup_by_local_day(history):
    day_kpis_refresh()
    start = datetime(2000, 1, 1, tzinfo=VIETNAM_TZ)
    rolled = kpi_tables_rolled_up(scope=Scope(start=start), at=timezone.now(), dimensions=())
    assert rolled[None][None].received == 400
