"""The demo's alarm rules, bulletin and camera alarms (seeded by ``cityops run`` with demo data)."""

from __future__ import annotations

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.tests.factories import AreaFactory
from cityops.alerts.choices import RuleKind
from cityops.alerts.models import Alarm, AlarmRule, Bulletin
from cityops.alerts.selectors import bulletins_current
from cityops.alerts.services.demo import alerts_seed_demo
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock


def test_the_demo_seeds_rules_a_bulletin_and_camera_alarms_once(db):
    UserFactory(username="demo-operator", role=Role.OPERATOR)
    ward = AreaFactory(name="Phường Phú Xuân")
    for code in ("hue-cam-01", "hue-cam-02", "hue-cam-03"):
        SensorFactory(code=code, kind=SensorKind.CAMERA)

    assert alerts_seed_demo() == {"alarm_rules": 7, "bulletins": 1, "camera_alarms": 2}
    assert alerts_seed_demo() == {"alarm_rules": 0, "bulletins": 0, "camera_alarms": 0}

    kinds = set(AlarmRule.objects.values_list("kind", flat=True))
    assert kinds == {RuleKind.THRESHOLD, RuleKind.AQI_BAND, RuleKind.OFFLINE, RuleKind.FIRE}
    assert AlarmRule.objects.filter(metric="pm25").exists()
    assert AlarmRule.objects.filter(metric="water_level").exists()
    assert AlarmRule.objects.get(kind=RuleKind.AQI_BAND).aqi_level == 4
    [bulletin] = bulletins_current(at=clock.now())
    assert bulletin.is_demo
    assert "mô phỏng" in bulletin.headline
    assert list(bulletin.areas.all()) == [ward]
    assert Alarm.objects.filter(cleared_at__isnull=True).count() == 2
    assert Bulletin.objects.count() == 1
