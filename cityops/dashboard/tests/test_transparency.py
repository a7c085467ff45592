"""The public transparency page: figures per agency and category, a fair ranking with its rule
shown, no personal data, and a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.calendar import VIETNAM_TZ
from cityops.agencies.tests.factories import AgencyFactory
from cityops.platform import clock
from cityops.reports.tests.helpers import report_in
from cityops.stats.kpis import RANKING_MIN_PROCESSED

pytestmark = pytest.mark.django_db

OCTOBER = datetime(2026, 10, 6, 9, tzinfo=VIETNAM_TZ)


def handled_by(unit, count, operator, **kwargs):
    staff = UserFactory(role=Role.AGENCY_STAFF, agency=unit)
    with clock.frozen_at(OCTOBER):
        return [
            report_in("resolved", operator=operator, agency=unit, staff=staff, **kwargs)
            for _ in range(count)
        ]


def test_anyone_may_read_the_transparency_page(client):
    response = client.get(reverse("public_stats:transparency"))
    assert response.status_code == 200
    assert "portal/base.html" in [t.name for t in response.templates]


def test_only_agencies_above_the_minimum_are_ranked_and_the_rule_is_shown(client, operator):
    busy = AgencyFactory(name="Công ty Môi trường", code="moi-truong")
    small = AgencyFactory(name="UBND phường nhỏ", code="phuong-nho")
    handled_by(busy, RANKING_MIN_PROCESSED, operator)
    handled_by(small, 1, operator)

    response = client.get(reverse("public_stats:transparency"), {"month": "2026-10"})
    ranked, unranked = response.context["ranked"], response.context["unranked"]
    assert [(item["row"].code, item["row"].position) for item in ranked] == [("moi-truong", 1)]
    assert [(item["row"].code, item["row"].position) for item in unranked] == [("phuong-nho", None)]
    content = response.content.decode()
    assert (
        f"at least {RANKING_MIN_PROCESSED} processed reports" in content
        or str(RANKING_MIN_PROCESSED) in content
    )
    assert 'id="definitions"' in content


def test_the_page_shows_no_personal_data(client, operator):
    reporter = UserFactory(username="tran-thi-bich", full_name="Trần Thị Bích", role=Role.CITIZEN)
    handled_by(
        AgencyFactory(),
        1,
        operator,
        reporter=reporter,
        contact_phone="0912345678",
        description="Gọi tôi 0905 123 456",
    )
    content = client.get(reverse("public_stats:transparency"), {"month": "2026-10"}).content
    for personal in ("0912345678", "0905 123 456", "tran-thi-bich", "Bích", "Gọi tôi"):
        personal = personal.encode()
        assert personal not in content


def test_the_monthly_trend_covers_twelve_months_up_to_the_chosen_one(client, operator):
    handled_by(AgencyFactory(), 2, operator)
    trend = (
        client.get(reverse("public_stats:transparency"), {"month": "2026-10"}).context["data"].trend
    )
    assert trend[0][0].isoformat() == "2025-11-01"
    assert len(trend) == 12
    assert trend[-1][1].processed == 2


def test_the_page_takes_the_same_number_of_queries_for_more_agencies(
    client, operator, django_assert_max_num_queries
):
    handled_by(AgencyFactory(), 1, operator)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("public_stats:transparency"), {"month": "2026-10"})
    cache.clear()
    for _ in range(4):
        handled_by(AgencyFactory(), 2, operator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("public_stats:transparency"), {"month": "2026-10"})


def test_the_figures_are_cached_briefly(client, operator, django_assert_max_num_queries):
    handled_by(AgencyFactory(), 1, operator)
    client.get(reverse("public_stats:transparency"), {"month": "2026-10"})
    with django_assert_max_num_queries(2):
        client.get(reverse("public_stats:transparency"), {"month": "2026-10"})
