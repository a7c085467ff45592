"""Jobs of the press domain; thin wrappers over the services."""

from __future__ import annotations

import logging

from django_tasks import task

from cityops.platform.jobs import every

logger = logging.getLogger(__name__)


@every(minutes=1)
@task()
def poll_due_sources() -> int:
    """Hand each feed source whose poll time has come to its own ``poll_source`` job (a slow
    outlet holds only its own worker); returns how many were handed out."""
    from cityops.press.services import sources_claim_due

    claimed = sources_claim_due()
    for source_id in claimed:
        poll_source.enqueue(source_id=source_id)
    return len(claimed)


@task()
def poll_source(source_id: int) -> int:
    """Poll one source once; returns how many new items it gave."""
    from cityops.press.models import Source
    from cityops.press.services import source_poll

    source = Source.objects.filter(pk=source_id, is_active=True).first()
    if source is None:
        return 0
    return source_poll(source=source).new


@every(minutes=10)
@task()
def check_mention_spikes() -> int:
    """Raise or clear the watch list's spike alarms; returns how many were raised or cleared."""
    from cityops.press.services import press_spikes_check

    counts = press_spikes_check()
    return counts["raised"] + counts["cleared"]


@every(minutes=5)
@task()
def send_press_digest() -> int:
    """The daily press digest, sent by the first run from ``digest_time`` (07:00 city time) on;
    the day's later runs find it sent. Returns how many e-mails were sent."""
    from cityops.press.digest import press_digest_due, press_digest_send

    at = press_digest_due()
    return 0 if at is None else press_digest_send(at=at)
