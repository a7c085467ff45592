"""Jobs of the channels; thin wrappers over the services."""

from __future__ import annotations

from django_tasks import task

from cityops.channels import outbound


@task()
def reply_on_channels(event_id: int) -> int:
    """Tell the conversations following a report about one public change of it."""
    return outbound.channel_replies_send(event_id=event_id)
