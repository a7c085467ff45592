"""The alarm lifecycle: raise and de-duplicate, acknowledge, assign, clear, turn into a report;
each move's audit row and event, and who may make it."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.alerts.choices import AlarmEventKind, AlarmType, RuleKind, Severity
from cityops.alerts.models import Alarm
from cityops.alerts.services import (
    alarm_acknowledge,
    alarm_assign,
    alarm_clear,
    alarm_raise,
    alarm_rule_create,
    alarm_to_report,
    duty_end,
    duty_start,
)
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.services import readings_ingest
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.reports.choices import Channel, ReportStatus
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps


@pytest.fixture
def categories(db):
    return {
        code: CategoryFactory(code=code, name=name)
        for code, name in [
            ("sanitation", "Vệ sinh môi trường"),
            ("public-order", "An ninh, trật tự"),
            ("other", "Khác"),
        ]
    }


def raise_on(sensor, type_=AlarmType.ILLEGAL_PARKING, severity=Severity.WARNING, **kwargs):
    return alarm_raise(
        sensor=sensor, type=type_, severity=severity, message="Đỗ xe sai quy định", **kwargs
    )


def test_a_repeat_while_active_bumps_the_count_instead_of_a_second_alarm(camera):
    first = raise_on(camera)
    again = raise_on(camera)

    assert first.created
    assert not again.created
    assert again.alarm.pk == first.alarm.pk
    assert again.alarm.count == 2
    assert again.alarm.last_raised_at >= first.alarm.first_raised_at
    assert Alarm.objects.count() == 1
    kinds = list(again.alarm.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == [AlarmEventKind.RAISED, AlarmEventKind.REPEATED]


def test_another_type_or_source_is_another_alarm(camera, station):
    raise_on(camera)
    raise_on(camera, type_=AlarmType.CROWD)
    raise_on(station, type_=AlarmType.ILLEGAL_PARKING)
    assert Alarm.objects.filter(cleared_at__isnull=True).count() == 3


def test_after_clearing_the_same_source_and_type_raises_a_new_alarm(camera, operator):
    first = raise_on(camera).alarm
    alarm_clear(alarm=first, actor=operator)
    second = raise_on(camera)
    assert second.created
    assert second.alarm.pk != first.pk


def test_the_database_itself_refuses_two_active_alarms_of_one_key(camera):
    from django.db import IntegrityError, transaction

    alarm = raise_on(camera).alarm
    with pytest.raises(IntegrityError), transaction.atomic():
        Alarm.objects.create(
            type=alarm.type,
            severity=alarm.severity,
            message="twin",
            sensor=camera,
            source_name="twin",
            dedup_key=alarm.dedup_key,
            first_raised_at=alarm.first_raised_at,
            last_raised_at=alarm.last_raised_at,
        )


def test_acknowledging_keeps_the_alarm_active_and_records_who(
    camera, operator, published, django_capture_on_commit_callbacks
):
    alarm = raise_on(camera).alarm
    with django_capture_on_commit_callbacks(execute=True):
        alarm_acknowledge(alarm=alarm, actor=operator, note="Đã gọi đội trật tự")

    alarm.refresh_from_db()
    assert alarm.acknowledged_by == operator
    assert alarm.acknowledged_at is not None
    assert alarm.cleared_at is None
    event = alarm.events.get(kind=AlarmEventKind.ACKNOWLEDGED)
    assert (event.actor, event.note) == (operator, "Đã gọi đội trật tự")
    [changed] = [e for e in published if e.topic == "alarm.changed"]
    assert changed.payload == {
        "id": alarm.pk,
        "state": "active",
        "severity": "warning",
        "kind": "acknowledged",
        "type": "illegal_parking",
        "acknowledged": True,
    }


def test_acknowledging_twice_is_a_conflict(camera, operator):
    alarm = raise_on(camera).alarm
    alarm_acknowledge(alarm=alarm, actor=operator)
    with pytest.raises(Conflict):
        alarm_acknowledge(alarm=alarm, actor=operator)


def test_an_operator_clears_an_alarm_with_a_reason(camera, operator):
    alarm = raise_on(camera).alarm
    alarm_clear(alarm=alarm, actor=operator, note="Xe đã rời đi")
    alarm.refresh_from_db()
    assert alarm.cleared_by == operator
    assert alarm.events.get(kind=AlarmEventKind.CLEARED).data == {"automatic": False}
    with pytest.raises(Conflict):
        alarm_clear(alarm=alarm, actor=operator)


def test_an_alarm_is_assigned_to_an_operator_only(camera, operator, agency_staff):
    alarm = raise_on(camera).alarm
    colleague = UserFactory(username="ca-dem", role=Role.OPERATOR)
    alarm_assign(alarm=alarm, assignee=colleague, actor=operator)
    alarm.refresh_from_db()
    assert alarm.assignee == colleague
    assert alarm.events.get(kind=AlarmEventKind.ASSIGNED).data["assignee"] == colleague.pk

    with pytest.raises(InvalidInput):
        alarm_assign(alarm=alarm, assignee=agency_staff, actor=operator)
    with pytest.raises(Conflict):
        alarm_assign(alarm=alarm, assignee=colleague, actor=operator)


def test_a_cleared_alarm_cannot_be_assigned(camera, operator):
    alarm = raise_on(camera).alarm
    alarm_clear(alarm=alarm, actor=operator)
    with pytest.raises(Conflict):
        alarm_assign(alarm=alarm, assignee=operator, actor=operator)


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.AGENCY_STAFF, Role.LEADER])
def test_only_ioc_staff_handle_alarms(camera, agency, role):
    person = UserFactory(role=role, agency=agency if role == Role.AGENCY_STAFF else None)
    alarm = raise_on(camera).alarm
    for move in (alarm_acknowledge, alarm_clear):
        with pytest.raises(NotPermitted):
            move(alarm=alarm, actor=person)
    with pytest.raises(NotPermitted):
        alarm_to_report(alarm=alarm, actor=person)


def test_an_alarm_becomes_a_submitted_report_at_its_place_with_its_text_and_snapshot(
    camera, operator, categories
):
    from cityops.platform.images import image_clean

    alarm = raise_on(camera, snapshot=image_clean(jpeg_with_gps()), confidence=0.91).alarm

    report = alarm_to_report(alarm=alarm, actor=operator, note="Cần lực lượng trật tự xử lý")

    assert report.status == ReportStatus.SUBMITTED  # then the usual triage and dispatch
    assert report.channel == Channel.MONITORING
    assert report.category == categories["public-order"]  # illegal parking → public order
    assert (report.lat, report.lon) == (camera.lat, camera.lon)
    assert "Đỗ xe sai quy định" in report.description
    assert f"#{alarm.pk}" in report.description
    assert "Cần lực lượng trật tự xử lý" in report.description
    assert report.attachments.count() == 1
    assert report.reporter is None
    alarm.refresh_from_db()
    assert alarm.report == report
    assert alarm.acknowledged_by == operator  # turning it into a report means it was seen
    assert alarm.events.get(kind=AlarmEventKind.REPORTED).data["report"] == report.pk
    with pytest.raises(Conflict):
        alarm_to_report(alarm=alarm, actor=operator)


def test_a_rule_alarm_becomes_a_report_of_the_rules_category_or_by_sensor_kind(
    station, operator, categories
):
    own = CategoryFactory(code="air-quality", name="Chất lượng không khí")
    rule = alarm_rule_create(
        name="PM2.5",
        kind=RuleKind.THRESHOLD,
        sensor_kind=SensorKind.AIR_QUALITY,
        metric="pm25",
        comparison="gt",
        value=50,
        category=own,
    )
    by_rule = alarm_raise(
        sensor=station, type=AlarmType.THRESHOLD, severity="major", message="PM2.5 90", rule=rule
    ).alarm
    assert alarm_to_report(alarm=by_rule, actor=operator).category == own

    offline = alarm_raise(
        sensor=station, type=AlarmType.OFFLINE, severity="minor", message="No data"
    ).alarm
    assert alarm_to_report(alarm=offline, actor=operator).category == categories["sanitation"]


def test_the_operator_may_choose_another_category(camera, operator, categories):
    alarm = raise_on(camera).alarm
    report = alarm_to_report(alarm=alarm, actor=operator, category=categories["sanitation"])
    assert report.category == categories["sanitation"]


# --- notification of the operators on duty -----------------------------------------------------


@pytest.fixture
def on_duty(db):
    person = UserFactory(
        username="truc-ban", role=Role.OPERATOR, email="trucban@hue.gov.vn", language="en"
    )
    duty_start(user=person)
    return person


def test_a_critical_alarm_is_mailed_to_the_operators_on_duty(
    camera, on_duty, operator, django_capture_on_commit_callbacks, settings
):
    settings.CITYOPS_ALARM_EMAILS = ["ioc-hotline@hue.gov.vn"]
    with django_capture_on_commit_callbacks(execute=True):
        alarm = raise_on(camera, type_=AlarmType.FIRE_SMOKE, severity=Severity.CRITICAL).alarm

    assert sorted(m.to[0] for m in mail.outbox) == ["ioc-hotline@hue.gov.vn", "trucban@hue.gov.vn"]
    english = next(m for m in mail.outbox if m.to == ["trucban@hue.gov.vn"])
    assert "Critical alarm" in english.subject
    assert camera.name in english.subject
    assert f"/console/alarms/{alarm.pk}/" in english.body


def test_repeats_minor_alarms_and_operators_off_duty_get_no_mail(
    camera, on_duty, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_on(camera, type_=AlarmType.CONGESTION, severity=Severity.MINOR)
        raise_on(camera, type_=AlarmType.ACCIDENT, severity=Severity.MAJOR)
        raise_on(camera, type_=AlarmType.ACCIDENT, severity=Severity.MAJOR)  # a repeat
    assert len(mail.outbox) == 1

    duty_end(user=on_duty)
    with django_capture_on_commit_callbacks(execute=True):
        raise_on(camera, type_=AlarmType.FIRE_SMOKE, severity=Severity.CRITICAL)
    assert len(mail.outbox) == 1


def test_citizens_cannot_go_on_duty(citizen):
    with pytest.raises(NotPermitted):
        duty_start(user=citizen)


# --- through the real ingest ------------------------------------------------------------------


def test_readings_sent_to_the_ingest_raise_the_alarm_after_they_commit(
    station, django_capture_on_commit_callbacks
):
    alarm_rule_create(
        name="PM2.5 > 100",
        kind=RuleKind.THRESHOLD,
        sensor_kind=SensorKind.AIR_QUALITY,
        metric="pm25",
        comparison="gt",
        value=100,
    )
    with django_capture_on_commit_callbacks(execute=True):
        readings_ingest(
            code=station.code,
            payload=json.dumps(
                [
                    {"observed_at": "2026-11-20T08:00:00+07:00", "values": {"pm25": 150.2}},
                    {"observed_at": "2026-11-20T08:01:00+07:00", "values": {"pm25": 151.0}},
                ]
            ),
        )
    [alarm] = Alarm.objects.all()
    assert (alarm.value, alarm.count) == (150.2, 1)  # raised at the first; held after
    assert alarm.sensor == station
