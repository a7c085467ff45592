"""The KPIs on hand-built histories: each report is moved through the real workflow at set times."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.agencies.tests.factories import AgencyFactory, AreaFactory
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, RejectionReason
from cityops.reports.models import Rating
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit
from cityops.stats.kpis import (
    Kpis,
    Scope,
    agency_ranking,
    kpi_table,
    kpi_tables,
    kpi_trend,
    kpis,
)

pytestmark = pytest.mark.django_db


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


class History:
    """Moves one report through the workflow, each step at its own moment."""

    def __init__(self, *, operator, staff, agency, reporter=None, category=None, area=None):
        self.operator, self.staff, self.agency = operator, staff, agency
        self.reporter, self.category = reporter, category

    def submitted(self, moment: datetime, **kwargs):
        with clock.frozen_at(moment):
            self.report = submit(reporter=self.reporter, category=self.category, **kwargs)
        return self

    def step(self, moment: datetime, move, **kwargs):
        with clock.frozen_at(moment):
            result = move(report=self.report, **kwargs)
        self.report.refresh_from_db()
        return result

    def dispatched(self, moment: datetime):
        self.step(moment, workflow.report_accept, actor=self.operator)
        self.step(
            moment + timedelta(minutes=5),
            workflow.report_assign,
            agency=self.agency,
            actor=self.operator,
        )
        self.step(moment + timedelta(minutes=10), workflow.report_agency_accept, actor=self.staff)
        return self

    def resolved(self, moment: datetime):
        self.step(moment, workflow.report_resolve, actor=self.staff, result="Đã xử lý xong.")
        return self

    def rated(self, moment: datetime, value: RatingValue):
        self.step(moment, workflow.report_rate, actor=self.reporter, value=value)
        return self


@pytest.fixture
def category():
    return CategoryFactory(code="traffic-infrastructure")


@pytest.fixture
def history(operator, agency_staff, agency, citizen, category):
    def make(**kwargs):
        values = {
            "operator": operator,
            "staff": agency_staff,
            "agency": agency,
            "reporter": citizen,
            "category": category,
        }
        values.update(kwargs)
        return History(**values)

    return make


FEBRUARY = Scope(start=vn(2026, 2, 1), end=vn(2026, 3, 1))
AUGUST = Scope(start=vn(2026, 8, 1), end=vn(2026, 9, 1))
NOW = vn(2026, 12, 1, 9)


def test_a_report_resolved_across_tet_counts_only_the_working_hours(history):
    # Friday 13 February 2026, 10:00; Tết closes the offices from Monday 16 to Friday 20.
    history().submitted(vn(2026, 2, 13, 10)).dispatched(vn(2026, 2, 13, 10, 5)).resolved(
        vn(2026, 2, 23, 10)
    )
    figures = kpis(scope=FEBRUARY, at=NOW)
    # Friday 10:00-11:30 and 13:30-17:00 (5 h) and Monday 23 February 07:00-10:00 (3 h).
    assert figures.processed == 1
    assert figures.avg_processing_hours == pytest.approx(8.0)


def test_a_report_resolved_across_national_day_counts_the_make_up_saturday(history):
    # Friday 21 August 2026 15:00 → Thursday 3 September 08:00. Saturday 22 August is worked
    # (it makes up for Monday 31 August); 31 August to 2 September are off.
    history().submitted(vn(2026, 8, 21, 15)).dispatched(vn(2026, 8, 21, 15, 5)).resolved(
        vn(2026, 9, 3, 8)
    )
    figures = kpis(scope=AUGUST, at=NOW)
    # 21/8: 2 h; Sat 22/8: 8 h; 24-28/8: 5 × 8 h; 3/9: 1 h.
    assert figures.avg_processing_hours == pytest.approx(2 + 8 + 40 + 1)


def test_an_extension_moves_the_deadline_that_on_time_is_measured_against(history):
    late = history().submitted(vn(2026, 8, 3, 8)).dispatched(vn(2026, 8, 3, 9))
    extended = history().submitted(vn(2026, 8, 3, 8)).dispatched(vn(2026, 8, 3, 9))
    # Normal priority: seven working days, due Wednesday 12 August 08:00.
    assert extended.report.due_at == vn(2026, 8, 12, 8)
    extended.step(
        vn(2026, 8, 10, 9),
        workflow.report_extend,
        actor=extended.staff,
        reason="Chờ vật tư thay thế.",
        new_due_at=vn(2026, 8, 20, 17),
    )
    late.resolved(vn(2026, 8, 14, 10))
    extended.resolved(vn(2026, 8, 14, 10))

    figures = kpis(scope=AUGUST, at=NOW)
    assert (figures.processed, figures.on_time, figures.late) == (2, 1, 1)
    assert figures.on_time_rate == 0.5


def test_a_reopened_report_is_processed_once_when_resolved_again_and_keeps_both_ratings(history):
    story = history().submitted(vn(2026, 8, 3, 8)).dispatched(vn(2026, 8, 3, 9))
    story.resolved(vn(2026, 8, 4, 8)).rated(vn(2026, 8, 4, 9), RatingValue.UNSATISFIED)
    story.step(vn(2026, 8, 4, 10), workflow.report_reopen, actor=story.reporter, reason="Chưa sửa.")

    reopened = kpis(scope=AUGUST, at=NOW)
    assert (reopened.processed, reopened.rated, reopened.satisfaction_rate) == (0, 1, 0.0)

    story.resolved(vn(2026, 8, 5, 8)).rated(vn(2026, 8, 5, 9), RatingValue.SATISFIED)
    figures = kpis(scope=AUGUST, at=NOW)
    assert figures.received == figures.processed == 1
    # Processing runs to the last resolution: Monday 08:00 → Wednesday 08:00 is 16 working hours.
    assert figures.avg_processing_hours == pytest.approx(16.0)
    assert (figures.unsatisfied, figures.satisfied, figures.satisfaction_rate) == (1, 1, 0.5)


def test_rejected_and_duplicate_reports_are_received_but_never_processed(history, operator):
    original = history().submitted(vn(2026, 8, 3, 8)).dispatched(vn(2026, 8, 3, 9))
    rejected = history().submitted(vn(2026, 8, 3, 8))
    rejected.step(
        vn(2026, 8, 3, 8, 30), workflow.report_reject, actor=operator, reason=RejectionReason.SPAM
    )
    duplicate = history().submitted(vn(2026, 8, 3, 8, 10))
    duplicate.step(
        vn(2026, 8, 3, 8, 40), workflow.report_merge, actor=operator, original=original.report
    )
    original.resolved(vn(2026, 8, 4, 8))

    figures = kpis(scope=AUGUST, at=NOW)
    assert figures.received == 3
    assert (figures.rejected, figures.duplicates, figures.processed) == (1, 1, 1)


def test_overdue_now_counts_active_reports_past_their_deadline_whenever_submitted(history):
    history().submitted(vn(2026, 6, 1, 8)).dispatched(vn(2026, 6, 1, 9))  # due 10 June
    history().submitted(vn(2026, 8, 3, 8))  # due 12 August, still waiting
    history().submitted(vn(2026, 11, 30, 8))  # due in December

    figures = kpis(scope=AUGUST, at=NOW)
    assert figures.received == 1
    assert figures.overdue == 2
    assert kpis(scope=AUGUST, at=vn(2026, 8, 12, 7)).overdue == 1


def test_kpis_group_by_agency_category_and_area_and_narrow_to_the_scope(history, agency):
    other = AgencyFactory(code="moi-truong")
    other_staff = type(history().staff).objects.create(
        username="staff-2", role="agency_staff", agency=other
    )
    lighting = CategoryFactory(code="urban-infrastructure")
    ward = AreaFactory(code="19999", centroid_lat=16.5, centroid_lon=107.6)
    AreaFactory(code="19998")  # the ward of the other reports (the test area's centre)
    history().submitted(vn(2026, 8, 3, 8)).dispatched(vn(2026, 8, 3, 9)).resolved(vn(2026, 8, 4, 8))
    history(agency=other, staff=other_staff, category=lighting).submitted(
        vn(2026, 8, 3, 8), lat=16.5, lon=107.6
    ).dispatched(vn(2026, 8, 3, 9))
    history().submitted(vn(2026, 8, 5, 8))

    by_agency = kpi_table(scope=AUGUST, at=NOW, by="agency")
    assert {code: kpi.received for code, kpi in by_agency.items()} == {
        agency.code: 1,
        "moi-truong": 1,
        None: 1,
    }
    assert by_agency[agency.code].processed == 1
    by_category = kpi_table(scope=AUGUST, at=NOW, by="category")
    assert by_category["urban-infrastructure"].received == 1
    assert by_category["traffic-infrastructure"].received == 2
    assert kpi_table(scope=AUGUST, at=NOW, by="area")[ward.code].received == 1

    narrowed = Scope(agencies=("moi-truong",), start=AUGUST.start, end=AUGUST.end)
    assert kpis(scope=narrowed, at=NOW).received == 1
    assert kpis(scope=Scope(areas=(ward.code,)), at=NOW).received == 1


def test_the_monthly_trend_has_every_month_of_the_period_oldest_first(history):
    history().submitted(vn(2026, 6, 30, 23, 30))  # the local day, not UTC's, decides the month
    history().submitted(vn(2026, 8, 1, 0, 30))
    history().submitted(vn(2026, 8, 31, 16))

    trend = kpi_trend(scope=Scope(start=vn(2026, 6, 1), end=vn(2026, 9, 1)), at=NOW)
    assert [(bucket.isoformat(), kpi.received) for bucket, kpi in trend] == [
        ("2026-06-01", 1),
        ("2026-07-01", 0),
        ("2026-08-01", 2),
    ]
    weekly = kpi_trend(scope=Scope(start=vn(2026, 8, 1), end=vn(2026, 8, 15)), at=NOW, by="week")
    assert [bucket.isoformat() for bucket, _ in weekly] == [
        "2026-07-27",
        "2026-08-03",
        "2026-08-10",
    ]
    assert weekly[0][1].received == 1


def test_the_ranking_leaves_out_agencies_below_the_minimum_and_says_where_ties_are():
    def kpi(processed: int, on_time: int) -> Kpis:
        return Kpis(received=processed, processed=processed, on_time=on_time)

    table = {
        "big-late": kpi(20, 10),
        "big-good": kpi(20, 19),
        "same-good": kpi(20, 19),
        "tiny-perfect": kpi(2, 2),
        None: kpi(50, 50),
    }
    ranked = agency_ranking(table, minimum=10)
    assert [(row.code, row.position) for row in ranked] == [
        ("big-good", 1),
        ("same-good", 1),
        ("big-late", 3),
        ("tiny-perfect", None),
    ]


def test_a_table_takes_four_queries_whatever_the_number_of_groups(
    history, django_assert_num_queries
):
    for day in (3, 4, 5):
        history().submitted(vn(2026, 8, day, 8)).dispatched(vn(2026, 8, day, 9)).resolved(
            vn(2026, 8, day, 15)
        )
    with django_assert_num_queries(4):
        kpi_table(scope=AUGUST, at=NOW, by="agency")
    with django_assert_num_queries(3):
        kpi_table(scope=AUGUST, at=NOW, by="day")


def test_tables_by_several_dimensions_at_once_equal_the_tables_one_by_one(
    history, django_assert_num_queries
):
    lighting = CategoryFactory(code="urban-infrastructure")
    history().submitted(vn(2026, 8, 3, 8)).dispatched(vn(2026, 8, 3, 9)).resolved(
        vn(2026, 8, 4, 8)
    ).rated(vn(2026, 8, 4, 9), RatingValue.ACCEPTABLE)
    history(category=lighting).submitted(vn(2026, 8, 12, 8)).dispatched(vn(2026, 8, 12, 9))
    history().submitted(vn(2026, 6, 1, 8))  # overdue, before the period

    with django_assert_num_queries(4):
        tables = kpi_tables(scope=AUGUST, at=NOW, dimensions=("agency", "category", "week"))
    for name in ("agency", "category", "week"):
        alone = kpi_table(scope=AUGUST, at=NOW, by=name)
        assert {k: v.as_dict() for k, v in tables[name].items()} == {
            k: v.as_dict() for k, v in alone.items()
        }


def test_a_result_counts_one_rating_even_if_older_data_holds_several(history):
    story = history().submitted(vn(2026, 8, 3, 8)).dispatched(vn(2026, 8, 3, 9))
    story.resolved(vn(2026, 8, 4, 8)).rated(vn(2026, 8, 4, 9), RatingValue.UNSATISFIED)
    # Rows written before the workflow refused a second rating of the same result.
    for hour in (10, 11, 12):
        Rating.objects.create(
            report=story.report,
            rater=story.reporter,
            value=RatingValue.UNSATISFIED,
            created_at=vn(2026, 8, 4, hour),
        )
    story.step(vn(2026, 8, 4, 13), workflow.report_reopen, actor=story.reporter, reason="Chưa.")
    story.resolved(vn(2026, 8, 5, 8)).rated(vn(2026, 8, 5, 9), RatingValue.SATISFIED)

    figures = kpis(scope=AUGUST, at=NOW)
    assert (figures.unsatisfied, figures.satisfied, figures.rated) == (1, 1, 2)
    assert kpi_table(scope=AUGUST, at=NOW, by="day")[vn(2026, 8, 3).date()].rated == 2
