"""An operator on a phone creates a planning layer, uploads its GeoJSON and reads the refused
row; an import still running moves its progress bar by itself (htmx polling, under the CSP)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityops.planning.choices import ImportStatus
from cityops.planning.models import Layer, LayerImport
from cityops.planning.tests.files import BLOCKS, geojson

from .conftest import PHONE, signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_imports_a_plan_and_watches_an_import_run(
    new_page, live_server, operator, tmp_path
):
    rows = [(BLOCKS[0][0], {"MaLoaiDat": "ODT", "MaO": "A1"}), (BLOCKS[1][0], {"MaO": "B2"})]
    path = geojson(tmp_path / "phan-khu-a.geojson", rows)
    page = new_page(PHONE, language="en")
    refused_by_csp: list[str] = []
    page.on(
        "console", lambda m: refused_by_csp.append(m.text) if "Content Security" in m.text else None
    )
    signed_in_as(page, operator, live_server.url)
    page.goto("/console/planning/")
    page.get_by_label("Title *").fill("Phân khu A")
    page.get_by_label("Identifier *").fill("phan-khu-a")
    page.get_by_label("Plan *").fill("Quy hoạch phân khu A")
    page.get_by_label("Decision number *").fill("12/QĐ-UBND")
    page.get_by_label("Decision date *").fill("2024-05-02")
    page.get_by_label("Valid as of *").fill("2024-06-01")
    page.get_by_role("button", name="Create the layer").click()
    page.wait_for_url("**/console/planning/phan-khu-a/")
    page.get_by_label("File *").set_input_files(str(path))
    page.get_by_label("Coordinate system *").select_option("wgs84")
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url("**/console/planning/phan-khu-a/")
    done = page.locator("article.planning-import").first
    # the job ran in the city's language; this operator reads the console in English
    assert done.get_by_text("Zones imported: 1 ").is_visible()
    assert done.get_by_text("No land-use code (field MaLoaiDat).").is_visible()

    # Another import, still running: its bar follows the job without a reload.
    running = LayerImport.objects.create(
        layer=Layer.objects.get(slug="phan-khu-a"), file_name="lon.zip",
        status=ImportStatus.RUNNING, total=400, done=100,
    )  # fmt: skip
    page.reload()
    bar = page.locator(f"#progress-{running.pk}")
    assert bar.get_attribute("value") == "100"
    LayerImport.objects.filter(pk=running.pk).update(done=400, status=ImportStatus.DONE)
    expect(bar).to_have_attribute("value", "400", timeout=10_000)  # polled every 2 s
    assert page.locator(f"#import-{running.pk}").get_attribute("hx-get") is None
    assert refused_by_csp == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
