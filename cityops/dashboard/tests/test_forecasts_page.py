"""The leaders' forecasts page: what a leader reads on it, and who may open it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.calendar import VIETNAM_TZ
from cityops.agencies.tests.factories import AgencyFactory, AreaFactory
from cityops.indicators.choices import Frequency, Source
from cityops.indicators.models import Indicator, Upload, Value
from cityops.platform import clock
from cityops.reports.models import Report
from cityops.reports.tests.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 9, 10, tzinfo=VIETNAM_TZ)  # a Wednesday
FIRST_MONDAY = date(2026, 8, 3)  # 18 whole weeks before NOW's week


@pytest.fixture
def history():
    """Reports every week since August: more and more street-light reports, a few roads."""
    lights = CategoryFactory(code="lights", name="Chiếu sáng", name_en="Street lights")
    roads = CategoryFactory(code="roads", name="Đường sá", name_en="Roads")
    ward = AreaFactory(code="19001", name="Phường Thử")
    reports = []
    for week in range(19):
        monday = datetime.combine(FIRST_MONDAY + timedelta(weeks=week), datetime.min.time())
        for n in range(5 + week):
            submitted = (monday + timedelta(hours=9 + n)).replace(tzinfo=VIETNAM_TZ)
            category = roads if n % 4 == 0 else lights
            reports.append(
                ReportFactory.build(submitted_at=submitted, category=category, area=ward)
            )
    Report.objects.bulk_create(reports)
    return {"lights": lights, "roads": roads, "ward": ward}


@pytest.fixture
def indicator():
    """A monthly indicator with two years of figures, and one with too few."""
    department = AgencyFactory(code="so-y-te")
    upload = Upload.objects.create(source=Source.CSV, file_name="figures.csv", sha256="0" * 64)
    beds = Indicator.objects.create(
        code="hospital-beds",
        name="Giường bệnh trên 10.000 dân",
        sector="health",
        unit="giường",
        baseline_value=30,
        baseline_period=date(2025, 1, 1),
        target_value=35,
        target_year=2030,
        department=department,
        frequency=Frequency.MONTHLY,
    )
    young = Indicator.objects.create(
        code="new-indicator",
        name="Chỉ số mới",
        sector="economy",
        unit="%",
        baseline_value=1,
        baseline_period=date(2026, 1, 1),
        target_value=2,
        target_year=2030,
        department=department,
        frequency=Frequency.MONTHLY,
    )
    for index in range(24):
        period = date(2024 + index // 12, index % 12 + 1, 1)
        Value.objects.create(
            indicator=beds, period=period, value=30 + 0.2 * index, upload=upload, row=index + 1
        )
    Value.objects.create(indicator=young, period=date(2026, 1, 1), value=1, upload=upload, row=25)
    return beds


def page(client, user, **params):
    client.force_login(user)
    with clock.frozen_at(NOW):
        return client.get(reverse("dashboard:forecasts"), params)


def test_a_leader_sees_the_weekly_forecast_with_its_back_tested_error(client, history, indicator):
    response = page(client, UserFactory(role=Role.LEADER))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert 'role="img"' in html
    assert "<desc" in html
    points = response.context["volumes"]["result"].points
    assert len(points) == 8
    assert points[0].period == date(2026, 12, 7)  # starts with the week not over
    assert points[0].value > 10  # the last whole week had 23 reports
    assert html.count("data-point") >= 8
    assert 'data-backtest="model"' in html
    assert 'data-backtest="naive"' in html
    assert "data-verdict" in html


def test_a_category_and_area_are_forecast_on_their_own(client, history, indicator):
    response = page(client, UserFactory(role=Role.LEADER), category="roads", area="19001")
    result = response.context["volumes"]["result"]
    assert [n for _, n in result.history][-1] == 6  # 23 reports that week, one in four roads
    assert "Đường sá" in response.content.decode()


def test_too_little_history_is_said_not_forecast(client, history, indicator):
    response = page(client, UserFactory(role=Role.LEADER), period="month")
    html = response.content.decode()
    assert 'data-forecast="too-short"' in html
    assert response.context["volumes"]["result"].points == ()


def test_only_indicators_with_enough_history_are_offered(client, history, indicator):
    response = page(client, UserFactory(role=Role.LEADER))
    html = response.content.decode()
    assert [i.code for i in response.context["indicators"]] == ["hospital-beds"]
    assert "Giường bệnh trên 10.000 dân" in html
    assert "Chỉ số mới" not in html
    block = response.context["indicator_block"]
    assert [p.period for p in block["result"].points][:2] == [date(2026, 1, 1), date(2026, 2, 1)]
    assert block["result"].points[0].value > 34  # the figure keeps rising


def test_the_forecast_is_computed_once_for_the_same_figures(
    client, history, indicator, monkeypatch
):
    from cityops.stats.forecasts import volumes

    leader = UserFactory(role=Role.LEADER)
    page(client, leader)
    calls = []
    monkeypatch.setattr(volumes, "forecast", lambda *a, **k: calls.append(1))
    assert page(client, leader).status_code == 200
    assert calls == []


def test_the_dashboard_nav_links_to_the_forecasts(client, history):
    response = page(client, UserFactory(role=Role.LEADER))
    assert (
        f'href="{reverse("dashboard:forecasts")}" aria-current="page"' in response.content.decode()
    )


def test_citizens_and_agency_staff_may_not_open_the_forecasts(client, citizen, agency_staff):
    assert page(client, citizen).status_code == 403
    assert page(client, agency_staff).status_code == 403


def test_a_bad_choice_falls_back_to_all_reports(client, history):
    response = page(client, UserFactory(role=Role.LEADER), category="<script>", period="year")
    assert response.status_code == 200
    assert response.context["volumes"]["result"].enough_history
