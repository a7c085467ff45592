"""The leaders' dashboard and its monthly report: who may open them, what they show, and at
what cost in queries."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.calendar import VIETNAM_TZ
from cityops.agencies.tests.factories import AgencyFactory, AreaFactory
from cityops.platform import clock
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

pytestmark = pytest.mark.django_db

OCTOBER = datetime(2026, 10, 6, 9, tzinfo=VIETNAM_TZ)


@pytest.fixture
def october(operator, agency, agency_staff):
    """Reports of October 2026: two resolved by the agency, one still waiting in the queue."""
    category = CategoryFactory(code="sanitation", name="Vệ sinh môi trường")
    AreaFactory(code="19999", name="Phường Thử", centroid_lat=16.46, centroid_lon=107.59)
    with clock.frozen_at(OCTOBER):
        done = [
            report_in(
                "resolved", operator=operator, agency=agency, staff=agency_staff, category=category
            )
            for _ in range(2)
        ]
        waiting = report_in("submitted", operator=operator, category=category)
    return {"done": done, "waiting": waiting, "category": category}


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("dashboard:overview"), params)


@pytest.mark.parametrize("role", [Role.LEADER, Role.OPERATOR, Role.ADMIN])
def test_leaders_operators_and_admins_open_the_dashboard(client, role):
    response = page(client, UserFactory(role=role), month="2026-10")
    assert response.status_code == 200


def test_citizens_and_agency_staff_may_not_open_the_dashboard(client, citizen, agency_staff):
    assert page(client, citizen).status_code == 403
    assert page(client, agency_staff).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("dashboard:overview"))
    assert response.status_code == 302
    assert reverse("portal:sign_in") in response["Location"]


def test_the_headline_counts_the_month_and_links_each_figure_to_its_reports(
    client, leader, october, agency
):
    response = page(client, leader, month="2026-10")
    headline = response.context["data"].headline
    assert (headline.received, headline.processed) == (3, 2)
    links = response.context["headline_links"]
    processed = parse_qs(urlsplit(links["processed"]).query)
    assert urlsplit(links["processed"]).path == reverse("console:queue")
    assert processed == {
        "status": ["resolved,closed"],
        "submitted_from": ["2026-10-01"],
        "submitted_to": ["2026-10-31"],
    }
    assert f'href="{links["processed"]}"'.replace("&", "&amp;") in response.content.decode()


def test_filtering_by_agency_narrows_every_figure_and_its_links(client, leader, october, agency):
    response = page(client, leader, month="2026-10", agency=agency.code)
    data = response.context["data"]
    assert (data.headline.received, data.headline.processed) == (2, 2)
    received = parse_qs(urlsplit(response.context["headline_links"]["received"]).query)
    assert received["agency"] == [agency.code]
    assert [item["row"].code for item in response.context["unranked"]] == [agency.code]
    assert response.context["unassigned"] is None


def test_another_month_shows_no_reports(client, leader, october):
    response = page(client, leader, month="2026-09")
    assert response.context["data"].headline.received == 0


def test_a_bad_month_is_reported_and_the_current_month_shown(client, leader, october):
    with clock.frozen_at(OCTOBER):
        response = page(client, leader, month="October")
    assert response.status_code == 200
    assert response.context["form"].errors["month"]
    assert response.context["month"].isoformat() == "2026-10-01"
    assert 'class="error-summary"' in response.content.decode()


def test_the_agency_ranking_shows_only_agencies_with_enough_processed_reports(
    client, leader, october, agency
):
    response = page(client, leader, month="2026-10")
    assert response.context["ranked"] == []
    assert [(item["row"].code, item["row"].position) for item in response.context["unranked"]] == [
        (agency.code, None)
    ]
    waiting = response.context["unassigned"]
    assert waiting["row"].kpis.received == 1
    assert "status=submitted%2Caccepted" in waiting["links"]["overdue"]


def test_the_heat_map_counts_reviewed_reports_per_h3_cell(client, leader, october, operator):
    with clock.frozen_at(OCTOBER):
        report_in("rejected", operator=operator, category=october["category"])  # spam
    response = page(client, leader, month="2026-10")
    cells = response.context["cells"]["features"]
    assert len(cells) == 1
    # The two resolved reports; neither the one waiting for review nor the rejected spam.
    assert cells[0]["properties"]["count"] == 2
    ring = cells[0]["geometry"]["coordinates"][0]
    assert len(ring) == 7  # a closed hexagon
    assert ring[0] == ring[-1]


def test_the_monitoring_section_waits_for_monitoring(client, leader):
    response = page(client, leader)
    assert response.context["data"].monitoring is None
    assert 'id="monitoring-title"' in response.content.decode()


def test_the_dashboard_takes_the_same_number_of_queries_for_more_agencies_and_reports(
    client, leader, operator, django_assert_max_num_queries
):
    def add(count: int) -> None:
        with clock.frozen_at(OCTOBER):
            for _ in range(count):
                unit = AgencyFactory()
                staff = UserFactory(role=Role.AGENCY_STAFF, agency=unit)
                report_in("in_progress", operator=operator, agency=unit, staff=staff)

    client.force_login(leader)
    add(1)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("dashboard:overview"), {"month": "2026-10"})
    add(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("dashboard:overview"), {"month": "2026-10"})
    assert response.context["data"].headline.received == 5


def test_the_monthly_report_of_an_agency_prints_its_figures(client, leader, october, agency):
    client.force_login(leader)
    response = client.get(reverse("dashboard:monthly"), {"month": "2026-10", "agency": agency.code})
    assert response.status_code == 200
    data = response.context["data"]
    assert data.agency.code == agency.code
    assert (data.headline.received, data.headline.processed) == (2, 2)
    assert len(data.by_day) == 31
    with open(_static("dashboard/dashboard.css")) as css:
        assert "@media print" in css.read()


def test_the_monthly_report_of_an_unknown_agency_is_not_found(client, leader):
    client.force_login(leader)
    response = client.get(reverse("dashboard:monthly"), {"agency": "no-such-agency"})
    assert response.status_code == 404


def test_the_city_monthly_report_ranks_every_agency(client, leader, october):
    client.force_login(leader)
    response = client.get(reverse("dashboard:monthly"), {"month": "2026-10"})
    assert response.context["data"].agency is None
    assert response.context["data"].headline.received == 3


def _static(path: str) -> str:
    from django.contrib.staticfiles import finders

    found = finders.find(path)
    assert isinstance(found, str)
    return found


def test_the_trend_is_computed_once_per_ten_minutes_and_the_month_stays_live(
    client, leader, operator, october
):
    first = page(client, leader, month="2026-10")
    assert first.context["data"].trend[-1][1].received == 3
    with clock.frozen_at(OCTOBER):
        report_in("submitted", operator=operator, category=october["category"])
    again = page(client, leader, month="2026-10")
    assert again.context["data"].headline.received == 4
    assert again.context["data"].trend[-1][1].received == 3  # the cached chart
