"""A stop's next buses on a phone (390 px) in Chromium: three arrivals, the live one marked and
readable, nothing scrolling sideways, every link reachable from the keyboard."""

from __future__ import annotations

import os
from zoneinfo import ZoneInfo

import pytest

from cityops.platform import clock
from cityops.portal.tests.browser.conftest import PHONE
from cityops.transit.selectors import _trip_schedule
from cityops.transit.services import PositionIn, feed_import, vehicle_position_record
from cityops.transit.tests.factories import STOPS, feed_zip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HUE = ZoneInfo("Asia/Ho_Chi_Minh")


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def feed_around_now(folder, now):
    """Three trips: T1 due at S2 three minutes ago (its bus is there now), T2 and T3 later."""
    local = now.astimezone(HUE)
    base = local.hour * 3600 + local.minute * 60 + local.second
    if base < 30 * 60:
        pytest.skip("the page's times are built around now: not in the half hour after midnight")
    rows = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    for number, trip in enumerate(("T1", "T2", "T3")):
        for index, (stop_id, _, _) in enumerate(STOPS):
            time = _hms(base - 480 + number * 600 + index * 300)
            rows += f"{trip},{time},{time},{stop_id},{index + 1}\n"
    trips = "route_id,service_id,trip_id,direction_id,trip_headsign\n" + "".join(
        f"R1,ALL,{trip},0,Bến xe phía Nam\n" for trip in ("T1", "T2", "T3")
    )
    return feed_zip(folder, **{"trips.txt": trips, "stop_times.txt": rows})


def test_a_stop_page_reads_well_on_a_phone(new_page, live_server, tmp_path):
    _trip_schedule.cache_clear()
    now = clock.now()
    feed_import(path=feed_around_now(tmp_path, now))
    _, lat, lon = STOPS[1]
    vehicle_position_record(
        position=PositionIn(vehicle_id="bus-01", lat=lat, lon=lon, timestamp=now, trip_id="T1")
    )
    page = new_page(PHONE, "en")
    page.goto("/buses/stops/S3")

    rows = page.locator("li.arrival")
    assert rows.count() == 3
    first = rows.first
    assert first.locator(".kind.live").is_visible()
    assert "3 minutes late" in first.inner_text()
    assert "scheduled" in rows.nth(1).inner_text()
    assert not rows.nth(1).locator(".live").count()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    time_size = first.locator(".arrival-when time").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert time_size >= 20  # the time is what a rider glances at
    # Keyboard: the route badge is reachable and shows its focus.
    badge = first.get_by_role("link", name="Route 01")
    badge.focus()
    assert page.evaluate("document.activeElement.textContent").strip().endswith("01")
    if os.environ.get("CITYOPS_SHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["CITYOPS_SHOTS"], "stop-phone.png"), full_page=True
        )
    _trip_schedule.cache_clear()
