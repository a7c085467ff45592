"""The portal: a result is rated once, a reopened report shows its new round, and a place
outside the city is refused on the form."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cityops.agencies.tests.factories import AreaFactory
from cityops.portal.tests.test_submit import valid  # noqa: F401 (a fixture)
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus
from cityops.reports.models import Rating, Report

S = ReportStatus


def url(report: Report, name: str = "report") -> str:
    return reverse(f"portal:{name}", args=[report.pk])


@pytest.mark.django_db
def test_rating_the_same_result_twice_is_refused_and_said(client, make_report, citizen):
    report = make_report(S.RESOLVED, reporter=citizen)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read the English wording
    client.force_login(citizen)
    client.post(url(report, "rate"), {"value": RatingValue.UNSATISFIED})

    response = client.post(url(report, "rate"), {"value": RatingValue.UNSATISFIED}, follow=True)

    assert "already rated this result" in response.content.decode()
    assert Rating.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_a_reopened_report_shows_the_reopening_and_new_deadline_not_the_old_result(
    client, make_report, citizen, agency_staff
):
    report = make_report(S.IN_PROGRESS, reporter=citizen)
    workflow.report_resolve(report=report, actor=agency_staff, result="Đã thông cống lần một.")
    workflow.report_rate(report=report, actor=citizen, value=RatingValue.UNSATISFIED)
    workflow.report_reopen(report=report, actor=citizen, reason="Cống vẫn tắc.")
    reopened = Report.objects.get(pk=report.pk)

    html = client.get(url(report), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    status_box = html.split('class="facts"')[0]
    assert "Reopened on" in status_box
    due = timezone.localtime(reopened.due_at).strftime("%d/%m/%Y %H:%M")
    assert f"New deadline: {due}" in status_box
    assert 'id="result-title"' not in html
    assert "Đã thông cống lần một." in html.split('id="timeline-title"')[1]


@pytest.mark.django_db
def test_a_report_placed_outside_the_city_is_refused_on_the_form(client, citizen, valid):  # noqa: F811
    AreaFactory(centroid_lat=16.46, centroid_lon=107.59)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(citizen)

    response = client.post(
        reverse("portal:report_new"), {**valid, "lat": "21.0285", "lon": "105.8542"}
    )

    assert response.status_code == 400
    assert "outside the city" in response.content.decode()
    assert not Report.objects.exists()
