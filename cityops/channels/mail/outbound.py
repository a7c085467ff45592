"""Sending on the e-mail channel: the adapter registered for ``Channel.EMAIL``.

Every message goes from the city's mailbox (``CITYOPS_EMAIL_ADDRESS``) with a Reply-To naming
the thread (``phananh+<token>@city.gov.vn``), answers the citizen's last message
(In-Reply-To/References) and says it was sent by a machine (``Auto-Submitted``, RFC 3834), so
that the citizen's own auto-responder does not answer it back.
"""

from __future__ import annotations

import smtplib
from email.parser import BytesHeaderParser
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from cityops.channels.choices import Direction
from cityops.channels.models import ChannelMessage, Conversation
from cityops.channels.outbound import SendFailed
from cityops.reports.choices import Channel


def mailbox_domain() -> str:
    return str(settings.CITYOPS_EMAIL_ADDRESS).rsplit("@", 1)[-1].lower()


def thread_address(token: str) -> str:
    """The address whose replies land on this conversation: ``local+token@domain``."""
    local, domain = str(settings.CITYOPS_EMAIL_ADDRESS).rsplit("@", 1)
    return f"{local}+{token}@{domain}"


def thread_token_in(addresses: list[str]) -> str:
    """The thread token of the first address of ours that carries one, or ""."""
    local, domain = str(settings.CITYOPS_EMAIL_ADDRESS).lower().rsplit("@", 1)
    for address in addresses:
        mailbox, _, at = address.rpartition("@")
        if at.lower() == domain and mailbox.lower().startswith(f"{local}+"):
            return mailbox[len(local) + 1 :]
    return ""


def _received(conversation: Conversation) -> list[ChannelMessage]:
    return list(
        ChannelMessage.objects.filter(conversation=conversation, direction=Direction.IN)
        .exclude(external_id="")
        .exclude(external_id__startswith="sha256:")
        .order_by("received_at", "pk")
    )


def _subject(conversation: Conversation, received: list[ChannelMessage]) -> str:
    first = received[0].payload if received else ""
    original = ""
    if first:
        headers = BytesHeaderParser().parsebytes(first.encode("utf-8", "replace"))
        original = " ".join(str(headers.get("Subject", "")).split())
    if conversation.report_id is not None:
        number = _("Report #%(number)s") % {"number": conversation.report_id}
        return f"Re: {original} [{number}]" if original else str(number)
    return f"Re: {original}" if original else str(_("Your report to the city"))


def email_send(*, conversation: Conversation, text: str) -> str:
    """Send ``text`` to the conversation's address; returns the sent Message-ID."""
    received = _received(conversation)
    message_id = make_msgid(domain=mailbox_domain())
    headers = {
        "Message-ID": message_id,
        "Auto-Submitted": "auto-replied",
        "Content-Language": conversation.language,
    }
    if received:
        headers["In-Reply-To"] = received[-1].external_id
        headers["References"] = " ".join(m.external_id for m in received)[-900:]
    mail = EmailMessage(
        subject=_subject(conversation, received),
        body=text,
        from_email=formataddr((settings.CITYOPS_EMAIL_NAME, settings.CITYOPS_EMAIL_ADDRESS)),
        to=[conversation.address],
        reply_to=[thread_address(conversation.token)],
        headers=headers,
    )
    try:
        mail.send()
    except (smtplib.SMTPException, OSError) as error:
        raise SendFailed(f"{type(error).__name__}: {error}") from error
    return message_id


def conversation_of_sent(message_ids: list[str]) -> Conversation | None:
    """The conversation of a message we sent, found by its Message-ID (a reply's
    In-Reply-To/References)."""
    if not message_ids:
        return None
    sent = (
        ChannelMessage.objects.filter(
            channel=Channel.EMAIL, direction=Direction.OUT, external_id__in=message_ids
        )
        .exclude(conversation=None)
        .select_related("conversation")
        .order_by("-pk")
        .first()
    )
    return sent.conversation if sent is not None else None
