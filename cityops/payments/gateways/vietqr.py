"""VietQR (NAPAS): a bank transfer to the city's account, offered as the EMVCo merchant-presented
QR string that every Vietnamese banking app reads.

A transfer has no server notification and no status query: it is marked paid only by the
reconciliation import of the bank's statement (a CSV, ``payments_reconcile --statement``) or by
a staff member confirming it with the statement line (``payment_confirm_transfer``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from cityops.payments.gateways.base import PayTarget, Verdict
from cityops.payments.models import Payment

NAPAS_GUID = "A000000727"
TO_ACCOUNT = "QRIBFTTA"


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, start 0xFFFF), 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def payload(*, bin_code: str, account: str, amount_vnd: int, memo: str) -> str:
    beneficiary = tlv("00", bin_code) + tlv("01", account)
    body = (
        tlv("00", "01")
        + tlv("01", "12")  # dynamic: used for one payment
        + tlv("38", tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", TO_ACCOUNT))
        + tlv("53", "704")  # VND
        + tlv("54", str(amount_vnd))
        + tlv("58", "VN")
        + tlv("62", tlv("08", memo))
        + "6304"
    )
    return body + crc16_ccitt(body)


class VietQR:
    def pay_target(
        self, payment: Payment, *, return_url: str, ipn_url: str, client_ip: str
    ) -> PayTarget:
        return PayTarget(
            qr_payload=payload(
                bin_code=settings.CITYOPS_VIETQR_BANK_BIN,
                account=settings.CITYOPS_VIETQR_ACCOUNT,
                amount_vnd=payment.amount_vnd,
                memo=payment.txn_ref,
            )
        )

    def verify(self, payload: dict[str, Any]) -> Verdict:
        return Verdict(signature_valid=False)  # banks send no notifications

    def query(self, payment: Payment) -> Verdict | None:
        return None
