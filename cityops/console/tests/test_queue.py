"""The queue /console/: who may open it, its filters, deadlines, the live partial, query counts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cityops.accounts.choices import Role
from cityops.accounts.services import saved_view_create
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.tests.factories import AgencyFactory, AreaFactory
from cityops.console.templatetags.console import countdown
from cityops.console.tests.conftest import signed_in
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import Channel, Priority, ReportStatus
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import submit

S = ReportStatus
QUEUE = "/console/"
# Session, user, saved views, the filters' categories, areas and agencies, count, rows, the
# month's share of suggestions kept; the partial: session, user, count, rows.
QUEUE_QUERIES = 9
PARTIAL_QUERIES = 4


def rows(response) -> list[int]:
    """The report ids of the table's rows, in order."""
    return [int(found) for found in re.findall(r'data-report="(\d+)"', response.content.decode())]


def test_operators_see_the_queue_with_filters_and_the_save_view_form(operator_client, make_report):
    report = make_report(S.SUBMITTED, description="Rác thải tồn đọng trước chợ Đông Ba")
    response = operator_client.get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rác thải tồn đọng trước chợ Đông Ba" in page
    assert reverse("console:report", args=[report.pk]) in page
    assert 'action="/console/views/"' in page
    assert 'name="overdue"' in page
    assert 'data-live-events="/console/events/"' in page


def test_leaders_read_the_queue_without_any_action_form(leader_client, make_report):
    make_report(S.SUBMITTED)
    response = leader_client.get(QUEUE)
    assert response.status_code == 200
    assert 'method="post" action="/console/views/' not in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in_and_others_are_refused(
    client, citizen, agency_staff
):
    assert client.get(QUEUE)["Location"].startswith("/account/sign-in")
    for user in (citizen, agency_staff):
        assert signed_in(user).get(QUEUE).status_code == 403


def test_the_queue_shows_reports_still_in_hand_unless_told_otherwise(operator_client, make_report):
    waiting = make_report(S.SUBMITTED)
    handled = make_report(S.CLOSED)
    rejected = make_report(S.REJECTED)
    assert set(rows(operator_client.get(QUEUE))) == {waiting.pk}
    everything = rows(operator_client.get(QUEUE, {"status": "all"}))
    assert set(everything) == {waiting.pk, handled.pk, rejected.pk}
    assert rows(operator_client.get(QUEUE, {"status": "rejected"})) == [rejected.pk]


def test_a_link_naming_filters_but_no_status_means_every_status(
    operator_client, make_report, category
):
    waiting = make_report(S.SUBMITTED)
    handled = make_report(S.CLOSED)
    response = operator_client.get(QUEUE, {"category": category.code})
    assert set(rows(response)) == {waiting.pk, handled.pk}


def test_a_list_of_statuses_from_a_dashboard_link_is_shown_in_the_status_filter(
    operator_client, make_report
):
    resolved = make_report(S.RESOLVED)
    closed = make_report(S.CLOSED)
    make_report(S.SUBMITTED)
    response = operator_client.get(QUEUE, {"status": "resolved,closed"})
    assert set(rows(response)) == {resolved.pk, closed.pk}
    assert '<option value="resolved,closed" selected>Resolved, Closed</option>' in (
        response.content.decode()
    )


def test_the_most_urgent_come_first_and_newest_first_on_request(operator_client, make_report):
    with clock.frozen_at(timezone.now() - timedelta(days=30)):
        late = make_report(S.ACCEPTED)
    fresh = make_report(S.SUBMITTED)
    newer = make_report(S.SUBMITTED)
    assert rows(operator_client.get(QUEUE))[0] == late.pk
    assert rows(operator_client.get(QUEUE, {"sort": "newest"})) == [newer.pk, fresh.pk, late.pk]


def test_overdue_reports_are_highlighted_and_say_by_how_much(operator_client, make_report):
    with clock.frozen_at(timezone.now() - timedelta(days=30)):
        late = make_report(S.ASSIGNED)
    on_time = make_report(S.SUBMITTED)
    page = operator_client.get(QUEUE).content.decode()
    late_row = page[page.index(f'data-report="{late.pk}"') :].split("</tr>")[0]
    on_time_row = page[page.index(f'data-report="{on_time.pk}"') :].split("</tr>")[0]
    assert "overdue" in late_row.split(">")[0]
    assert "due-overdue" in late_row
    assert "overdue by" in late_row
    assert "overdue" not in on_time_row.split(">")[0]
    assert "days left" in on_time_row


def test_overdue_only_narrows_to_reports_past_their_deadline(operator_client, make_report):
    with clock.frozen_at(timezone.now() - timedelta(days=30)):
        late = make_report(S.IN_PROGRESS)
        make_report(S.RESOLVED)  # handled: never overdue
    make_report(S.SUBMITTED)
    response = operator_client.get(QUEUE, {"overdue": "on", "status": "all"})
    assert rows(response) == [late.pk]


def test_priority_channel_category_agency_and_words_filter_the_queue(
    operator_client, make_report, operator, agency
):
    other = CategoryFactory(code="tourism", name="Du lịch", name_en="Tourism")
    hotline = submit(
        category=other, channel=Channel.HOTLINE, description="Taxi chặt chém khách du lịch"
    )
    web = make_report(S.ASSIGNED, description="Cống thoát nước bị tắc")
    urgent = make_report(S.SUBMITTED)
    workflow.report_reclassify(report=urgent, actor=operator, priority=Priority.URGENT)
    assert rows(operator_client.get(QUEUE, {"channel": "hotline"})) == [hotline.pk]
    assert rows(operator_client.get(QUEUE, {"priority": "urgent"})) == [urgent.pk]
    assert rows(operator_client.get(QUEUE, {"category": "tourism"})) == [hotline.pk]
    assert rows(operator_client.get(QUEUE, {"agency": agency.code})) == [web.pk]
    assert rows(operator_client.get(QUEUE, {"q": "cống tắc"})) == [web.pk]


def test_a_bad_filter_is_explained_not_a_crash(operator_client, make_report):
    make_report(S.SUBMITTED)
    response = operator_client.get(QUEUE, {"priority": "whenever", "submitted_from": "soon"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a priority from the list." in page
    assert "Enter a valid date." in page


def test_htmx_and_the_live_script_get_the_table_alone_with_the_same_filters(
    operator_client, make_report
):
    waiting = make_report(S.SUBMITTED)
    make_report(S.CLOSED)
    response = operator_client.get(QUEUE, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="queue-results"')
    assert "<html" not in page
    assert rows(response) == [waiting.pk]
    assert "HX-Request" in response["Vary"]


def test_the_queue_pages_by_fifty(operator_client, category):
    for number in range(52):
        submit(category=category, description=f"Phản ánh số {number}")
    first = operator_client.get(QUEUE)
    assert len(rows(first)) == 50
    assert "Page 1 of 2" in first.content.decode()
    assert len(rows(operator_client.get(QUEUE, {"page": 2}))) == 2


@pytest.mark.parametrize("count", [5, 30])
def test_the_queue_costs_the_same_queries_for_five_or_thirty_reports(
    operator, category, django_assert_num_queries, count
):
    AreaFactory()  # covers the reports' point: every row has an area
    for number in range(count):
        report = submit(category=category, description=f"Phản ánh {number}")
        report = workflow.report_accept(report=report, actor=operator)
        workflow.report_assign(report=report, agency=AgencyFactory(), actor=operator)
    saved_view_create(user=operator, name="Mine", query="status=open")
    saved_view_create(user=UserFactory(role=Role.OPERATOR), name="Theirs", query="")
    client = signed_in(operator)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert len(rows(response)) == count
    with django_assert_num_queries(PARTIAL_QUERIES):
        response = client.get(QUEUE, HTTP_HX_REQUEST="true")
    assert len(rows(response)) == count


@pytest.mark.parametrize(
    ("hours", "tone", "words"),
    [
        (-3.5, "overdue", "overdue by 3 h"),
        (-50, "overdue", "overdue by 2 days"),
        (0.5, "today", "30 min left"),
        (49, "ok", "2 days left"),
    ],
)
def test_deadline_countdowns_are_in_words_and_tones(hours, tone, words):
    now = timezone.make_aware(datetime(2026, 7, 1, 9, 0))
    with translation.override("en"):
        found = countdown(now + timedelta(hours=hours), now)
    assert found is not None
    assert (found.tone, found.words) == (tone, words)


def test_a_deadline_tomorrow_is_soon():
    now = timezone.make_aware(datetime(2026, 7, 1, 9, 0))
    with translation.override("en"):
        found = countdown(now + timedelta(hours=26), now)
    assert found is not None
    assert (found.tone, found.words) == ("soon", "26 h left")


def test_the_staff_menu_links_every_console_page_and_the_admin_only_for_staff_accounts(
    operator, admin_user
):
    page = signed_in(operator).get(QUEUE).content.decode()
    menu = page[page.index('aria-label="Staff menu"') :].split("</nav>")[0]
    for link in ("/console/", "/console/map/", "/console/hotline/", "/dashboard/"):
        assert f'href="{link}"' in menu
    assert 'href="/admin/"' not in menu
    assert 'href="/admin/"' in signed_in(admin_user).get(QUEUE).content.decode()
