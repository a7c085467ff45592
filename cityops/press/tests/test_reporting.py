"""A story turned into a field report: through intake, channel press, once, by IOC staff."""

from __future__ import annotations

import pytest

from cityops.platform.errors import Conflict, NotPermitted
from cityops.press.choices import StoryReportOrigin
from cityops.press.models import Story, StoryReport
from cityops.press.services import source_poll, story_to_report
from cityops.press.tests.factories import SourceFactory
from cityops.reports.choices import Channel, EventKind, ReportStatus
from cityops.reports.models import Report, ReportEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood(press_server, categories, phu_hoi, frozen) -> Story:
    for path, name in (("/a/rss.xml", "Báo Sông Hương"), ("/b/atom.xml", "Tin Cố Đô")):
        source_poll(source=SourceFactory(name=name, url=press_server.url(path)))
    return Story.objects.get(items__title__startswith="Mưa lớn")


def test_an_operator_turns_a_story_into_one_report_through_intake(flood, operator, phu_hoi):
    report = story_to_report(story=flood, actor=operator)

    assert Report.objects.count() == 1
    assert report.channel == Channel.PRESS
    assert report.status == ReportStatus.SUBMITTED
    assert report.category.code == "urban-infrastructure"
    assert report.area == phu_hoi
    assert report.title == flood.headline
    first_url = flood.items.order_by("dated_at").first().url
    assert first_url in report.description
    assert "Báo Sông Hương" in report.description
    assert "Tin Cố Đô" in report.description
    assert report.reporter is None
    assert report.contact_name == ""
    submitted = ReportEvent.objects.get(report=report, kind=EventKind.SUBMITTED)
    assert submitted.actor == operator
    assert submitted.data["channel"] == "press"
    link = StoryReport.objects.get(story=flood, report=report)
    assert (link.origin, link.created_by) == (StoryReportOrigin.CREATED, operator)
    assert report in flood.reports.all()


def test_a_story_becomes_a_report_once(flood, operator):
    story_to_report(story=flood, actor=operator)

    with pytest.raises(Conflict):
        story_to_report(story=flood, actor=operator)
    assert Report.objects.count() == 1


def test_with_an_agency_the_report_is_accepted_and_assigned(flood, operator, agency):
    report = story_to_report(story=flood, actor=operator, agency=agency, note="Kiểm tra gấp.")

    assert (report.status, report.agency) == (ReportStatus.ASSIGNED, agency)
    assert "Kiểm tra gấp." in report.description


@pytest.mark.parametrize("who", ["citizen", "agency_staff", "leader"])
def test_only_ioc_staff_turn_stories_into_reports(flood, who, request):
    with pytest.raises(NotPermitted):
        story_to_report(story=flood, actor=request.getfixturevalue(who))
    assert not Report.objects.exists()


def test_a_story_without_place_is_reported_with_an_address(
    press_server, categories, operator, frozen
):
    source_poll(source=SourceFactory(url=press_server.url("/a/rss.xml")))
    festival = Story.objects.get(items__title__startswith="Lễ hội")

    report = story_to_report(story=festival, actor=operator)

    assert report.lat is None
    assert report.address
    assert report.category.code == "other"
