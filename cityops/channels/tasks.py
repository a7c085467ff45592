"""Jobs of the channels; thin wrappers over the services."""

from __future__ import annotations

from django_tasks import task

from cityops.channels import outbound
from cityops.platform.jobs import every


@task()
def reply_on_channels(event_id: int) -> int:
    """Tell the conversations following a report about one public change of it."""
    return outbound.channel_replies_send(event_id=event_id)


@task()
def answer_sms(message_id: int) -> int:
    """Answer one received text: a report's status, or the next step of a report."""
    from cityops.channels.sms import sms_handle

    return 1 if sms_handle(message_id=message_id) is not None else 0


@task()
def follow_by_sms(report_id: int) -> int:
    """Follow a new report on its reporter's phone when that is their only contact."""
    from cityops.channels.sms import phone_reporter_follow

    return 1 if phone_reporter_follow(report_id=report_id) is not None else 0


@task()
def push_followers(event_id: int) -> int:
    """Push one public change of a report to its followers' browsers."""
    from cityops.channels.push import followers_push

    return followers_push(event_id=event_id)


@every(minutes=1)
@task()
def poll_mailbox() -> int:
    """Turn the city mailbox's new e-mails into reports and notes (when the e-mail channel is
    on); returns how many messages were handled."""
    from django.conf import settings

    from cityops.channels.mail.imap import mailbox_poll

    if not settings.CITYOPS_CHANNELS["email"]:
        return 0
    return sum(mailbox_poll().values())
