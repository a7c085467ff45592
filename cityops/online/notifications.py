"""Emails to an applicant about the steps and messages of their application, in their
language, if they have an address and want emails (as for the reports they follow)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def applicant_notify(*, event_id: int) -> int:
    from cityops.online.models import ApplicationEvent

    event = (
        ApplicationEvent.objects.select_related("application__applicant", "application__service")
        .filter(pk=event_id, to_applicant=True)
        .first()
    )
    if event is None:
        return 0
    application = event.application
    user = application.applicant
    # Demo people get no mail (their addresses are made up), as demo reports mail nobody.
    if user.is_demo or not (user.is_active and user.email and user.email_notifications):
        return 0
    url = settings.CITYOPS_SITE_URL + reverse("online:application", args=[application.number])
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("Your application %(number)s: %(status)s") % {
            "number": application.number,
            "status": application.get_status_display(),
        }
        body = render_to_string(
            "online/email/event.txt", {"application": application, "event": event, "url": url}
        )
    return send_mail(subject, body, None, [user.email])
