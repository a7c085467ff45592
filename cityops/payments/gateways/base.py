"""The one small interface every gateway adapter offers: where the payer goes (an address, or
a QR payload), what a notification says once its signature is checked, and a status query."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any, Protocol

from cityops.payments.models import Payment


class GatewayError(RuntimeError):
    """The gateway could not be reached, or answered something we cannot read."""


@dataclass(frozen=True)
class PayTarget:
    """Where the payer goes: ``url`` (redirect) or ``qr_payload`` (shown as a QR code)."""

    url: str = ""
    qr_payload: str = ""


@dataclass(frozen=True)
class Verdict:
    """What a notification or a query answer says, after its signature was checked.

    ``paid`` is True for a successful payment, False for a final failure, None when the
    gateway has no final word yet."""

    signature_valid: bool
    txn_ref: str = ""
    amount_vnd: int | None = None
    paid: bool | None = None
    gateway_transaction: str = ""
    code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Adapter(Protocol):
    def pay_target(
        self, payment: Payment, *, return_url: str, ipn_url: str, client_ip: str
    ) -> PayTarget: ...

    def verify(self, payload: dict[str, Any]) -> Verdict: ...

    def query(self, payment: Payment) -> Verdict | None: ...


def hmac_hex(secret: str, message: str, digest: Any) -> str:
    return hmac.new(secret.encode(), message.encode(), digest).hexdigest()


def same(expected: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(expected.lower(), given.lower())


SHA256 = hashlib.sha256
SHA512 = hashlib.sha512
