"""Rounds of handling: one rating per result, one extension per round (in working time, within
the maximum), a reopening that starts a new round, and who typed a report in."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.utils import translation

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.platform.errors import InvalidInput
from cityops.reports import workflow
from cityops.reports.choices import Channel, EventKind, Priority, RatingValue, ReportStatus
from cityops.reports.models import Rating, Report
from cityops.reports.tests.helpers import report_in, submit


@pytest.fixture(autouse=True)
def _english():
    """The messages are read in English (they are also translated: the catalogue test)."""
    with translation.override("en"):
        yield


S = ReportStatus
MONDAY_10 = datetime(2026, 3, 9, 10, 0, tzinfo=VIETNAM_TZ)  # due the next Wednesday 10:00


def hue(day: int, hour: int, minute: int = 0, *, month: int = 3, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


@pytest.fixture
def road(operator, citizen, agency, agency_staff):
    def make(status: ReportStatus, **kwargs) -> Report:
        return report_in(
            status, operator=operator, reporter=citizen, agency=agency, staff=agency_staff, **kwargs
        )

    return make


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


# --- one rating per result -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_result_is_rated_once_and_a_second_unsatisfied_rating_is_refused(road, citizen):
    report = road(S.RESOLVED)
    workflow.report_rate(report=report, actor=citizen, value=RatingValue.UNSATISFIED)

    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.report_rate(report=report, actor=citizen, value=RatingValue.UNSATISFIED)

    assert refused.value.code == "already_rated"
    assert "already rated" in refused.value.message
    assert Rating.objects.filter(report=report).count() == 1
    assert report.events.filter(kind=EventKind.RATED).count() == 1


@pytest.mark.django_db
def test_a_new_result_after_a_reopening_can_be_rated_again(road, citizen, agency_staff):
    report = road(S.RESOLVED)
    workflow.report_rate(report=report, actor=citizen, value=RatingValue.UNSATISFIED)
    workflow.report_reopen(report=report, actor=citizen, reason="Vẫn còn ổ gà.")
    workflow.report_resolve(report=report, actor=agency_staff, result="Đã vá lại.")

    workflow.report_rate(report=report, actor=citizen, value=RatingValue.SATISFIED)

    assert fresh(report).status == S.CLOSED
    assert Rating.objects.filter(report=report).count() == 2


# --- the extension: working time, the maximum, every problem at once ------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_due_at", "words"),
    [
        (hue(15, 17), "not a working day"),  # a Sunday
        (hue(31, 12, 2, year=9999, month=12), "at most 30 working days"),
        (hue(12, 12), "office hours"),  # Thursday lunch break
        (hue(13, 20), "office hours"),  # Friday evening
        (hue(30, 10, month=4), "not a working day"),  # Reunification Day
        (hue(18, 10, month=5), "at most 30 working days"),  # two months later
    ],
    ids=["sunday", "year-9999", "lunch", "evening", "holiday", "past-the-maximum"],
)
def test_an_extension_ends_in_working_time_within_the_maximum(
    road, agency_staff, new_due_at, words
):
    with time_machine.travel(MONDAY_10, tick=False):
        report = road(S.IN_PROGRESS)
        with pytest.raises(InvalidInput) as refused:
            workflow.report_extend(
                report=report, actor=agency_staff, reason="Chờ vật tư.", new_due_at=new_due_at
            )

    assert list(refused.value.fields) == ["new_due_at"]
    assert words in " ".join(refused.value.fields["new_due_at"])
    assert fresh(report).extended_at is None
    assert fresh(report).due_at == hue(18, 10)


@pytest.mark.django_db
def test_the_maximum_comes_from_the_setting_and_its_last_moment_is_allowed(
    road, agency_staff, settings
):
    settings.CITYOPS_MAX_EXTENSION_WORKING_DAYS = 2
    with time_machine.travel(MONDAY_10, tick=False):
        report = road(S.IN_PROGRESS)  # due Wednesday 18 March 10:00
        with pytest.raises(InvalidInput) as refused:
            workflow.report_extend(
                report=report, actor=agency_staff, reason="Chờ.", new_due_at=hue(20, 10, 1)
            )
        assert "20/03/2026 10:00 at the latest" in refused.value.fields["new_due_at"][0]

        workflow.report_extend(
            report=report, actor=agency_staff, reason="Chờ.", new_due_at=hue(20, 10)
        )

    assert fresh(report).due_at == hue(20, 10)


@pytest.mark.django_db
def test_every_problem_of_an_extension_is_reported_at_once(road, agency_staff):
    with time_machine.travel(MONDAY_10, tick=False):
        report = road(S.IN_PROGRESS)
        with pytest.raises(InvalidInput) as refused:
            workflow.report_extend(
                report=report, actor=agency_staff, reason=" ", new_due_at=hue(8, 10)
            )
        with pytest.raises(InvalidInput) as missing:
            workflow.report_extend(report=report, actor=agency_staff, reason="", new_due_at=None)

    assert set(refused.value.fields) == {"reason", "new_due_at"}
    assert set(missing.value.fields) == {"reason", "new_due_at"}


# --- a reopening starts a new round ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_reopening_starts_a_round_with_its_own_deadline_and_extension(
    road, citizen, agency_staff, operator
):
    with time_machine.travel(MONDAY_10, tick=False):
        report = road(S.IN_PROGRESS)
        workflow.report_extend(
            report=report, actor=agency_staff, reason="Chờ vật tư.", new_due_at=hue(20, 17)
        )
        workflow.report_resolve(report=report, actor=agency_staff, result="Đã vá.")
    with time_machine.travel(hue(23, 9), tick=False):
        workflow.report_rate(report=report, actor=citizen, value=RatingValue.UNSATISFIED)
        workflow.report_reopen(report=report, actor=citizen, reason="Ổ gà lại xuất hiện.")

    reopened = fresh(report)
    # Seven working days from Monday 23 March 09:00; the old result is only in the timeline.
    assert reopened.due_at == hue(1, 9, month=4)
    assert (reopened.result_text, reopened.extended_at, reopened.extension_reason) == ("", None, "")
    assert report.events.filter(kind=EventKind.RESOLVED, note="Đã vá.").exists()
    event = report.events.get(kind=EventKind.REOPENED)
    assert datetime.fromisoformat(event.data["due_at"]) == reopened.due_at

    with time_machine.travel(hue(24, 9), tick=False):
        workflow.report_extend(
            report=report,
            actor=agency_staff,
            reason="Chờ thời tiết.",
            new_due_at=hue(15, 17, month=4),
        )
        with pytest.raises(workflow.InvalidTransition) as again:
            workflow.report_extend(
                report=report, actor=agency_staff, reason="Lại.", new_due_at=hue(16, 17, month=4)
            )

    assert again.value.code == "already_extended"
    assert fresh(report).due_at == hue(15, 17, month=4)
    assert report.events.filter(kind=EventKind.EXTENDED).count() == 2


@pytest.mark.django_db
def test_a_change_of_priority_after_a_reopening_counts_from_the_reopening(road, operator, citizen):
    with time_machine.travel(MONDAY_10, tick=False):
        report = road(S.ACCEPTED)
        workflow.report_resolve(report=report, actor=operator, result="Đã xử lý.")
    with time_machine.travel(hue(23, 9), tick=False):
        workflow.report_reopen(report=report, actor=citizen, reason="Chưa xong.")
    with time_machine.travel(hue(24, 9), tick=False):
        workflow.report_reclassify(report=report, actor=operator, priority=Priority.URGENT)

    # Four working hours from Monday 23 March 09:00 (lunch left out), not from the first receipt.
    assert fresh(report).due_at == hue(23, 15)


# --- who typed a report in ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_report_typed_in_by_an_operator_is_submitted_by_that_operator(operator):
    report = submit(channel=Channel.HOTLINE, contact_phone="0912345678", recorded_by=operator)

    event = report.events.get(kind=EventKind.SUBMITTED)
    assert (event.actor, event.actor_role) == (operator, "operator")
    assert fresh(report).reporter is None


@pytest.mark.django_db
def test_a_citizen_is_the_actor_of_their_own_submission_even_if_staff_are_named(citizen, operator):
    report = submit(reporter=citizen, recorded_by=operator)
    assert report.events.get(kind=EventKind.SUBMITTED).actor == citizen
