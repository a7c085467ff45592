"""The inbox: only the agency's own reports, most urgent first, deadlines in colour and words,
tabs for resolved and all, the live list partial, and a query count that does not grow."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.calendar import VIETNAM_TZ
from cityops.agency.templatetags.agency import countdown
from cityops.reports import workflow
from cityops.reports.choices import Priority, ReportStatus
from cityops.reports.tests.factories import CategoryFactory

S = ReportStatus
INBOX = reverse("agency:inbox")
LIST = reverse("agency:inbox_list")
MONDAY_10 = datetime(2026, 3, 9, 10, 0, tzinfo=VIETNAM_TZ)


def hue(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VIETNAM_TZ)


def rows(html: str) -> list[int]:
    """The report ids of the list's rows, in order."""
    return [int(pk) for pk in re.findall(r'<tr data-report="(\d+)"', html)]


@pytest.mark.django_db
def test_the_inbox_shows_only_the_reports_assigned_to_the_staff_members_agency(
    staff_client, make_report, other_agency, other_agency_staff
):
    ours = make_report(S.ASSIGNED, description="Ổ gà trước trường Quốc Học")
    theirs = make_report(
        S.ASSIGNED,
        description="Cột điện nghiêng ở Kim Long",
        agency=other_agency,
        staff=other_agency_staff,
    )

    response = staff_client.get(INBOX)

    html = response.content.decode()
    assert response.status_code == 200
    assert rows(html) == [ours.pk]
    assert "Ổ gà trước trường Quốc Học" in html
    assert "Cột điện nghiêng ở Kim Long" not in html
    assert reverse("agency:report", args=[theirs.pk]) not in html
    assert staff_client.get(reverse("agency:report", args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_the_most_urgent_deadline_comes_first_and_overdue_rows_are_marked(
    staff_client, make_report
):
    urgent = CategoryFactory(default_priority=Priority.URGENT)
    with time_machine.travel(MONDAY_10, tick=False):
        later = make_report(S.IN_PROGRESS)  # due Wednesday 18 March 10:00
        late = make_report(S.ASSIGNED, category=urgent)  # due Monday 16:00

    with time_machine.travel(hue(9, 19), tick=False):
        html = staff_client.get(INBOX).content.decode()

    assert rows(html) == [late.pk, later.pk]
    late_row = re.search(rf'<tr data-report="{late.pk}"[^>]*>.*?</tr>', html, re.S).group(0)
    later_row = re.search(rf'<tr data-report="{later.pk}"[^>]*>.*?</tr>', html, re.S).group(0)
    assert 'class="overdue"' in late_row
    assert "due due-overdue" in late_row
    assert "overdue by 3 h" in late_row  # in words as well as colour
    assert 'class="overdue"' not in later_row
    assert "due due-ok" in later_row
    assert "due in 8 days" in later_row
    assert "1 report is overdue." in html


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_deadline_words_and_tones_follow_the_time_left():
    due = hue(11, 16)
    assert countdown(due, hue(11, 14)).tone == "due-today"
    assert countdown(due, hue(10, 17)).tone == "due-soon"
    assert countdown(due, hue(8, 9)).tone == "due-ok"
    assert countdown(due, hue(11, 19)).tone == "due-overdue"
    assert countdown(due, hue(11, 15, 30)).words == "due in 30 min"
    assert countdown(due, hue(11, 13)).words == "due in 3 h"
    assert countdown(due, hue(14, 16)).words == "overdue by 3 days"
    assert countdown(due, hue(11, 16, 1)).words == "overdue by 1 min"
    assert countdown(None, hue(11, 14)) is None


@pytest.mark.django_db
def test_the_resolved_and_all_tabs_list_what_the_agency_finished_or_ever_had(
    staff_client, make_report, agency_staff
):
    in_hand = make_report(S.IN_PROGRESS)
    resolved = make_report(S.RESOLVED)
    returned = make_report(S.ASSIGNED)
    workflow.report_return(report=returned, actor=agency_staff, reason="Không thuộc thẩm quyền.")

    open_rows = rows(staff_client.get(INBOX).content.decode())
    resolved_rows = rows(staff_client.get(INBOX + "?view=resolved").content.decode())
    all_html = staff_client.get(INBOX + "?view=all").content.decode()

    assert open_rows == [in_hand.pk]
    assert resolved_rows == [resolved.pk]
    assert sorted(rows(all_html)) == sorted([in_hand.pk, resolved.pk, returned.pk])
    returned_row = re.search(rf'<tr data-report="{returned.pk}".*?</tr>', all_html, re.S).group(0)
    assert "no longer ours" in returned_row


@pytest.mark.django_db
def test_an_unknown_tab_falls_back_to_the_reports_in_hand(staff_client, make_report):
    report = make_report(S.ASSIGNED)
    response = staff_client.get(INBOX + "?view=everything'--")
    assert response.status_code == 200
    assert rows(response.content.decode()) == [report.pk]


@pytest.mark.django_db
def test_the_list_partial_is_the_list_alone_for_the_live_refresh(staff_client, make_report):
    report = make_report(S.ASSIGNED)

    response = staff_client.get(LIST + "?view=open")

    html = response.content.decode()
    assert response.status_code == 200
    assert rows(html) == [report.pk]
    assert "<html" not in html
    assert '<nav class="tabs"' not in html


@pytest.mark.django_db
def test_the_inbox_page_opens_the_live_feed_of_the_agency(staff_client):
    html = staff_client.get(INBOX).content.decode()
    assert f'data-live-events="{reverse("agency:events")}"' in html
    assert f'data-live-url="{LIST}?view=open"' in html
    assert "console/live.js" in html
    assert 'class="live-status"' in html


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_other_roles_are_refused(
    client, citizen, operator, leader
):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert reverse("portal:sign_in") in response["Location"]
    for user in (citizen, operator, leader):
        client.force_login(user)
        assert client.get(INBOX).status_code == 403
        assert client.get(LIST).status_code == 403


@pytest.mark.django_db
def test_a_deactivated_staff_member_is_refused(client, agency):
    gone = UserFactory(role=Role.AGENCY_STAFF, agency=agency, is_active=False)
    client.force_login(gone)
    assert client.get(INBOX).status_code in (302, 403)


# --- the number of queries does not grow with the reports shown ----------------------------


# session, user, agency, the page's count and rows; the page also counts its tabs.
QUERIES = {INBOX: 6, LIST: 5}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 30])
@pytest.mark.parametrize("url", [INBOX, LIST], ids=["page", "partial"])
def test_the_inbox_needs_the_same_queries_for_5_or_30_reports(
    staff_client, make_report, django_assert_num_queries, count, url
):
    for _ in range(count):
        make_report(S.ASSIGNED)

    with django_assert_num_queries(QUERIES[url]):
        response = staff_client.get(url)

    assert len(rows(response.content.decode())) == count
