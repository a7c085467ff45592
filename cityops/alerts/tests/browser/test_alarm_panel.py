"""An operator's alarm panel in Chromium: a camera alarm arrives without a reload, is
acknowledged, assigned and turned into a report; the public warnings page shows its map."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.tests.factories import AreaFactory
from cityops.alerts.choices import AlarmType, Severity
from cityops.alerts.models import Alarm
from cityops.alerts.payloads import CameraEventIn
from cityops.alerts.services import alarm_raise, bulletin_create, camera_event_submit
from cityops.alerts.tests.browser.conftest import DESKTOP, PHONE, shot, signed_in_as
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.reports.choices import Channel
from cityops.reports.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cameras(db):
    return [
        SensorFactory(code="hue-cam-01", name="Camera cầu Trường Tiền", kind=SensorKind.CAMERA),
        SensorFactory(code="hue-cam-02", name="Camera chợ Đông Ba", kind=SensorKind.CAMERA,
                      lat=16.4735, lon=107.588),
    ]  # fmt: skip


def test_a_camera_alarm_arrives_live_and_is_handled(
    new_page, live_server, live_streams, operator, cameras
):
    CategoryFactory(code="public-order", name="An ninh, trật tự", name_en="Public order")
    colleague = UserFactory(username="ca-dem", full_name="Lan", role=Role.OPERATOR)
    station = SensorFactory(code="hue-aq-03", name="Quan trắc không khí Phú Bài")
    alarm_raise(
        sensor=station,
        type=AlarmType.THRESHOLD,
        severity=Severity.MAJOR,
        message="PM2.5 62.4 µg/m³, > 50 µg/m³ for 15 min",
        value=62.4,
    )
    alarm_raise(sensor=station, type=AlarmType.OFFLINE, severity=Severity.MINOR,
                message="No data for 30 min: last heard from 20/11/2026 07:41")  # fmt: skip

    page = new_page(DESKTOP, language="en")
    signed_in_as(page, operator, live_server.url)
    page.goto("/console/alarms/")
    page.wait_for_selector(".live-status[data-state=live]")
    page.evaluate("window.stillTheSamePage = true")

    # The camera's analytics see a car parked on the bridge: the alarm appears by itself.
    raised = camera_event_submit(
        code="hue-cam-01",
        event=CameraEventIn(type="illegal_parking", observed_at=clock.now(), confidence=0.88),
    )
    row = page.locator(f'tr[data-alarm="{raised.alarm.pk}"]')
    row.wait_for(timeout=5_000)
    assert "live-new" in (row.get_attribute("class") or "")
    assert "Camera cầu Trường Tiền" in row.inner_text()
    assert page.evaluate("window.stillTheSamePage") is True

    # A second sighting bumps the same alarm's count, live.
    camera_event_submit(
        code="hue-cam-01",
        event=CameraEventIn(type="illegal_parking", observed_at=clock.now(), confidence=0.9),
    )
    page.locator(f'tr[data-alarm="{raised.alarm.pk}"] td.num').get_by_text("2").wait_for()
    shot(page, "alarms-desktop-en")

    # Acknowledge, then give it to a colleague.
    row = page.locator(f'tr[data-alarm="{raised.alarm.pk}"]')
    row.get_by_role("button", name="Acknowledge").click()
    page.get_by_text(f"Alarm #{raised.alarm.pk} acknowledged.").wait_for()
    row = page.locator(f'tr[data-alarm="{raised.alarm.pk}"]')
    row.get_by_label(f"Assign alarm #{raised.alarm.pk} to").select_option(str(colleague.pk))
    row.get_by_role("button", name="Assign").click()
    page.get_by_text(f"Alarm #{raised.alarm.pk} assigned to Lan").wait_for()

    # Turn it into a report: the report's triage page opens.
    page.locator(f'tr[data-alarm="{raised.alarm.pk}"]').get_by_role(
        "button", name="Turn into a report"
    ).click()
    page.wait_for_url("**/console/reports/*/")
    alarm = Alarm.objects.get(pk=raised.alarm.pk)
    assert alarm.acknowledged_by == operator
    assert alarm.assignee == colleague
    assert alarm.report is not None
    assert alarm.report.channel == Channel.MONITORING
    page.context.close()


def test_the_alarm_panel_on_a_phone(new_page, live_server, live_streams, operator, cameras):
    for camera, kind, severity in (
        (cameras[0], AlarmType.ACCIDENT, Severity.MAJOR),
        (cameras[1], AlarmType.FIRE_SMOKE, Severity.CRITICAL),
    ):
        alarm_raise(sensor=camera, type=kind, severity=severity, message=str(kind.label))
    page = new_page(PHONE, language="en")
    signed_in_as(page, operator, live_server.url)
    page.goto("/console/alarms/")
    page.wait_for_selector(".live-status[data-state=live]")
    # Cards on a phone: every cell carries its label, nothing overflows sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    first = page.locator("tr[data-alarm]").first
    assert "Fire or smoke" in first.inner_text()
    shot(page, "alarms-phone-en")
    first.get_by_role("link").click()
    page.wait_for_url("**/console/alarms/*/")
    assert page.get_by_role("heading", name="Handle the alarm").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "alarm-phone-en")
    page.context.close()


def test_the_public_warnings_page_shows_the_areas_on_a_map(new_page, live_server, operator):
    ward = AreaFactory(name="Phường Phú Xuân", centroid_lat=16.47, centroid_lon=107.58)
    now = clock.now()
    bulletin_create(
        actor=operator,
        kind="flood",
        headline="Cảnh báo ngập úng cục bộ tại Phú Xuân",
        description="Mưa lớn kéo dài; nhiều tuyến đường ngập 0,3 m.",
        instruction="Hạn chế đi qua các đoạn đường ngập.",
        severity="severe",
        expires=now + timedelta(hours=12),
        areas=[ward],
    )
    bulletin_create(
        actor=operator,
        kind="air_quality",
        headline="Chất lượng không khí kém gần khu công nghiệp Phú Bài",
        severity="minor",
        expires=now + timedelta(hours=6),
        area_description="Phú Bài",
        geometry={
            "type": "Polygon",
            "coordinates": [[[107.68, 16.39], [107.72, 16.39], [107.72, 16.42], [107.68, 16.39]]],
        },
    )
    for viewport, name in ((DESKTOP, "warnings-desktop-en"), (PHONE, "warnings-phone-en")):
        page = new_page(viewport, language="en")
        page.goto("/warnings/")
        page.wait_for_selector("#warnings-map path.leaflet-interactive")
        assert page.locator("#warnings-map path.leaflet-interactive").count() == 2
        assert page.get_by_role("heading", name="2 warnings in force").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(page, name)
        page.locator(".warning h3 a").first.click()
        page.wait_for_url("**/warnings/*")
        assert page.get_by_text("Hạn chế đi qua các đoạn đường ngập.").is_visible()
