"""Emails about alarms: a critical or major alarm, once raised, to the operators on duty (and
the fixed addresses of ``CITYOPS_ALARM_EMAILS``), each in their language.

``AlertsConfig.ready`` subscribes ``tasks.enqueue_alarm_notifications`` to ``alarm.changed``;
it queues ``notify_on_duty``, which calls ``on_duty_notify``. The alarm services know nothing
of emails.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cityops.alerts.models import Alarm
from cityops.alerts.selectors import on_duty_operators


def on_duty_notify(*, alarm_id: int) -> int:
    """Send the alarm to everyone on duty; returns how many emails were sent."""
    alarm = Alarm.objects.select_related("sensor", "rule").filter(pk=alarm_id).first()
    if alarm is None or alarm.cleared_at is not None:
        return 0
    url = settings.CITYOPS_SITE_URL + reverse("console:alerts:alarm", args=[alarm.pk])
    recipients: list[tuple[str, str]] = [
        (user.email, user.language or settings.LANGUAGE_CODE) for user in on_duty_operators()
    ]
    known = {address.lower() for address, _ in recipients}
    recipients += [
        (address, settings.LANGUAGE_CODE)
        for address in settings.CITYOPS_ALARM_EMAILS
        if address.lower() not in known
    ]
    messages = []
    for address, language in recipients:
        with translation.override(language):
            context = {
                "alarm": alarm,
                "type": alarm.get_type_display(),
                "severity": alarm.get_severity_display(),
                "url": url,
            }
            subject = render_to_string("alerts/email/alarm_raised_subject.txt", context)
            body = render_to_string("alerts/email/alarm_raised.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=[address]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
