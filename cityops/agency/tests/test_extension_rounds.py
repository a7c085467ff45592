"""The extension form says everything wrong at once; a reopened report is a new round."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report

S = ReportStatus
ZONE = working_calendar().tz


def url(name: str, report: Report) -> str:
    return reverse(f"agency:{name}", args=[report.pk])


def next_sunday(after: date) -> date:
    return after + timedelta(days=6 - after.weekday() or 7)


@pytest.mark.django_db
def test_the_extension_form_lists_every_problem_at_once(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)
    sunday = next_sunday(report.due_at.astimezone(ZONE).date())

    response = staff_client.post(
        url("extend", report),
        {"extend-reason": "", "extend-new_date": sunday.isoformat(), "extend-new_time": "10:00"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Give the public reason for the extension." in html
    assert "is not a working day" in html
    assert Report.objects.get(pk=report.pk).extended_at is None


@pytest.mark.django_db
def test_an_extension_to_the_year_9999_is_refused_with_the_maximum(staff_client, make_report):
    report = make_report(S.IN_PROGRESS)

    response = staff_client.post(
        url("extend", report),
        {"extend-reason": "Chờ.", "extend-new_date": "9999-12-31", "extend-new_time": "17:00"},
    )

    assert response.status_code == 400
    assert "at most 30 working days after the current one" in response.content.decode()
    assert Report.objects.get(pk=report.pk).extended_at is None


@pytest.mark.django_db
def test_a_reopened_report_shows_the_reopening_and_may_be_extended_again(
    staff_client, make_report, reporter, agency_staff
):
    report = make_report(S.IN_PROGRESS)
    workflow.report_extend(
        report=report,
        actor=agency_staff,
        reason="Chờ vật tư.",
        new_due_at=working_calendar().add_working_days(report.due_at, 3),
    )
    workflow.report_resolve(report=report, actor=agency_staff, result="Đã vá ổ gà lần một.")
    workflow.report_rate(report=report, actor=reporter, value=RatingValue.UNSATISFIED)
    workflow.report_reopen(report=report, actor=reporter, reason="Ổ gà vẫn còn.")

    html = staff_client.get(url("report", report)).content.decode()

    reopened = Report.objects.get(pk=report.pk)
    assert "Reopened on" in html
    assert f"New deadline: {reopened.due_at.astimezone(ZONE):%d/%m/%Y %H:%M}" in html
    assert 'id="result-title"' not in html  # the old result only in the timeline
    assert "Đã vá ổ gà lần một." in html.split('id="timeline-title"')[1]
    assert f'action="{url("extend", report)}"' in html
    assert "Already extended on" not in html
