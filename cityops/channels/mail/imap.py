"""Fetching the city's mailbox over IMAP (stdlib ``imaplib``).

Unseen messages are read without marking them (``BODY.PEEK[]``); each is flagged ``\\Seen``
only after it was kept and handled. A poll that dies half-way loses nothing: the next one
reads the remaining messages again, and one already kept is recognised by its Message-ID.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
from collections import Counter
from dataclasses import dataclass

from django.conf import settings

from cityops.channels.mail.services import mail_receive

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    use_ssl: bool
    folder: str = "INBOX"


def mailbox_configured() -> Mailbox | None:
    imap = settings.CITYOPS_EMAIL_IMAP
    if not imap["host"] or not imap["user"]:
        return None
    return Mailbox(
        host=imap["host"],
        port=int(imap["port"]),
        user=imap["user"],
        password=imap["password"],
        use_ssl=bool(imap["ssl"]),
        folder=imap.get("folder") or "INBOX",
    )


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    if mailbox.use_ssl:
        return imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=ssl.create_default_context(), timeout=60
        )
    return imaplib.IMAP4(mailbox.host, mailbox.port, timeout=60)


def mailbox_poll(*, mailbox: Mailbox | None = None, limit: int = 200) -> Counter[str]:
    """Handle the mailbox's unseen messages (at most ``limit``, oldest first); returns how
    many had each outcome."""
    mailbox = mailbox or mailbox_configured()
    outcomes: Counter[str] = Counter()
    if mailbox is None:
        return outcomes
    client = _connect(mailbox)
    try:
        client.login(mailbox.user, mailbox.password)
        status, _ = client.select(_quoted(mailbox.folder))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open the folder {mailbox.folder!r}")
        _, found = client.uid("SEARCH", "UNSEEN")
        uids = [uid.decode() for uid in (found[0] or b"").split()[:limit]]
        for uid in uids:
            raw = _fetch(client, uid)
            if raw is None:
                continue
            try:
                handled = mail_receive(raw=raw)
            except Exception:
                # A passing failure (the database away): left unseen for the next poll.
                logger.exception("e-mail uid %s not handled; it stays unseen", uid)
                outcomes["failed"] += 1
                continue
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            outcomes[handled.outcome] += 1
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()
    return outcomes


def _fetch(client: imaplib.IMAP4, uid: str) -> bytes | None:
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
