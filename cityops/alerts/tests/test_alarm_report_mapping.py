"""A report made from an alarm takes its category and priority from the alarm's rule (or, for
camera events and rule-less alarms, from the alarm's type and the sensor's kind), never from
the classifier; the operator may still choose others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cityops.alerts.choices import AlarmType, RuleKind, Severity
from cityops.alerts.models import AlarmRule
from cityops.alerts.services import alarm_raise, alarm_rule_create, alarm_to_report
from cityops.alerts.services.demo import alerts_seed_demo
from cityops.monitoring.choices import SensorKind
from cityops.platform.errors import InvalidInput
from cityops.reports.choices import Priority
from cityops.reports.tests.factories import CategoryFactory

# Words the classifier would file under sanitation; the rule decides all the same.
MISLEADING = "Rác thải sinh hoạt tồn đọng, bốc mùi hôi thối ở chợ"


@pytest.fixture
def categories(db):
    codes = ("urban-infrastructure", "sanitation", "public-order", "traffic-infrastructure")
    made = {code: CategoryFactory(code=code, name_en=code) for code in codes}
    made["other"] = CategoryFactory(code="other", name_en="Other")
    return made


@pytest.fixture
def river_rule(db):
    return alarm_rule_create(
        name="Mực nước vượt báo động 2",
        kind=RuleKind.THRESHOLD,
        severity=Severity.CRITICAL,
        sensor_kind=SensorKind.WATER_LEVEL,
        metric="water_level",
        comparison="gte",
        value=2.0,
    )


def river_alarm(gauge, rule, message=MISLEADING):
    return alarm_raise(
        sensor=gauge,
        type=AlarmType.THRESHOLD,
        severity=Severity.CRITICAL,
        message=message,
        rule=rule,
        value=2.3,
    ).alarm


def test_a_river_level_alarm_becomes_an_urgent_urban_infrastructure_report_whatever_its_text(
    gauge, operator, categories, river_rule, trained
):
    report = alarm_to_report(alarm=river_alarm(gauge, river_rule), actor=operator)

    assert report.category == categories["urban-infrastructure"]
    assert report.priority == Priority.URGENT
    # The deadline is an urgent one (4 working hours), not the category's usual 7 days.
    assert (report.due_at - report.submitted_at).days < 3


def test_the_rules_own_category_and_priority_decide(station, operator, categories):
    rule = alarm_rule_create(
        name="PM2.5 rất cao",
        kind=RuleKind.THRESHOLD,
        sensor_kind=SensorKind.AIR_QUALITY,
        metric="pm25",
        comparison="gt",
        value=150,
        category=categories["public-order"],
        priority=Priority.COMPLEX,
    )
    alarm = alarm_raise(
        sensor=station, type=AlarmType.THRESHOLD, severity="major", message="PM2.5 180", rule=rule
    ).alarm

    report = alarm_to_report(alarm=alarm, actor=operator)

    assert (report.category, report.priority) == (categories["public-order"], Priority.COMPLEX)


@pytest.mark.parametrize(
    ("type_", "category", "priority"),
    [
        (AlarmType.ACCIDENT, "traffic-infrastructure", Priority.URGENT),
        (AlarmType.FIRE_SMOKE, "public-order", Priority.URGENT),
        (AlarmType.ILLEGAL_PARKING, "public-order", Priority.NORMAL),
        (AlarmType.CONGESTION, "traffic-infrastructure", Priority.NORMAL),
        (AlarmType.LITTERING, "sanitation", Priority.NORMAL),
        (AlarmType.CROWD, "public-order", Priority.NORMAL),
    ],
)
def test_a_camera_event_becomes_the_report_its_type_maps_to(
    camera, operator, categories, type_, category, priority
):
    alarm = alarm_raise(sensor=camera, type=type_, severity="major", message="Camera").alarm

    report = alarm_to_report(alarm=alarm, actor=operator)

    assert (report.category.code, report.priority) == (category, priority)


def test_a_fire_alarm_is_an_urgent_public_order_report(fire_panel, operator, categories):
    alarm = alarm_raise(
        sensor=fire_panel, type=AlarmType.FIRE, severity="critical", message="Báo cháy"
    ).alarm

    report = alarm_to_report(alarm=alarm, actor=operator)

    assert (report.category.code, report.priority) == ("public-order", Priority.URGENT)


def test_the_operators_correction_is_kept(gauge, operator, categories, river_rule):
    report = alarm_to_report(
        alarm=river_alarm(gauge, river_rule),
        actor=operator,
        category=categories["other"],
        priority=Priority.NORMAL,
    )

    assert (report.category, report.priority) == (categories["other"], Priority.NORMAL)


def test_the_alarm_page_offers_the_rules_mapping_and_keeps_the_operators_choice(
    gauge, operator, categories, river_rule, trained
):
    alarm = river_alarm(gauge, river_rule)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)
    page = client.get(reverse("console:alerts:alarm", args=[alarm.pk])).content.decode()
    urban = categories["urban-infrastructure"].pk
    assert f'<option value="{urban}" selected>' in page
    assert '<option value="urgent" selected>' in page

    response = client.post(
        reverse("console:alerts:to_report", args=[alarm.pk]),
        {"category": categories["sanitation"].pk, "priority": "complex", "note": ""},
    )

    alarm.refresh_from_db()
    assert response.status_code == 302
    assert (alarm.report.category, alarm.report.priority) == (
        categories["sanitation"],
        Priority.COMPLEX,
    )
    # At triage the report keeps the operator's choice; the rule's mapping is what is suggested.
    triage = client.get(reverse("console:report", args=[alarm.report.pk])).content.decode()
    assert '<option value="sanitation" selected>' in triage
    assert '<option value="complex" selected>' in triage
    assert "From the alarm&#x27;s rule: urban-infrastructure · Urgent" in triage


def test_the_one_click_button_makes_the_report_the_rule_maps_to(
    client, gauge, operator, categories, river_rule
):
    alarm = river_alarm(gauge, river_rule)
    client.force_login(operator)

    client.post(reverse("console:alerts:to_report", args=[alarm.pk]))

    alarm.refresh_from_db()
    assert (alarm.report.category.code, alarm.report.priority) == (
        "urban-infrastructure",
        Priority.URGENT,
    )


def test_a_rule_with_an_unknown_priority_is_refused(db):
    with pytest.raises(InvalidInput, match="One of: urgent, normal, complex, or empty"):
        alarm_rule_create(
            name="Bad",
            kind=RuleKind.FIRE,
            sensor_kind=SensorKind.FIRE_ALARM,
            priority="sometime",
        )


def test_the_demo_rules_say_which_report_they_become(categories):
    alerts_seed_demo()

    mapping = {
        rule.name: (rule.category.code if rule.category else None, rule.priority)
        for rule in AlarmRule.objects.all()
    }
    assert mapping["Mực nước vượt báo động 2 (2,0 m)"] == ("urban-infrastructure", "urgent")
    assert mapping["Tủ báo cháy đang báo"] == ("public-order", "urgent")
    assert mapping["VN_AQI giờ từ mức Xấu (4) trở lên"] == ("sanitation", "normal")
