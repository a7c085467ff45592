"""A camera's red-light case in Chromium, from the officers' workspace to the public lookup:
officer A signs in (landing on the cases), reviews the case and cannot confirm it himself;
officer B confirms it, records the owner and issues the notice; someone holding the notice
looks the case up and sees the three frames, blurred.

With CITYOPS_SCREENSHOTS_DIR set, the case page and the public lookup are also photographed at
phone and desktop widths (docs/screenshots/violations-*.png)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cityops.demo.violations import violations_seed_demo
from cityops.monitoring.services import sensors_seed_demo
from cityops.violations.choices import CaseStatus, EvidenceKind
from cityops.violations.models import Case
from cityops.violations.tests.pages.world import OWNER_ADDRESS, OWNER_NAME, case_detected, case_in

from .conftest import DESKTOP, PHONE, signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the user factory's


def _loaded_images(page, selector: str) -> list[str]:
    """The sources of the images matching ``selector`` that the browser decoded."""
    page.wait_for_function(
        "selector => [...document.querySelectorAll(selector)].every(i => i.complete)", arg=selector
    )
    return page.eval_on_selector_all(
        selector, "images => images.filter(i => i.complete && i.naturalWidth > 0).map(i => i.src)"
    )


def test_two_officers_take_a_case_to_its_notice_and_the_public_sees_it_blurred(
    new_page, live_server, officer_a, officer_b, camera, real_detector
):
    case = case_detected(camera)

    # Officer A signs in and lands on the cases; he opens the new one and reviews it.
    page_a = new_page(DESKTOP, language="en")
    page_a.goto("/account/sign-in")
    page_a.get_by_label("Email, phone number or user name").fill(officer_a.username)
    page_a.get_by_label("Password").fill(PASSWORD)
    page_a.get_by_role("button", name="Sign in").last.click()
    page_a.wait_for_url("**/console/violations/")
    page_a.get_by_role("link", name=case.number).click()
    page_a.wait_for_url(f"**/console/violations/{case.pk}/")
    assert len(_loaded_images(page_a, ".frames img")) == 3  # the originals, for an officer
    page_a.get_by_label("Note (optional)").fill("Đèn đỏ rõ, biển số đọc đúng.")
    page_a.get_by_role("button", name="Mark as reviewed").click()
    page_a.wait_for_url(f"**/console/violations/{case.pk}/")
    assert page_a.get_by_text("a second officer confirms or rejects it").is_visible()

    # The reviewer cannot confirm his own review: the page says why, nothing changes.
    assert page_a.get_by_text("You reviewed this case").first.is_visible()
    page_a.get_by_role("button", name="Confirm the violation").click()
    page_a.wait_for_url(f"**/console/violations/{case.pk}/")
    assert page_a.locator(
        ".message-error", has_text="A second officer must take this step"
    ).is_visible()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEWED

    # Officer B confirms, records the owner from the register and issues the notice.
    page_b = new_page(DESKTOP, language="en")
    signed_in_as(page_b, officer_b, live_server.url)
    page_b.goto(f"/console/violations/{case.pk}/")
    page_b.get_by_role("button", name="Confirm the violation").click()
    page_b.wait_for_url(f"**/console/violations/{case.pk}/")
    page_b.get_by_label("Owner's name").fill(OWNER_NAME)
    page_b.get_by_label("Owner's address").fill(OWNER_ADDRESS)
    page_b.get_by_role("button", name="Record the owner").click()
    page_b.wait_for_url(f"**/console/violations/{case.pk}/")
    page_b.get_by_role("button", name="Issue the notice").click()
    page_b.wait_for_url(f"**/console/violations/{case.pk}/")
    download = page_b.get_by_role("link", name="Download the notice (PDF)")
    assert download.is_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTICE_ISSUED
    assert (case.reviewed_by, case.decided_by) == (officer_a, officer_b)
    pdf = page_b.request.get(download.get_attribute("href"))
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    assert OWNER_NAME not in page_b.content()  # not even the officer sees it unasked

    # Someone holding the notice types its number and code (no session: the public).
    public = new_page(PHONE, language="en")
    public.goto("/violations/")
    public.get_by_label("Case number").fill(case.number)
    public.get_by_label("Lookup code").fill(case.lookup_code)
    public.get_by_role("button", name="Look up the case").click()
    public.wait_for_url(f"**/violations/{case.number}?code={case.lookup_code}")
    assert public.get_by_role("heading", name=f"Violation case {case.number}").is_visible()
    assert public.get_by_text("Running a red light").first.is_visible()
    sources = _loaded_images(public, ".frames img")
    assert len(sources) == 3
    frames = list(case.evidence.filter(kind=EvidenceKind.FRAME).order_by("position"))
    for source, frame in zip(sorted(sources), frames, strict=True):
        assert f"/violations/{case.number}/frames/{frame.position}.jpg" in source
        served = public.request.get(source).body()
        assert served == frame.public_file.open("rb").read()
        assert served != frame.file.open("rb").read()
        assert any(region["kind"] == "plate" for region in frame.blur_regions)
    content = public.content()
    assert OWNER_NAME not in content
    assert OWNER_ADDRESS not in content
    assert "/console/" not in content


@pytest.mark.skipif(
    not os.environ.get("CITYOPS_SCREENSHOTS_DIR"), reason="set CITYOPS_SCREENSHOTS_DIR to take"
)
def test_screenshots_of_the_case_page_and_the_public_lookup(
    new_page, live_server, officer_a, officer_b, camera, leader, real_detector
):
    out = Path(os.environ["CITYOPS_SCREENSHOTS_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    sensors_seed_demo(backfill_hours=0)  # the simulated cameras, for the demo's cases
    violations_seed_demo()  # first: it seeds a database without cases only
    case = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)
    lookup = f"/violations/{case.number}?code={case.lookup_code}"
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        staff = new_page(viewport, language="vi")
        signed_in_as(staff, officer_a, live_server.url)
        staff.goto(f"/console/violations/{case.pk}/")
        staff.screenshot(path=str(out / f"violations-case-{size}.png"), full_page=True)
        public = new_page(viewport, language="vi")
        public.goto("/violations/")
        public.screenshot(path=str(out / f"violations-lookup-form-{size}.png"), full_page=True)
        public.goto(lookup)
        public.screenshot(path=str(out / f"violations-lookup-{size}.png"), full_page=True)
    dashboard = new_page(DESKTOP, language="vi")
    signed_in_as(dashboard, leader, live_server.url)
    dashboard.goto("/dashboard/violations/?days=30")
    dashboard.wait_for_selector("#hotspot-map path.leaflet-interactive")
    dashboard.screenshot(path=str(out / "violations-dashboard-desktop.png"), full_page=True)
