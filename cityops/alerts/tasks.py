"""Jobs of the alerts domain; thin wrappers over the domain functions."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from cityops.alerts import notifications, rules
from cityops.alerts.cap import CapError
from cityops.alerts.choices import AlarmEventKind, Severity
from cityops.alerts.services import bulletins_poll
from cityops.platform.events import Event
from cityops.platform.jobs import every

logger = logging.getLogger(__name__)


@every(minutes=1)
@task()
def check_offline_sensors() -> int:
    """The no-data rules; returns how many alarms were raised or cleared."""
    counts = rules.alarms_offline_check()
    return counts["raised"] + counts["cleared"]


@every(minutes=5)
@task()
def poll_cap_feeds() -> int:
    """Import what the configured CAP feeds (``CITYOPS_CAP_FEEDS``) hold; returns how many
    documents were new."""
    new = 0
    for url in settings.CITYOPS_CAP_FEEDS:
        try:
            results = bulletins_poll(url=url)
        except (CapError, OSError) as error:
            logger.warning("CAP feed %s: %s", url, error)
            continue
        for address, result in results:
            if isinstance(result, CapError):
                logger.warning("CAP document %s: %s", address, result.message)
            elif result.outcome not in ("duplicate", "skipped"):
                new += 1
    return new


@task()
def notify_on_duty(alarm_id: int) -> int:
    """Email the operators on duty about a critical or major alarm just raised."""
    return notifications.on_duty_notify(alarm_id=alarm_id)


def enqueue_alarm_notifications(event: Event) -> None:
    """Subscriber of ``alarm.changed`` (wired in ``AlertsConfig.ready``); runs after commit."""
    alarm_id = event.payload.get("id")
    if (
        event.topic == "alarm.changed"
        and event.payload.get("kind") == AlarmEventKind.RAISED
        and event.payload.get("severity") in {s.value for s in Severity if s.notifies}
        and isinstance(alarm_id, int)
    ):
        notify_on_duty.enqueue(alarm_id=alarm_id)
