"""The map /console/map/ and its reports layer /console/map.geojson."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.utils import timezone

from cityops.console.layers import MAP_LAYERS, MapLayer, map_layer_add
from cityops.platform import clock
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.helpers import submit

S = ReportStatus
POINTS = "/console/map.geojson"


def features(response) -> dict[int, dict]:
    assert response["Content-Type"] == "application/geo+json"
    return {feature["properties"]["id"]: feature for feature in response.json()["features"]}


def test_operators_and_leaders_open_the_map_with_its_layers_and_legend(
    operator_client, leader_client
):
    for client in (operator_client, leader_client):
        response = client.get("/console/map/", {"priority": "urgent"})
        assert response.status_code == 200
        page = response.content.decode()
        layers = json.loads(re.search(r'id="map-layers"[^>]*>(.*?)</script>', page).group(1))
        assert layers[0]["key"] == "reports"
        assert layers[0]["url"] == f"{POINTS}?priority=urgent"
        assert "In progress" in page  # the legend says the status in words
        assert "vendor/leaflet/leaflet.js" in page


def test_the_points_are_the_reports_in_hand_with_status_and_a_link(operator_client, make_report):
    waiting = make_report(S.SUBMITTED, description="Đèn đường hỏng")
    make_report(S.CLOSED)
    found = features(operator_client.get(POINTS))
    assert list(found) == [waiting.pk]
    point = found[waiting.pk]
    assert point["geometry"]["coordinates"] == [107.59, 16.46]
    assert point["properties"]["status"] == "submitted"
    assert point["properties"]["status_label"] == "Submitted"
    assert point["properties"]["url"] == f"/console/reports/{waiting.pk}/"
    assert point["properties"]["category"] == "Sanitation"
    assert point["properties"]["overdue"] is False


def test_the_points_follow_the_filters_and_mark_overdue_ones(operator_client, make_report):
    with clock.frozen_at(timezone.now() - timedelta(days=30)):
        late = make_report(S.ASSIGNED)
    closed = make_report(S.CLOSED)
    assert features(operator_client.get(POINTS, {"overdue": "1"}))[late.pk]["properties"]["overdue"]
    assert set(features(operator_client.get(POINTS, {"status": "all"}))) == {late.pk, closed.pk}


def test_reports_without_a_place_are_not_on_the_map(operator_client, category):
    submit(category=category, lat=None, lon=None, address="Chợ Đông Ba")
    assert features(operator_client.get(POINTS)) == {}


def test_leaders_read_the_titles_with_personal_data_masked(
    operator_client, leader_client, category
):
    report = submit(category=category, description="Gọi tôi 0905123456 khi xử lý")
    assert "0905123456" in features(operator_client.get(POINTS))[report.pk]["properties"]["title"]
    assert "0905123456" not in features(leader_client.get(POINTS))[report.pk]["properties"]["title"]


def test_other_apps_add_their_layers_once(operator_client, monkeypatch):
    monkeypatch.setattr("cityops.console.layers.MAP_LAYERS", list(MAP_LAYERS))
    layer = MapLayer(key="stations", label="Stations", url_name="console:points", kind="points")
    map_layer_add(layer)
    map_layer_add(layer)
    page = operator_client.get("/console/map/").content.decode()
    layers = json.loads(re.search(r'id="map-layers"[^>]*>(.*?)</script>', page).group(1))
    keys = [entry["key"] for entry in layers]
    assert keys[0] == "reports"
    assert keys.count("stations") == 1


def test_the_map_is_for_ioc_staff_and_leaders_only(client, agency_staff, citizen):
    assert client.get(POINTS).status_code == 302
    for user in (agency_staff, citizen):
        client.force_login(user)
        assert client.get(POINTS).status_code == 403
        assert client.get("/console/map/").status_code == 403
