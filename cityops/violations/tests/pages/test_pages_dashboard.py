"""The leaders' violations page: repeat offenders (plates masked for all but officers) and hot
spots (a table, and a map's data per camera) over the chosen period."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.violations.choices import CaseStatus, Rule, VehicleType

from .world import case_detected, case_in


@pytest.fixture
def month(camera, officer_a, officer_b):
    """One car seen three times at Lê Lợi (once long ago), a motorbike twice at the bridge, a
    rejected case that does not count."""
    bridge = SensorFactory(code="hue-cam-truong-tien", name="Cầu Trường Tiền",
                           kind=SensorKind.CAMERA, metrics=[], lat=16.468, lon=107.589)  # fmt: skip
    now = clock.now()
    for hours in (1, 30):
        case_detected(camera, plate="75A-123.45", observed_at=now - timedelta(hours=hours),
                      clip=False)  # fmt: skip
    case_detected(camera, plate="75A-123.45", observed_at=now - timedelta(days=40), clip=False)
    for hours in (2, 50):
        case_detected(bridge, plate="75B1-234.56", rule=Rule.NO_HELMET,
                      vehicle_type=VehicleType.MOTORBIKE,
                      observed_at=now - timedelta(hours=hours), clip=False)  # fmt: skip
    case_in(CaseStatus.REJECTED, camera, reviewer=officer_a, decider=officer_b,
            plate="92A-555.66", observed_at=now - timedelta(hours=4), clip=False)  # fmt: skip
    return {"bridge": bridge}


def _page(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("dashboard:violations"), query)
    assert response.status_code == 200
    return response


def test_a_leader_sees_repeat_offenders_with_their_plates_masked(client, leader, month):
    page = _page(client, leader).content.decode()
    assert "75A-123.**" in page
    assert "75B1-234.**" in page
    assert "75A-123.45" not in page
    assert "75B1-234.56" not in page
    assert "92A-555" not in page  # a rejected case is no offence


def test_an_officer_sees_whole_plates_that_open_their_cases(client, officer_a, month):
    page = _page(client, officer_a).content.decode()
    assert f'href="{reverse("console:violations:cases")}?plate=75A-123.45"' in page


def test_the_period_counts_the_cases_inside_it(client, leader, month):
    offenders = _page(client, leader, days=90).context["offenders"]
    assert [(row.plate, row.count) for row in offenders] == [
        ("75A-123.45", 3),
        ("75B1-234.56", 2),
    ]
    week = _page(client, leader, days=7).context["offenders"]
    assert ("75A-123.45", 2) in [(row.plate, row.count) for row in week]


def test_hot_spots_are_a_table_and_one_marker_per_camera(client, operator, camera, month):
    response = _page(client, operator)
    page = response.content.decode()
    assert "Ngã tư Lê Lợi – Hùng Vương" in page
    assert "Cầu Trường Tiền" in page
    start = page.index('<script id="hotspot-data" type="application/json">') + len(
        '<script id="hotspot-data" type="application/json">'
    )
    markers = json.loads(page[start : page.index("</script>", start)])
    by_code = {marker["code"]: marker for marker in markers}
    assert by_code[camera.code]["count"] == 2
    assert by_code["hue-cam-truong-tien"]["count"] == 2
    assert (by_code["hue-cam-truong-tien"]["lat"], by_code["hue-cam-truong-tien"]["lon"]) == (
        16.468,
        107.589,
    )
    assert by_code["hue-cam-truong-tien"]["rules"] == [
        {"rule": "Riding without a helmet", "count": 2}
    ]


def test_a_wrong_period_falls_back_to_thirty_days(client, leader, month):
    assert _page(client, leader, days="3650").context["days"] == 30


@pytest.mark.parametrize("role", ["citizen", "agency_staff"])
def test_citizens_and_agency_staff_do_not_see_the_page(client, request, role, db):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("dashboard:violations")).status_code == 403


def test_the_leaders_menu_leads_to_the_page(client, leader, db):
    client.force_login(leader)
    page = client.get(reverse("dashboard:overview")).content.decode()
    assert f'href="{reverse("dashboard:violations")}"' in page
