"""A report made from an alarm is the operator's submission, not the system's."""

from __future__ import annotations

from cityops.alerts.services import alarm_to_report
from cityops.alerts.tests.test_alarm_lifecycle import categories, raise_on  # noqa: F401
from cityops.reports.choices import EventKind


def test_the_operator_who_turned_the_alarm_into_a_report_submitted_it(
    camera,
    operator,
    categories,  # noqa: F811
):
    alarm = raise_on(camera).alarm

    report = alarm_to_report(alarm=alarm, actor=operator)

    submitted = report.events.get(kind=EventKind.SUBMITTED)
    assert (submitted.actor, submitted.actor_role) == (operator, "operator")
    assert report.reporter is None
