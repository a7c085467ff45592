"""Following a report's updates: follow_create and follow_delete."""

import pytest

from cityops.reports.models import Follow
from cityops.reports.services import follow_create, follow_delete
from cityops.reports.tests.factories import ReportFactory


@pytest.mark.django_db
def test_following_twice_keeps_one_follow(citizen):
    report = ReportFactory()
    follow_create(report=report, user=citizen)
    follow_create(report=report, user=citizen)
    assert Follow.objects.filter(report=report, user=citizen).count() == 1


@pytest.mark.django_db
def test_unfollowing_removes_only_that_persons_follow(citizen, operator):
    report = ReportFactory()
    follow_create(report=report, user=citizen)
    follow_create(report=report, user=operator)
    assert follow_delete(report=report, user=citizen) is True
    assert list(Follow.objects.values_list("user__username", flat=True)) == ["operator"]


@pytest.mark.django_db
def test_unfollowing_a_report_one_does_not_follow_changes_nothing(citizen):
    report = ReportFactory()
    assert follow_delete(report=report, user=citizen) is False
