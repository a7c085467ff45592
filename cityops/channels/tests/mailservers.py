"""Real mail servers for the e-mail channel's tests: Dovecot (IMAP) in a temporary directory
and aiosmtpd (SMTP) in a thread, each on a free port."""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from cityops.channels.mail.imap import Mailbox
from cityops.platform.tests.servers import free_port

USER, PASSWORD = "phananh", "mat-khau-thu"


def dovecot_or_skip() -> str:
    """The dovecot binary; a test that needs it is skipped without it, except in CI (CI=true),
    where it is a failure: `.ci/run` installs Debian's dovecot-imapd."""
    binary = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if binary is None:
        if os.environ.get("CI") == "true":
            raise AssertionError("dovecot is not installed (apt-get install dovecot-imapd)")
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd; CI requires it)")
    return binary


def _config(home: Path, port: int, uid: int, gid: int) -> str:
    if os.getuid() == 0:
        users = ""
    else:  # an unprivileged run: every dovecot process is this user
        me = pwd.getpwuid(os.getuid()).pw_name
        users = f"default_login_user = {me}\ndefault_internal_user = {me}\n"
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {home}/run
state_dir = {home}/state
instance_name = cityops-test-{port}
log_path = {home}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = {uid}
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {home}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {home}/passwd
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Mailbox]:
    """A Dovecot IMAP server with one mailbox (plaintext login on 127.0.0.1)."""
    binary = dovecot_or_skip()
    # Not under pytest's private temp dir: Dovecot's own users must reach the files.
    home = Path(tempfile.mkdtemp(prefix="cityops-dovecot-"))
    home.chmod(0o755)
    if os.getuid() == 0:  # Dovecot refuses to give root a mailbox
        owner = pwd.getpwnam("dovecot")
        uid, gid = owner.pw_uid, owner.pw_gid
    else:
        uid, gid = os.getuid(), os.getgid()
    mail = home / "mail"
    mail.mkdir()
    os.chown(mail, uid, gid)
    (home / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{mail}/{USER}\n")
    port = free_port()
    conf = home / "dovecot.conf"
    conf.write_text(_config(home, port, uid, gid))
    # Dovecot forks into the background; its output goes to its log, not to a pipe we wait on.
    subprocess.run(
        [binary, "-c", str(conf)],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=30,
    )
    box = Mailbox(host="127.0.0.1", port=port, user=USER, password=PASSWORD, use_ssl=False)
    deadline = time.monotonic() + 20
    while True:
        try:
            with contextlib.closing(imap_login(box)):
                break
        except (OSError, imaplib.IMAP4.error):
            if time.monotonic() > deadline:
                log = home / "dovecot.log"
                raise AssertionError(
                    f"dovecot did not start:\n{log.read_text() if log.exists() else ''}"
                ) from None
            time.sleep(0.2)
    yield box
    pid = home / "run" / "master.pid"
    if pid.exists():
        os.kill(int(pid.read_text().split()[0]), signal.SIGTERM)
    shutil.rmtree(home, ignore_errors=True)


def imap_login(box: Mailbox) -> imaplib.IMAP4:
    client = imaplib.IMAP4(box.host, box.port, timeout=10)
    client.login(box.user, box.password)
    client.select("INBOX")
    return client


@dataclass
class Inbox:
    """The test's side of the city mailbox: delivers messages and reads their flags."""

    box: Mailbox

    def deliver(self, raw: bytes) -> None:
        client = imap_login(self.box)
        try:
            status, answer = client.append("INBOX", "", None, raw)
            assert status == "OK", answer
        finally:
            client.logout()

    def unseen(self) -> int:
        client = imap_login(self.box)
        try:
            _, found = client.uid("SEARCH", "UNSEEN")
            return len((found[0] or b"").split())
        finally:
            client.logout()

    def mark_all_unseen(self) -> None:
        client = imap_login(self.box)
        try:
            client.store("1:*", "-FLAGS", "(\\Seen)")
        finally:
            client.logout()

    def empty(self) -> None:
        client = imap_login(self.box)
        try:
            _, found = client.search(None, "ALL")
            if (found[0] or b"").strip():
                client.store("1:*", "+FLAGS", "(\\Deleted)")
                client.expunge()
        finally:
            client.logout()


@pytest.fixture
def inbox(dovecot) -> Inbox:
    """The city mailbox, empty at the start of the test."""
    mailbox = Inbox(dovecot)
    mailbox.empty()
    return mailbox


@dataclass
class SentMail:
    """What reached the SMTP server: the envelope and the parsed message."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return str(body.get_content()) if body is not None else ""


@dataclass
class _Collector:
    received: list[SentMail] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.received.append(SentMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings) -> Iterator[list[SentMail]]:
    """An aiosmtpd server that CityOps sends through (Django's SMTP backend); yields what it
    received."""
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield collector.received
    finally:
        controller.stop()
