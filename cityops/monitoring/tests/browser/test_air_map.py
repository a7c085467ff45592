"""The AQI map in Chromium: stations appear in their band's colour, the legend is readable."""

from datetime import timedelta

import pytest

from cityops.monitoring.payloads import Row
from cityops.monitoring.services import readings_store
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.portal.tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_stations_show_on_the_map_in_their_band_colour(new_page, live_server):
    sensor = SensorFactory(code="hue-aq-01", name="Đông Ba")
    now = clock.now()
    readings_store(
        rows=[Row(sensor.pk, sensor.code, "pm25", now - timedelta(hours=h), 60.0) for h in range(3)]
    )
    page = new_page(PHONE, "en")
    page.goto(f"{live_server.url}/air/")
    dot = page.locator(".aqi-dot.level-3")
    dot.wait_for()
    assert dot.inner_text() == "117"
    assert "rgb(255, 126, 0)" in dot.evaluate("e => getComputedStyle(e).backgroundColor")
    assert page.get_by_role("heading", name="AQI levels").is_visible()
    assert page.get_by_role("row", name="Đông Ba").is_visible()
    page.locator(".leaflet-marker-icon").first.click()
    assert "Poor" in page.locator(".leaflet-popup-content").inner_text()
