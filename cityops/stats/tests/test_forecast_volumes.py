"""Reports received per week and month, the series the volume forecasts are made from."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.agencies.tests.factories import AreaFactory
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import CategoryFactory, ReportFactory
from cityops.stats.forecasts.volumes import busiest, report_volume_forecast, report_volumes
from cityops.stats.services import day_kpis_refresh

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 9, 10, tzinfo=VIETNAM_TZ)  # a Wednesday


def at(day: int, month: int = 11, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VIETNAM_TZ)


@pytest.fixture
def reports():
    """November and December 2026 in Huế: the first report on Wednesday 4 November."""
    lights = CategoryFactory(code="lights")
    roads = CategoryFactory(code="roads")
    ward = AreaFactory(code="19001")
    other = AreaFactory(code="19002")
    when = [
        (at(4), lights, ward, ReportStatus.SUBMITTED),  # week of 2/11: not a whole week
        (at(9), lights, ward, ReportStatus.SUBMITTED),  # week of 9/11
        (at(12), roads, ward, ReportStatus.REJECTED),  # rejected: still received
        (at(15, hour=23), lights, other, ReportStatus.DUPLICATE),  # Sunday night, local time
        (at(23), roads, other, ReportStatus.SUBMITTED),  # week of 23/11 (16/11: none)
        (at(24), lights, ward, ReportStatus.SUBMITTED),
        (at(1, 12), lights, ward, ReportStatus.SUBMITTED),  # week of 30/11
        (at(8, 12), lights, ward, ReportStatus.SUBMITTED),  # this week: not over
    ]
    for submitted_at, category, area, status in when:
        ReportFactory(submitted_at=submitted_at, category=category, area=area, status=status)


def test_known_reports_give_known_weekly_counts(reports):
    assert report_volumes(period="week", at=NOW) == [
        (date(2026, 11, 9), 3),
        (date(2026, 11, 16), 0),
        (date(2026, 11, 23), 2),
        (date(2026, 11, 30), 1),
    ]


def test_weekly_counts_of_one_category_and_one_area(reports):
    assert [n for _, n in report_volumes(period="week", at=NOW, category="lights")] == [2, 0, 1, 1]
    assert [n for _, n in report_volumes(period="week", at=NOW, area="19002")] == [1, 0, 1, 0]
    both = report_volumes(period="week", at=NOW, category="lights", area="19001")
    assert [n for _, n in both] == [1, 0, 1, 1]


def test_monthly_counts_start_with_the_first_whole_month(reports):
    assert report_volumes(period="month", at=NOW) == []  # November began before the first report
    assert report_volumes(period="month", at=datetime(2027, 1, 2, tzinfo=VIETNAM_TZ)) == [
        (date(2026, 12, 1), 2)
    ]


def test_the_daily_rollup_gives_the_same_counts(reports):
    live = report_volumes(period="week", at=NOW, category="lights")
    day_kpis_refresh()
    assert report_volumes(period="week", at=NOW, category="lights") == live


def test_no_report_no_series(db):
    assert report_volumes(period="week", at=NOW) == []


def test_a_few_weeks_are_too_little_history(reports):
    result = report_volume_forecast(period="week", at=NOW).forecast
    assert not result.enough_history
    assert len(result.history) == 4


def test_the_busiest_categories_come_first(reports):
    assert busiest(dimension="category", count=1) == ["lights"]
