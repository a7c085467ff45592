"""Demo alarm rules, a demo warning bulletin and two camera alarms, for ``make run``.

Everything is labelled as demo data; seeding again adds only what is missing.
"""

from __future__ import annotations

from datetime import timedelta

from cityops.accounts.models import User
from cityops.agencies.models import Area
from cityops.alerts.choices import (
    BulletinKind,
    CameraEventType,
    CapCertainty,
    CapSeverity,
    CapUrgency,
)
from cityops.alerts.choices import RuleKind as K
from cityops.alerts.choices import Severity as S
from cityops.alerts.models import Alarm, AlarmRule, Bulletin
from cityops.alerts.payloads import CameraEventIn
from cityops.alerts.services.bulletins import bulletin_create
from cityops.alerts.services.cameras import camera_event_submit
from cityops.alerts.services.rules import alarm_rule_create
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.models import Sensor
from cityops.platform import clock
from cityops.reports.choices import Priority
from cityops.reports.models import Category

DEMO_OPERATOR = "demo-operator"

# name, kind, severity, scope kind, metric, comparison, value, minutes, AQI level, and the
# report an alarm becomes (category code, priority): Huế's rivers flood, so a water level is an
# urgent urban-infrastructure report (a silent gauge is a normal one: a repair); a fire goes to
# the Công an's fire police (public order).
DEMO_RULES: tuple[
    tuple[str, K, S, str, str, str, float | None, int, int | None, str, Priority], ...
] = (
    ("PM2.5 trên 50 µg/m³ trong 15 phút", K.THRESHOLD, S.MAJOR, SensorKind.AIR_QUALITY,
     "pm25", "gt", 50.0, 15, None, "sanitation", Priority.NORMAL),
    ("VN_AQI giờ từ mức Xấu (4) trở lên", K.AQI_BAND, S.MAJOR, SensorKind.AIR_QUALITY,
     "", "", None, 0, 4, "sanitation", Priority.NORMAL),
    ("Trạm không khí mất dữ liệu 30 phút", K.OFFLINE, S.MINOR, SensorKind.AIR_QUALITY,
     "", "", None, 30, None, "sanitation", Priority.NORMAL),
    ("Trạm mực nước mất dữ liệu 30 phút", K.OFFLINE, S.MAJOR, SensorKind.WATER_LEVEL,
     "", "", None, 30, None, "urban-infrastructure", Priority.NORMAL),
    ("Mực nước vượt báo động 1 (1,0 m) trong 10 phút", K.THRESHOLD, S.WARNING,
     SensorKind.WATER_LEVEL, "water_level", "gte", 1.0, 10, None, "urban-infrastructure",
     Priority.URGENT),
    ("Mực nước vượt báo động 2 (2,0 m)", K.THRESHOLD, S.CRITICAL, SensorKind.WATER_LEVEL,
     "water_level", "gte", 2.0, 0, None, "urban-infrastructure", Priority.URGENT),
    ("Tủ báo cháy đang báo", K.FIRE, S.CRITICAL, SensorKind.FIRE_ALARM, "", "", None, 0, None,
     "public-order", Priority.URGENT),
)  # fmt: skip

DEMO_CAMERA_EVENTS = (
    ("hue-cam-02", "illegal_parking", 0.88),
    ("hue-cam-03", "congestion", 0.74),
)


def alerts_seed_demo() -> dict[str, int]:
    """Seed what is missing of the demo; returns how much was created."""
    rules = 0
    for (name, kind, severity, scope, metric, comparison, value, minutes, level, code,
         priority) in DEMO_RULES:  # fmt: skip
        if AlarmRule.objects.filter(name=name).exists():
            continue
        alarm_rule_create(
            name=name,
            kind=kind,
            severity=severity,
            sensor_kind=scope,
            metric=metric,
            comparison=comparison,
            value=value,
            minutes=minutes,
            aqi_level=level,
            category=Category.objects.filter(code=code, is_active=True).first(),
            priority=priority,
        )
        rules += 1
    now = clock.now()
    bulletins = 0
    operator = User.objects.filter(username=DEMO_OPERATOR, is_active=True).first()
    current = Bulletin.objects.filter(is_demo=True, expires__gt=now, cancelled_at=None)
    if operator is not None and not current.exists():
        bulletin_create(
            actor=operator,
            kind=BulletinKind.FLOOD,
            headline="Mưa lớn, nguy cơ ngập úng cục bộ tại trung tâm Huế (dữ liệu mô phỏng)",
            description=(
                "Bản tin mẫu của bản trình diễn CityOps, không phải cảnh báo thật.\n\n"
                "Mưa to đến rất to trong 24 giờ tới; mực nước sông Hương tại Kim Long có thể "
                "lên mức báo động 1. Các tuyến đường trũng thấp có thể ngập 0,2–0,4 m."
            ),
            instruction=(
                "Hạn chế đi qua các đoạn đường ngập; kê cao tài sản; theo dõi bản tin tiếp theo."
            ),
            severity=CapSeverity.MODERATE,
            urgency=CapUrgency.EXPECTED,
            certainty=CapCertainty.LIKELY,
            onset=now,
            expires=now + timedelta(days=3),
            areas=list(Area.objects.filter(name__in=_CENTRE_WARDS)),
            area_description="Các phường trung tâm dọc sông Hương",
            is_demo=True,
        )
        bulletins += 1
    alarms = 0
    if not Alarm.objects.exists():
        for code, seen, confidence in DEMO_CAMERA_EVENTS:
            if Sensor.objects.filter(code=code, kind=SensorKind.CAMERA, is_active=True).exists():
                event = CameraEventIn(
                    type=CameraEventType(seen), observed_at=now, confidence=confidence
                )
                camera_event_submit(code=code, event=event)
                alarms += 1
    return {"alarm_rules": rules, "bulletins": bulletins, "camera_alarms": alarms}


_CENTRE_WARDS = ("Phường Thuận Hóa", "Phường Phú Xuân", "Phường Kim Long", "Phường Vỹ Dạ")
