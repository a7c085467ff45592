"""Writes of the alerts domain, one verb each: alarms, alarm rules, duty, camera events,
bulletins. Import from here."""

from cityops.alerts.services.alarms import (
    AlarmReportDefaults,
    Raised,
    alarm_acknowledge,
    alarm_assign,
    alarm_clear,
    alarm_clear_by_key,
    alarm_raise,
    alarm_to_report,
    report_defaults_for,
)
from cityops.alerts.services.bulletins import (
    Imported,
    bulletin_cancel,
    bulletin_create,
    bulletin_import,
    bulletins_import_document,
    bulletins_poll,
)
from cityops.alerts.services.cameras import camera_event_receive, camera_event_submit
from cityops.alerts.services.duty import duty_end, duty_start
from cityops.alerts.services.rules import (
    alarm_rule_create,
    alarm_rule_delete,
    alarm_rule_problems,
    alarm_rule_save,
)

__all__ = [
    "AlarmReportDefaults",
    "Imported",
    "Raised",
    "alarm_acknowledge",
    "alarm_assign",
    "alarm_clear",
    "alarm_clear_by_key",
    "alarm_raise",
    "alarm_rule_create",
    "alarm_rule_delete",
    "alarm_rule_problems",
    "alarm_rule_save",
    "alarm_to_report",
    "bulletin_cancel",
    "bulletin_create",
    "bulletin_import",
    "bulletins_import_document",
    "bulletins_poll",
    "camera_event_receive",
    "camera_event_submit",
    "duty_end",
    "duty_start",
    "report_defaults_for",
]
