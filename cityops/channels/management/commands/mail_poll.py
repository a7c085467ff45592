"""``cityops mail_poll``: read the city's mailbox once (what the every-minute job does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cityops.channels.mail.imap import mailbox_configured, mailbox_poll


class Command(BaseCommand):
    help = "Turn the city mailbox's unseen e-mails into reports and notes, once."

    def handle(self, *args: Any, **options: Any) -> None:
        mailbox = mailbox_configured()
        if mailbox is None:
            raise CommandError("Set CITYOPS_EMAIL_IMAP_HOST and CITYOPS_EMAIL_IMAP_USER first.")
        outcomes = mailbox_poll(mailbox=mailbox)
        summary = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"{mailbox.user}@{mailbox.host}: {summary or 'no new messages'}")
