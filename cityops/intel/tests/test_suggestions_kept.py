"""The month's share of suggestions operators kept when accepting reports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cityops.intel.selectors import suggestions_kept
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import Priority
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit

# 10 December 2026, 10:00 in Huế.
NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
def sanitation(db):
    return CategoryFactory(code="sanitation")


@pytest.fixture
def accept(operator, sanitation):
    other = CategoryFactory(code="other")

    def run(*, suggested, kept_category=True, kept_priority=True, at=NOW, source="text"):
        with clock.frozen_at(at):  # events are append-only: they are written at their time
            report = submit(category=sanitation)
            return workflow.report_accept(
                report=report,
                actor=operator,
                category=sanitation if kept_category else other,
                priority=Priority(suggested[1]) if kept_priority else Priority.COMPLEX,
                suggested={"category": suggested[0], "priority": suggested[1], "source": source},
            )

    return run


def test_the_share_of_kept_categories_and_priorities_is_counted_for_the_month(accept):
    accept(suggested=("sanitation", "normal"))
    accept(suggested=("sanitation", "urgent"), kept_priority=False)
    accept(suggested=("sanitation", "normal"), kept_category=False)
    accept(suggested=("sanitation", "normal"), kept_category=False, kept_priority=False)

    kept = suggestions_kept(at=NOW)

    assert (kept.total, kept.category_kept, kept.priority_kept) == (4, 2, 2)
    assert (kept.category_percent, kept.priority_percent) == (50, 50)
    assert (kept.month.year, kept.month.month, kept.month.day) == (2026, 12, 1)


def test_other_months_alarm_rules_and_accepts_without_a_suggestion_are_left_out(
    accept, operator, sanitation
):
    accept(suggested=("sanitation", "normal"))
    # 16:30 UTC on 30 November is 23:30 in Huế: last month.
    accept(suggested=("sanitation", "normal"), at=datetime(2026, 11, 30, 16, 30, tzinfo=UTC))
    accept(suggested=("sanitation", "urgent"), source="alarm_rule")
    with clock.frozen_at(NOW):
        plain = submit(category=sanitation)
        workflow.report_accept(report=plain, actor=operator)  # API, demo: nothing suggested

    kept = suggestions_kept(at=NOW)

    assert (kept.total, kept.category_kept, kept.priority_kept) == (1, 1, 1)


def test_the_first_hours_of_the_month_in_hue_belong_to_it(accept):
    # 1 December 00:30 in Huế is still 30 November in UTC.
    accept(suggested=("sanitation", "normal"), at=datetime(2026, 11, 30, 17, 30, tzinfo=UTC))

    assert suggestions_kept(at=NOW).total == 1


def test_a_month_without_suggestions_counts_nothing(db):
    kept = suggestions_kept(at=NOW)
    assert (kept.total, kept.category_percent, kept.priority_percent) == (0, 0, 0)
