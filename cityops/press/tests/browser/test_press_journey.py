"""An operator in Chromium: opens the press pages from the console's menu, follows the top
story, and turns it into a field report assigned to an agency. With CITYOPS_SCREENSHOTS_DIR
set, the press overview (phone) and the story (desktop) are also photographed
(docs/screenshots/press-*.png)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cityops.agencies.tests.factories import AreaFactory
from cityops.console.tests.browser.conftest import signed_in_as
from cityops.press.choices import WatchKind
from cityops.press.models import Story
from cityops.press.services import watch_entry_create
from cityops.press.tests.factories import SourceFactory
from cityops.press.tests.pages import item_written
from cityops.reports.choices import Channel
from cityops.reports.models import Report

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLOOD_LEAD = (
    "Mưa lớn kéo dài khiến nhiều tuyến đường ở phường Phú Hội bị ngập sâu, Sở Xây dựng "
    "đang huy động máy bơm; người dân bức xúc vì tình trạng ngập lặp lại."
)


@pytest.fixture
def week_of_press(categories):
    """A flood told by three outlets, and a few calmer stories over the week (dates from now:
    the live server's clock is not frozen)."""
    AreaFactory(name="Phường Phú Hội", centroid_lat=16.4655, centroid_lon=107.5975)
    watch_entry_create(kind=WatchKind.AGENCY, name="Sở Xây dựng")
    now = timezone.now()
    outlets = [SourceFactory(name=name) for name in ("Báo Sông Hương", "Tin Cố Đô", "Huế 24h")]
    for number, outlet in enumerate(outlets):
        item_written(
            outlet,
            title="Mưa lớn gây ngập sâu nhiều tuyến đường ở phường Phú Hội",
            lead=FLOOD_LEAD,
            url=f"https://bao-{number}.vn/ngap-phu-hoi",
            published_at=now - timedelta(hours=5 - number),
        )
    calm = [
        "Lễ hội đèn lồng bên bờ sông Hương thu hút du khách",
        "Huế khai trương tuyến xe buýt mới đến sân bay Phú Bài",
        "Cảm ơn người dân đã giữ vệ sinh khu vực chợ Đông Ba",
        "Thành phố lấy ý kiến về quy hoạch công viên ven sông",
    ]
    for day, title in enumerate(calm, start=1):
        item_written(
            outlets[day % 3],
            title=title,
            lead=title + ".",
            url=f"https://bao-{day}.vn/tin-{day}",
            published_at=now - timedelta(days=day, hours=2),
        )
    return Story.objects.filter(items__title__startswith="Mưa lớn").distinct().get()


def test_an_operator_turns_the_top_press_story_into_a_field_report(
    new_page, live_server, operator, agency, week_of_press
):
    page = new_page(DESKTOP, language="en")
    signed_in_as(page, operator, live_server.url)
    page.goto("/console/")

    page.get_by_role("navigation", name="Staff menu").get_by_role("link", name="Press").click()
    page.wait_for_url("**/console/press/")
    assert page.get_by_role("heading", name="Press monitoring", exact=True).is_visible()
    assert page.locator("rect.bar-items").count() == 7
    page.get_by_role("link", name=week_of_press.headline).first.click()
    page.wait_for_url(f"**/console/press/stories/{week_of_press.pk}/")
    assert page.locator("mark", has_text="Sở Xây dựng").count() == 3
    assert page.locator("a.link-out[rel='noopener noreferrer']").count() == 3

    page.get_by_label("Assign to the agency (optional)").select_option(str(agency.pk))
    page.get_by_label("Add to the description (optional)").fill("Kiểm tra các điểm ngập.")
    page.get_by_role("button", name="Turn into a field report").click()

    page.wait_for_url("**/console/reports/*/")
    report = Report.objects.get()
    assert page.url.endswith(f"/console/reports/{report.pk}/")
    assert (report.channel, report.agency) == (Channel.PRESS, agency)


@pytest.mark.skipif(
    not os.environ.get("CITYOPS_SCREENSHOTS_DIR"), reason="set CITYOPS_SCREENSHOTS_DIR to take"
)
def test_screenshots_of_the_press_pages(new_page, live_server, operator, week_of_press):
    out = Path(os.environ["CITYOPS_SCREENSHOTS_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    phone = new_page(PHONE, language="vi")
    signed_in_as(phone, operator, live_server.url)
    phone.goto("/console/press/")
    phone.screenshot(path=str(out / "press-overview-phone.png"), full_page=True)
    desktop = new_page(DESKTOP, language="vi")
    signed_in_as(desktop, operator, live_server.url)
    desktop.goto(f"/console/press/stories/{week_of_press.pk}/")
    desktop.screenshot(path=str(out / "press-story-desktop.png"), full_page=True)
