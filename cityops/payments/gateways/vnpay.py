"""VNPay, API 2.1.0: the payment address, the IPN's check and the status query (querydr).

The canonical string is the ``vnp_`` parameters sorted by name, each ``name=value`` URL-encoded
as a form (spaces as ``+``) and joined by ``&``; its HMAC-SHA512 with the hash secret, in hex, is
``vnp_SecureHash``. The IPN is checked the same way without ``vnp_SecureHash`` and
``vnp_SecureHashType``. Amounts travel as đồng × 100.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.urls import reverse

from cityops.payments.gateways.base import (
    SHA512,
    GatewayError,
    PayTarget,
    Verdict,
    hmac_hex,
    same,
)
from cityops.payments.models import Payment
from cityops.platform import clock

VN = ZoneInfo("Asia/Ho_Chi_Minh")  # GMT+7, the zone of vnp_CreateDate and vnp_ExpireDate
VERSION = "2.1.0"

# The IPN's answers as VNPay documents them.
CONFIRMED = {"RspCode": "00", "Message": "Confirm Success"}
NOT_FOUND = {"RspCode": "01", "Message": "Order not found"}
ALREADY = {"RspCode": "02", "Message": "Order already confirmed"}
BAD_AMOUNT = {"RspCode": "04", "Message": "invalid amount"}
BAD_SIGNATURE = {"RspCode": "97", "Message": "Invalid signature"}
UNKNOWN = {"RspCode": "99", "Message": "Unknown error"}

QUERY_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERY_ANSWER_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)


def vn_time(moment: datetime) -> str:
    return moment.astimezone(VN).strftime("%Y%m%d%H%M%S")


def canonical(params: dict[str, Any]) -> str:
    return urlencode(sorted((k, str(v)) for k, v in params.items() if str(v) != ""))


def sign(params: dict[str, Any], secret: str) -> str:
    return hmac_hex(secret, canonical(params), SHA512)


class VNPay:
    def __init__(self, *, tmn_code: str = "", secret: str = "", url: str = "") -> None:
        from cityops.payments import demo_gateway

        # The demo (``cityops run``) pays at its own stand-in, as a demo terminal.
        self.demo = not tmn_code and demo_gateway.demo_on()
        if self.demo:
            tmn_code, secret = demo_gateway.TERMINAL, demo_gateway.demo_secret()
            url = reverse("payments:demo_vnpay")
        self.tmn_code = tmn_code or settings.CITYOPS_VNPAY_TMN_CODE
        self.secret = secret or settings.CITYOPS_VNPAY_HASH_SECRET
        self.url = url or settings.CITYOPS_VNPAY_URL

    def pay_target(
        self, payment: Payment, *, return_url: str, ipn_url: str, client_ip: str
    ) -> PayTarget:
        # The IPN address is registered with VNPay per terminal, not sent with the payment.
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": payment.amount_vnd * 100,
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.txn_ref,
            "vnp_OrderInfo": f"Thanh toan {payment.txn_ref}",
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip,
            "vnp_CreateDate": vn_time(payment.created_at),
            "vnp_ExpireDate": vn_time(payment.expires_at),
        }
        query = canonical(params)
        return PayTarget(url=f"{self.url}?{query}&vnp_SecureHash={sign(params, self.secret)}")

    def verify(self, payload: dict[str, Any]) -> Verdict:
        given = str(payload.get("vnp_SecureHash", ""))
        fields = {
            k: v
            for k, v in payload.items()
            if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType")
        }
        if not self.secret or not same(sign(fields, self.secret), given):
            return Verdict(signature_valid=False, txn_ref=str(payload.get("vnp_TxnRef", "")))
        return _verdict(fields)

    def query(self, payment: Payment) -> Verdict | None:
        if self.demo or not (self.tmn_code and self.secret):  # the stand-in has no querydr
            return None
        body = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": payment.txn_ref,
            "vnp_OrderInfo": f"Truy van {payment.txn_ref}",
            "vnp_TransactionDate": vn_time(payment.created_at),
            "vnp_CreateDate": vn_time(clock.now()),
            "vnp_IpAddr": "127.0.0.1",
        }
        body["vnp_SecureHash"] = query_checksum(body, QUERY_FIELDS, self.secret)
        try:
            answer = requests.post(settings.CITYOPS_VNPAY_QUERY_URL, json=body, timeout=10)
            data = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise GatewayError(f"VNPay querydr: {error}") from error
        if not same(
            query_checksum(data, QUERY_ANSWER_FIELDS, self.secret),
            str(data.get("vnp_SecureHash", "")),
        ):
            return Verdict(signature_valid=False, txn_ref=payment.txn_ref)
        if data.get("vnp_ResponseCode") != "00":
            return Verdict(
                signature_valid=True,
                txn_ref=payment.txn_ref,
                code=str(data.get("vnp_ResponseCode")),
            )
        return _verdict(data)


def query_checksum(data: dict[str, Any], order: tuple[str, ...], secret: str) -> str:
    """querydr signs its fields joined by ``|`` in the documented order, not sorted."""
    return hmac_hex(secret, "|".join(str(data.get(name, "")) for name in order), SHA512)


def _verdict(fields: dict[str, Any]) -> Verdict:
    try:
        amount = int(str(fields.get("vnp_Amount", ""))) // 100
    except ValueError:
        amount = None
    response = str(fields.get("vnp_ResponseCode", ""))
    status = str(fields.get("vnp_TransactionStatus", response))
    paid: bool | None = None
    if response == "00" and status == "00":
        paid = True
    elif status not in ("", "01"):  # 01: not completed yet
        paid = False
    return Verdict(
        signature_valid=True,
        txn_ref=str(fields.get("vnp_TxnRef", "")),
        amount_vnd=amount,
        paid=paid,
        gateway_transaction=str(fields.get("vnp_TransactionNo", "")),
        code=response,
    )
