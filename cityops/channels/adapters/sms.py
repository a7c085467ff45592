"""The SMS gateway: a generic HTTP JSON API, as most Vietnamese gateways (brand-name SMS
resellers) offer one.

Sending: ``POST {CITYOPS_SMS_GATEWAY_URL}`` with ``Authorization: Bearer {token}`` and the JSON
body ``{"to": "+84905123456", "text": "..."}``; a 2xx answer is JSON and may carry the
gateway's id of the message, ``{"id": "..."}``. Anything else is ``SendFailed``.

Receiving (``cityops.webhooks.sms``): the gateway POSTs ``{"from", "text", "id",
"received_at"}`` signed with HMAC-SHA256 of the raw body (``sms_signature``).

Phones show a text of at most 160 GSM 03.38 characters in one message; Vietnamese letters are
not in that alphabet (a single one halves the length to 70 UCS-2 characters), so every text
goes out without diacritics (``sms_text``) — as Vietnamese people commonly text anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

from cityops.channels.adapters import post_json
from cityops.channels.models import Conversation
from cityops.channels.outbound import SendFailed
from cityops.intel.text import strip_diacritics

SMS_LENGTH = 160
# GSM 03.38's basic alphabet (without the escape table): what costs one unit per character.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_LOOK_ALIKES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                              "…": "...", "\u00a0": " ", "\t": " "})  # fmt: skip
_SPACES = re.compile(r"[ ]{2,}")


def sms_text(text: str, *, limit: int = SMS_LENGTH) -> str:
    """``text`` as one short plain SMS: without diacritics, GSM characters only, and — when it
    is longer than ``limit`` — its middle lines shortened so that the first line (the report
    and its status) and the last one (the link) survive whole."""
    plain = strip_diacritics(text).translate(_LOOK_ALIKES)
    plain = "".join(char if char in GSM_BASIC else "?" for char in plain)
    lines = [_SPACES.sub(" ", line).strip() for line in plain.splitlines()]
    lines = [line for line in lines if line]
    result = "\n".join(lines)
    if len(result) <= limit or len(lines) < 3:
        return result
    first, middle, last = lines[0], " ".join(lines[1:-1]), lines[-1]
    room = limit - len(first) - len(last) - 2
    if room < 4:  # the link and the status alone are long: keep both, drop the note
        return f"{first}\n{last}"
    return f"{first}\n{middle[: room - 3].rstrip()}...\n{last}"


def international(phone: str) -> str:
    """A stored national number as gateways want it: ``0905123456`` → ``+84905123456``."""
    return "+84" + phone[1:] if phone.startswith("0") else phone


def sms_signature(*, body: bytes, secret: str) -> str:
    """The hex HMAC-SHA256 of a webhook's raw body with the shared secret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(*, body: bytes, header: str, secret: str) -> bool:
    """Whether ``header`` (``sha256=<hex>`` or the bare hex) signs ``body``; never without a
    configured secret."""
    if not secret or not header:
        return False
    given = header.strip().removeprefix("sha256=")
    return hmac.compare_digest(given.encode(), sms_signature(body=body, secret=secret).encode())


class SmsGateway:
    """One gateway account: its URL and bearer token (from the environment)."""

    def __init__(self, *, url: str, token: str) -> None:
        self.url, self.token = url, token

    def send(self, *, to: str, text: str) -> str:
        """Send ``text`` to the phone ``to``; the gateway's id of the message ("" if none)."""
        if not self.url:
            raise SendFailed("CITYOPS_SMS_GATEWAY_URL is not set")
        answer = post_json(
            self.url,
            body={"to": international(to), "text": text},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        return str(answer.get("id") or "") if isinstance(answer, dict) else ""


def gateway() -> SmsGateway:
    return SmsGateway(
        url=settings.CITYOPS_SMS_GATEWAY_URL, token=settings.CITYOPS_SMS_GATEWAY_TOKEN
    )


def sms_adapter(*, conversation: Conversation, text: str) -> str:
    """The SMS channel's sender (``outbound.adapter_register``)."""
    return gateway().send(to=conversation.address, text=sms_text(text))
