"""The citizens' bus pages: a stop's next three buses (live or timetable), stop search, a route."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from cityops.platform import clock
from cityops.platform.ratelimit import Rate
from cityops.transit.selectors import _trip_schedule
from cityops.transit.services import PositionIn, feed_import, vehicle_position_record
from cityops.transit.tests.conftest import at
from cityops.transit.tests.factories import STOPS, feed_zip

# Four trips of route 01, ten minutes apart: at S3 at 08:10, 08:20, 08:30 and 08:40.
TRIPS = ["T1", "T2", "T3", "T4"]


def _stop_times() -> str:
    rows = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    for number, trip in enumerate(TRIPS):
        for index, (stop_id, _, _) in enumerate(STOPS):
            minutes = 8 * 60 + number * 10 + index * 5
            time = f"{minutes // 60:02d}:{minutes % 60:02d}:00"
            rows += f"{trip},{time},{time},{stop_id},{index + 1}\n"
    return rows


@pytest.fixture
def feed(db, tmp_path):
    _trip_schedule.cache_clear()
    trips = "route_id,service_id,trip_id,direction_id,trip_headsign\n" + "".join(
        f"R1,ALL,{trip},0,Bến xe phía Nam\n" for trip in TRIPS
    )
    yield feed_import(
        path=feed_zip(tmp_path, **{"trips.txt": trips, "stop_times.txt": _stop_times()})
    ).feed
    _trip_schedule.cache_clear()


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def bus_at(stop: int, when, trip="T1", vehicle="bus-01"):
    _, lat, lon = STOPS[stop]
    with clock.frozen_at(when + timedelta(seconds=2)):
        vehicle_position_record(
            position=PositionIn(vehicle_id=vehicle, lat=lat, lon=lon, timestamp=when, trip_id=trip)
        )


def get(client, url, when=None):
    with clock.frozen_at(when or at(8, 8, 10)):
        return client.get(url)


def arrivals_of(html: str) -> list[str]:
    """The arrival rows' text, squeezed: one string per bus."""
    import re

    rows = re.findall(r'<li class="arrival[^"]*">(.*?)</li>', html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_a_stop_shows_its_next_three_buses_the_live_one_marked_late(feed, english):
    bus_at(1, at(8, 8))  # T1 at S2 at 08:08, due 08:05: three minutes late
    response = get(english, reverse("portal:transit_stop", args=["S3"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html
    assert "Trạm S3" in html
    assert arrivals_of(html) == [
        "Route 01 Bến xe phía Nam Live 3 minutes late 08:13 in 5 minutes timetable 08:10",
        "Route 01 Bến xe phía Nam scheduled 08:20 in 12 minutes",
        "Route 01 Bến xe phía Nam scheduled 08:30 in 22 minutes",
    ]
    assert 'class="arrival tone-late"' in html
    assert 'class="arrival tone-scheduled"' in html


def test_a_bus_on_time_says_so_and_a_bus_past_the_stop_is_not_listed(feed, english):
    bus_at(2, at(8, 10))  # T1 at S3 on time
    bus_at(1, at(8, 15), trip="T2", vehicle="bus-02")  # T2 at S2 on time
    html = get(english, reverse("portal:transit_stop", args=["S3"]), at(8, 15, 10)).content
    rows = arrivals_of(html.decode())
    assert rows[0] == "Route 01 Bến xe phía Nam Live on time 08:20 in 5 minutes"
    assert all("08:10" not in row for row in rows)  # T1 has passed S3


def test_a_stop_with_no_bus_due_says_so(feed, english):
    html = get(english, reverse("portal:transit_stop", args=["S3"]), at(13, 0)).content.decode()
    assert "No bus is due at this stop in the next three hours." in html


def test_an_unknown_stop_or_route_is_not_found(feed, client):
    assert get(client, reverse("portal:transit_stop", args=["S9"])).status_code == 404
    assert get(client, reverse("portal:transit_route", args=["R9"])).status_code == 404


def test_stops_are_found_by_name_and_near_the_rider(feed, english):
    html = get(english, reverse("portal:transit_stops") + "?q=s2").content.decode()
    assert reverse("portal:transit_stop", args=["S2"]) in html
    assert reverse("portal:transit_stop", args=["S3"]) not in html
    _, lat, lon = STOPS[3]
    near = get(english, reverse("portal:transit_stops") + f"?lat={lat}&lon={lon + 0.001}")
    html = near.content.decode()
    assert "Stops near you" in html
    found = [html.index(reverse("portal:transit_stop", args=[s])) for s in ("S4", "S3", "S2")]
    assert found == sorted(found)  # nearest first; S1 is 1.6 km away
    assert reverse("portal:transit_stop", args=["S1"]) not in html


def test_the_stop_search_lists_the_routes_and_says_when_nothing_matches(feed, english):
    html = get(english, reverse("portal:transit_stops") + "?q=Nowhere").content.decode()
    assert "No stop has that name or code." in html
    assert reverse("portal:transit_route", args=["R1"]) in html


def test_a_route_page_has_its_map_data_its_stops_in_order_and_its_buses(feed, english):
    bus_at(1, at(8, 8))
    html = get(english, reverse("portal:transit_route", args=["R1"])).content.decode()
    assert "Bến xe phía Bắc - Bến xe phía Nam" in html
    assert "1 bus on the road now" in html
    assert 'id="route-data"' in html
    assert "vendor/leaflet/leaflet.js" in html
    order = [html.index(f"Trạm {stop_id}</a>") for stop_id, _, _ in STOPS]
    assert order == sorted(order)


def test_the_pages_are_in_vietnamese_first(feed, client):
    html = get(client, reverse("portal:transit_stop", args=["S3"])).content.decode()
    assert '<html lang="vi">' in html


def test_bus_pages_are_rate_limited_per_address(feed, client, monkeypatch):
    monkeypatch.setattr("cityops.portal.views.transit.PAGES_RATE", Rate(2, 60))
    url = reverse("portal:transit_stop", args=["S3"])
    assert [get(client, url).status_code for _ in range(3)] == [200, 200, 429]
    assert int(get(client, url)["Retry-After"]) > 0
