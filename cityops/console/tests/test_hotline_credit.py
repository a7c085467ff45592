"""A hotline report is the operator's submission, and its place must lie within the city."""

from __future__ import annotations

from cityops.agencies.tests.factories import AreaFactory
from cityops.console.tests.test_hotline import SUBMIT, call
from cityops.reports.choices import EventKind
from cityops.reports.models import Report


def test_the_operator_who_took_the_call_is_credited_with_the_submission(
    operator_client, operator, category
):
    operator.full_name = "Lê Văn Tâm"
    operator.save()

    response = operator_client.post(SUBMIT, call())

    report = Report.objects.get()
    submitted = report.events.get(kind=EventKind.SUBMITTED)
    assert (submitted.actor, submitted.actor_role) == (operator, "operator")
    timeline = (
        operator_client.get(response["Location"]).content.decode().split('class="timeline"')[1]
    )
    assert operator.get_full_name() in timeline
    assert "the system" not in timeline


def test_a_call_placed_outside_the_city_is_refused_on_the_form(operator_client, category):
    AreaFactory(centroid_lat=16.46, centroid_lon=107.59)

    response = operator_client.post(SUBMIT, call(lat="21.0285", lon="105.8542"))

    assert response.status_code == 400
    assert "outside the city" in response.content.decode()
    assert not Report.objects.exists()
