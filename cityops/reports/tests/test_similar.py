"""reports_similar_open: what a citizen is offered to follow before sending a report."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cityops.reports.selectors import distance_m, reports_similar_open
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

HERE = (16.4637, 107.5909)
# About 100 m and 300 m north of HERE.
NEAR = (16.4646, 107.5909)
FAR = (16.4664, 107.5909)


@pytest.fixture
def reported(operator, agency, agency_staff):
    def make(status="accepted", at=NEAR, **kwargs):
        return report_in(
            status,
            operator=operator,
            agency=agency,
            staff=agency_staff,
            lat=at[0],
            lon=at[1],
            **kwargs,
        )

    return make


def test_distances_are_in_metres():
    assert distance_m(*HERE, *NEAR) == pytest.approx(100, abs=2)
    assert distance_m(*HERE, *FAR) == pytest.approx(300, abs=3)


@pytest.mark.django_db
def test_open_public_reports_within_the_radius_come_nearest_first(reported):
    nearer = reported(at=(16.4641, 107.5909))
    near = reported(at=NEAR)
    reported(at=FAR)

    found = reports_similar_open(lat=HERE[0], lon=HERE[1])

    assert [item.report for item in found] == [nearer, near]
    assert found[1].distance_m == pytest.approx(100, abs=2)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["submitted", "rejected", "resolved", "closed"])
def test_unreviewed_hidden_and_finished_reports_are_not_offered(reported, status):
    reported(status=status)
    assert reports_similar_open(lat=HERE[0], lon=HERE[1]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["accepted", "assigned", "in_progress"])
def test_every_open_reviewed_status_is_offered(reported, status):
    report = reported(status=status)
    assert [item.report for item in reports_similar_open(lat=HERE[0], lon=HERE[1])] == [report]


@pytest.mark.django_db
def test_the_category_narrows_to_the_same_field(reported):
    roads = CategoryFactory(code="roads")
    same = reported(category=roads)
    reported(category=CategoryFactory(code="lights"))

    found = reports_similar_open(lat=HERE[0], lon=HERE[1], category=roads)

    assert [item.report for item in found] == [same]
    assert len(reports_similar_open(lat=HERE[0], lon=HERE[1])) == 2


@pytest.mark.django_db
def test_reports_older_than_thirty_days_are_not_offered(reported):
    with time_machine.travel(timezone.now() - timedelta(days=31), tick=False):
        reported()
    recent = reported()
    assert [item.report for item in reports_similar_open(lat=HERE[0], lon=HERE[1])] == [recent]


@pytest.mark.django_db
def test_radius_and_limit_are_honoured(reported):
    for _ in range(3):
        reported()
    reported(at=FAR)
    assert len(reports_similar_open(lat=HERE[0], lon=HERE[1], limit=2)) == 2
    assert len(reports_similar_open(lat=HERE[0], lon=HERE[1], radius_m=400)) == 4
    assert reports_similar_open(lat=HERE[0], lon=HERE[1], radius_m=50) == []
