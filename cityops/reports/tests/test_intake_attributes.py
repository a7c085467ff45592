"""report_submit keeps the answers to a category's extra questions in the submitted event."""

import pytest

from cityops.reports.choices import EventKind
from cityops.reports.tests.helpers import submit

pytestmark = pytest.mark.django_db


def test_attributes_are_kept_in_the_submitted_event():
    report = submit(channel="open311", attributes={"size": "large", "hazards": ["water", "night"]})

    event = report.events.get(kind=EventKind.SUBMITTED)
    assert event.data == {
        "channel": "open311",
        "attributes": {"size": "large", "hazards": ["water", "night"]},
    }


@pytest.mark.parametrize("attributes", [None, {}])
def test_without_attributes_the_event_says_only_the_channel(attributes):
    report = submit(channel="app", attributes=attributes)

    assert report.events.get().data == {"channel": "app"}
