"""The console's alarm panel: who may open it, what leaders see, each action through its form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.alerts.choices import AlarmType, Severity
from cityops.alerts.models import Alarm, OnDuty
from cityops.alerts.services import alarm_raise
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform.images import image_clean
from cityops.reports.choices import Channel
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps

LIST = reverse("console:alerts:alarms")
TABLE = reverse("console:alerts:alarm_table")


@pytest.fixture
def alarm(camera):
    return alarm_raise(
        sensor=camera,
        type=AlarmType.ACCIDENT,
        severity=Severity.MAJOR,
        message="Va chạm giao thông trên cầu",
        confidence=0.8,
        snapshot=image_clean(jpeg_with_gps()),
    ).alarm


def as_user(client, user):
    client.force_login(user)
    return client


def post(client, name, alarm, **data):
    return client.post(reverse(f"console:alerts:{name}", args=[alarm.pk]), data)


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        LIST,
        TABLE,
        "/console/alarms/{pk}/",
        "/console/alarms/{pk}/snapshot.jpg",
        "/console/alarms/points.geojson",
        "/console/bulletins/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, alarm, url):
    response = client.get(url.format(pk=alarm.pk))
    assert response.status_code == 302
    assert "/account/sign-in" in response["Location"]


@pytest.mark.parametrize("who", ["citizen", "agency_staff"])
def test_citizens_and_agencies_may_not_open_the_alarm_panel(client, alarm, who, request):
    as_user(client, request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(f"/console/alarms/{alarm.pk}/").status_code == 403
    assert post(client, "acknowledge", alarm).status_code == 403


def test_a_leader_reads_the_panel_without_any_action(client, leader, alarm):
    as_user(client, leader)
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Va chạm giao thông trên cầu" in html
    detail = client.get(f"/console/alarms/{alarm.pk}/").content.decode()
    for shown in (html, detail):
        for action in ("acknowledge", "clear", "assign", "report", "duty"):
            assert f'/{action}"' not in shown  # no form posts anywhere
    for action in ("acknowledge", "clear", "assign", "to_report"):
        assert post(client, action, alarm).status_code == 403
    assert client.post(reverse("console:alerts:duty"), {"action": "start"}).status_code == 403
    alarm.refresh_from_db()
    assert alarm.acknowledged_at is None
    assert alarm.cleared_at is None


# --- the list ----------------------------------------------------------------------------------


def test_the_panel_lists_active_alarms_most_severe_first_with_their_facts(
    client, operator, camera, alarm
):
    station = SensorFactory(code="hue-aq-03", name="Trạm Kim Long", kind=SensorKind.AIR_QUALITY)
    alarm_raise(sensor=station, type=AlarmType.OFFLINE, severity=Severity.MINOR, message="x")
    critical = alarm_raise(
        sensor=camera, type=AlarmType.FIRE_SMOKE, severity=Severity.CRITICAL, message="Khói"
    ).alarm
    alarm_raise(sensor=camera, type=AlarmType.FIRE_SMOKE, severity=Severity.CRITICAL, message="!")

    html = as_user(client, operator).get(LIST).content.decode()

    rows = [part.split('"')[0] for part in html.split('data-alarm="')[1:]]
    assert rows[0] == str(critical.pk)  # critical before major before minor
    assert rows[1] == str(alarm.pk)
    assert "Trạm Kim Long" in html
    assert ">2</td>" in html  # the critical alarm's count
    assert "Xác nhận" in html  # the Acknowledge button
    assert "Chuyển thành phản ánh" in html  # Turn into a report


def test_cleared_alarms_are_listed_on_request(client, operator, alarm):
    client = as_user(client, operator)
    post(client, "clear", alarm)
    assert f'data-alarm="{alarm.pk}"' not in client.get(LIST).content.decode()
    assert f'data-alarm="{alarm.pk}"' in client.get(LIST + "?state=cleared").content.decode()


def test_the_live_partial_has_the_table_and_the_event_stream_address(client, operator, alarm):
    html = as_user(client, operator).get(TABLE + "?severity=major").content.decode()
    assert html.startswith('<div id="alarm-results" data-live-events="/console/events/"')
    assert f'data-alarm="{alarm.pk}"' in html
    assert "<html" not in html


def test_the_panel_costs_the_same_queries_for_3_or_30_alarms(
    client, operator, camera, django_assert_max_num_queries
):
    client = as_user(client, operator)
    for index in range(3):
        sensor = SensorFactory(code=f"hue-cam-1{index}", kind=SensorKind.CAMERA)
        alarm_raise(sensor=sensor, type=AlarmType.CROWD, severity="minor", message="Đám đông")
    client.get(TABLE)
    with django_assert_max_num_queries(12) as few:
        client.get(TABLE)
    for index in range(27):
        sensor = SensorFactory(code=f"hue-cam-2{index}", kind=SensorKind.CAMERA)
        alarm_raise(sensor=sensor, type=AlarmType.CROWD, severity="minor", message="Đám đông")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(TABLE)


# --- actions -----------------------------------------------------------------------------------


def test_an_operator_acknowledges_then_clears_from_the_list(client, operator, alarm):
    client = as_user(client, operator)
    response = post(client, "acknowledge", alarm, next=LIST + "?severity=major")
    assert response.status_code == 302
    assert response["Location"] == LIST + "?severity=major"
    alarm.refresh_from_db()
    assert alarm.acknowledged_by == operator

    post(client, "clear", alarm, note="Đã xử lý xong")
    alarm.refresh_from_db()
    assert alarm.cleared_by == operator
    assert alarm.events.get(kind="cleared").note == "Đã xử lý xong"


def test_a_redirect_never_leaves_the_site(client, operator, alarm):
    response = post(as_user(client, operator), "acknowledge", alarm, next="https://evil.example/")
    assert response["Location"] == f"/console/alarms/{alarm.pk}/"


def test_acknowledging_twice_shows_the_conflict_as_a_message(client, operator, alarm):
    client = as_user(client, operator)
    post(client, "acknowledge", alarm)
    page = client.get(post(client, "acknowledge", alarm)["Location"])
    assert "đã được xác nhận" in page.content.decode()  # acknowledged already


def test_an_operator_assigns_the_alarm_to_a_colleague(client, operator, alarm):
    colleague = UserFactory(username="ca-chieu", role=Role.OPERATOR, full_name="Lan")
    post(as_user(client, operator), "assign", alarm, assignee=colleague.pk)
    alarm.refresh_from_db()
    assert alarm.assignee == colleague


def test_turning_an_alarm_into_a_report_opens_the_new_report(client, operator, alarm):
    CategoryFactory(code="traffic-infrastructure", name="Hạ tầng giao thông")
    response = post(as_user(client, operator), "to_report", alarm)
    alarm.refresh_from_db()
    assert alarm.report is not None
    assert alarm.report.channel == Channel.MONITORING
    assert response["Location"] == reverse("console:report", args=[alarm.report.pk])


def test_the_detail_page_shows_the_snapshot_and_the_history(client, operator, alarm):
    client = as_user(client, operator)
    post(client, "acknowledge", alarm, note="Đã báo CSGT")
    html = client.get(f"/console/alarms/{alarm.pk}/").content.decode()
    assert "snapshot.thumb.jpg" in html
    assert "Đã báo CSGT" in html
    image = client.get(f"/console/alarms/{alarm.pk}/snapshot.jpg")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert client.get("/console/alarms/999999/").status_code == 404


def test_an_operator_goes_on_and_off_duty(client, operator):
    client = as_user(client, operator)
    client.post(reverse("console:alerts:duty"), {"action": "start"})
    assert OnDuty.objects.filter(user=operator).exists()
    assert "Bạn đang trực" in client.get(LIST).content.decode()  # You are on duty
    client.post(reverse("console:alerts:duty"), {"action": "end"})
    assert not OnDuty.objects.filter(user=operator).exists()


def test_the_map_layer_has_the_active_alarms(client, operator, alarm, camera):
    data = as_user(client, operator).get("/console/alarms/points.geojson").json()
    [feature] = data["features"]
    assert feature["geometry"]["coordinates"] == [camera.lon, camera.lat]
    assert feature["properties"]["url"] == f"/console/alarms/{alarm.pk}/"
    assert Alarm.objects.count() == 1
