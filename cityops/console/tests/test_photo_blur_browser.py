"""The photo page in Chromium: a box dragged on the photo fills the form's numbers and is saved;
clicking a detected box ticks its removal; the page runs under the site's CSP."""

from __future__ import annotations

import pytest

from cityops.console.tests.browser.conftest import DESKTOP, browser, new_page, signed_in_as
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Attachment
from cityops.reports.tests.photo_blur import FACE, blur_now, detailed_jpeg, detector_finding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["browser", "new_page"]  # the fixtures, used by name


def test_an_operator_drags_a_box_on_the_photo_and_saves_it(
    new_page, live_server, operator, make_report, monkeypatch
):
    detector_finding(monkeypatch, FACE)
    report = make_report(ReportStatus.ACCEPTED, photos=[detailed_jpeg()])
    blur_now()
    photo = report.attachments.get()

    page = new_page(DESKTOP, language="en")
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if message.type == "error" else None
    )
    signed_in_as(page, operator, live_server.url)
    page.goto(f"/console/reports/{report.pk}/photos/")
    canvas = page.locator("svg.blur-canvas")
    canvas.wait_for()
    frame = canvas.bounding_box()
    scale = frame["width"] / 320  # the photo is 320 pixels wide, shown wider or narrower

    # Drag from (200, 150) to (280, 190) in the photo's pixels.
    page.mouse.move(frame["x"] + 200 * scale, frame["y"] + 150 * scale)
    page.mouse.down()
    page.mouse.move(frame["x"] + 240 * scale, frame["y"] + 170 * scale, steps=4)
    page.mouse.move(frame["x"] + 280 * scale, frame["y"] + 190 * scale, steps=4)
    page.mouse.up()

    numbers = [
        int(page.locator(f'input[name="add-{name}"]').first.input_value())
        for name in ("x", "y", "width", "height")
    ]
    assert numbers[0] == pytest.approx(200, abs=2)
    assert numbers[1] == pytest.approx(150, abs=2)
    assert numbers[2] == pytest.approx(80, abs=3)
    assert numbers[3] == pytest.approx(40, abs=3)
    assert page.locator("rect.blur-new").count() == 1  # drawn on the photo

    page.locator("rect.blur-box").click()  # the detected face: marked for removal
    assert page.locator('input[name="remove"][value="0"]').is_checked()

    page.get_by_role("button", name="Save and blur the public copy").click()
    page.wait_for_url(f"**/console/reports/{report.pk}/photos/#photo-{photo.pk}")

    regions = Attachment.objects.get(pk=photo.pk).blur_regions
    assert [(region["kind"], region["source"]) for region in regions] == [("manual", "operator")]
    assert regions[0]["x"] == numbers[0]
    assert regions[0]["width"] == numbers[2]
    assert not [text for text in refused if "Content Security Policy" in text]
