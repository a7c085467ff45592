"""Alarm rules are configured in the admin, validated by the domain, and reach the engine."""

from __future__ import annotations

from cityops.alerts.models import AlarmRule

ADD = "/admin/alerts/alarmrule/add/"


def form(**changes):
    data = {
        "name": "Mực nước trên 2 m",
        "kind": "threshold",
        "severity": "critical",
        "is_active": "on",
        "sensor": "",
        "sensor_kind": "water_level",
        "metric": "water_level",
        "comparison": "gte",
        "value": "2.0",
        "minutes": "0",
        "aqi_level": "",
        "category": "",
    }
    data.update(changes)
    return data


def test_an_admin_adds_a_rule_and_the_engine_reloads_it(
    client, admin_user, gauge, feed, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    assert client.get(ADD).status_code == 200
    feed(gauge, "water_level", [(0, 1.0)])  # the engine has loaded: no rules yet
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, form())
    assert response.status_code == 302
    rule = AlarmRule.objects.get()
    feed(gauge, "water_level", [(1, 2.4)])
    assert rule.alarms.filter(cleared_at__isnull=True).count() == 1


def test_an_incomplete_rule_is_refused_with_the_domains_reason(client, admin_user, db):
    client.force_login(admin_user)
    response = client.post(ADD, form(metric="", value=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A threshold rule watches one metric" in html
    assert "A threshold rule needs a value" in html
    assert not AlarmRule.objects.exists()
