"""A resident taps the map on a phone, reads the planned use of the spot, switches on the
plan's layer, and opens the printable extract."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from cityops.planning.services import ZoneRow

from ..conftest import make_layer
from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_taps_the_map_reads_the_planned_use_and_prints_the_extract(new_page):
    # A block around the map's first centre (16.4637, 107.5909), so a tap there lands in it.
    make_layer("phan-khu-phu-hoi", title="Phân khu Phú Hội", rows=[
        ZoneRow(use_code="ODT", use_name="Đất ở đô thị", zone_code="ODT-12",
                geometry=box(107.585, 16.458, 107.597, 16.469)),
    ])  # fmt: skip
    page = new_page(PHONE, language="en")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/planning/")
    map_box = page.locator("#planning-map").bounding_box()
    assert map_box["width"] <= PHONE["width"]
    page.mouse.click(map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    answer = page.locator(".planning-result")
    answer.wait_for()
    assert answer.get_by_text("Đất ở tại đô thị").is_visible()
    assert answer.get_by_text("ODT-12").is_visible()
    assert "lat=16.46" in page.url  # the answer has an address to share
    # The plan's layer, switched on from the map's layer control.
    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("Phân khu Phú Hội").check()
    page.locator("path.leaflet-interactive").first.wait_for()
    # The page fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Printable extract").click()
    page.wait_for_url("**/planning/extract?**")
    assert page.get_by_role("heading", name="Planning extract").is_visible()
    assert page.locator("svg.extract-sketch path").count() == 1
    assert page.get_by_text("It is not a planning certificate").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print").is_visible()
    assert problems == []
