"""Jobs of online services; thin wrappers over the notifications."""

from __future__ import annotations

from django_tasks import task

from cityops.online.notifications import applicant_notify


@task()
def notify_applicant(event_id: int) -> int:
    """Email the applicant about one step of their application (enqueued on its commit)."""
    return applicant_notify(event_id=event_id)
