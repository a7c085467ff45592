"""MoMo, API v2 (captureWallet): the payment address from /v2/gateway/api/create, the IPN's
check and the status query (/v2/gateway/api/query).

Each request and answer is signed with HMAC-SHA256 (secret key) over ``name=value`` pairs joined
by ``&`` in the fixed alphabetical order MoMo documents for it; values are not URL-encoded.
``resultCode`` 0 is a success; the IPN is acknowledged with HTTP 204.
"""

from __future__ import annotations

import secrets
from typing import Any

import requests
from django.conf import settings

from cityops.payments.gateways.base import (
    SHA256,
    GatewayError,
    PayTarget,
    Verdict,
    hmac_hex,
    same,
)
from cityops.payments.models import Payment

CREATE_FIELDS = (
    "accessKey",
    "amount",
    "extraData",
    "ipnUrl",
    "orderId",
    "orderInfo",
    "partnerCode",
    "redirectUrl",
    "requestId",
    "requestType",
)
IPN_FIELDS = (
    "accessKey",
    "amount",
    "extraData",
    "message",
    "orderId",
    "orderInfo",
    "orderType",
    "partnerCode",
    "payType",
    "requestId",
    "responseTime",
    "resultCode",
    "transId",
)
QUERY_FIELDS = ("accessKey", "orderId", "partnerCode", "requestId")
# Still in progress (MoMo's list): 1000 waiting for the user, 7000/7002 being processed.
PENDING_CODES = {1000, 7000, 7002}


def raw_signature(data: dict[str, Any], order: tuple[str, ...]) -> str:
    return "&".join(f"{name}={data.get(name, '')}" for name in order)


class MoMo:
    def __init__(
        self, *, partner: str = "", access_key: str = "", secret: str = "", endpoint: str = ""
    ) -> None:
        self.partner = partner or settings.CITYOPS_MOMO_PARTNER_CODE
        self.access_key = access_key or settings.CITYOPS_MOMO_ACCESS_KEY
        self.secret = secret or settings.CITYOPS_MOMO_SECRET_KEY
        self.endpoint = (endpoint or settings.CITYOPS_MOMO_ENDPOINT).rstrip("/")

    def sign(self, data: dict[str, Any], order: tuple[str, ...]) -> str:
        return hmac_hex(
            self.secret, raw_signature({**data, "accessKey": self.access_key}, order), SHA256
        )

    def create_request(self, payment: Payment, *, return_url: str, ipn_url: str) -> dict:
        body: dict[str, Any] = {
            "partnerCode": self.partner,
            "requestId": f"{payment.txn_ref}-{secrets.token_hex(4)}",
            "amount": payment.amount_vnd,
            "orderId": payment.txn_ref,
            "orderInfo": payment.description[:200],
            "redirectUrl": return_url,
            "ipnUrl": ipn_url,
            "requestType": "captureWallet",
            "extraData": "",
            "lang": "vi",
        }
        body["signature"] = self.sign(body, CREATE_FIELDS)
        return body

    def pay_target(
        self, payment: Payment, *, return_url: str, ipn_url: str, client_ip: str
    ) -> PayTarget:
        body = self.create_request(payment, return_url=return_url, ipn_url=ipn_url)
        data = self._post("/v2/gateway/api/create", body)
        if data.get("resultCode") != 0 or not data.get("payUrl"):
            raise GatewayError(f"MoMo create: {data.get('resultCode')} {data.get('message')}")
        return PayTarget(url=str(data["payUrl"]))

    def verify(self, payload: dict[str, Any]) -> Verdict:
        if (
            not self.secret
            or payload.get("partnerCode") != self.partner
            or not same(self.sign(payload, IPN_FIELDS), str(payload.get("signature", "")))
        ):
            return Verdict(signature_valid=False, txn_ref=str(payload.get("orderId", "")))
        return _verdict(payload)

    def query(self, payment: Payment) -> Verdict | None:
        if not (self.partner and self.secret):
            return None
        body: dict[str, Any] = {
            "partnerCode": self.partner,
            "requestId": f"{payment.txn_ref}-q{secrets.token_hex(4)}",
            "orderId": payment.txn_ref,
            "lang": "vi",
        }
        body["signature"] = self.sign(body, QUERY_FIELDS)
        return _verdict(self._post("/v2/gateway/api/query", body))

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            answer = requests.post(self.endpoint + path, json=body, timeout=30)
            data = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise GatewayError(f"MoMo {path}: {error}") from error
        if not isinstance(data, dict):
            raise GatewayError(f"MoMo {path}: not an object")
        return data


def _verdict(data: dict[str, Any]) -> Verdict:
    try:
        code = int(data.get("resultCode", -1))
        amount: int | None = int(data.get("amount", ""))
    except (TypeError, ValueError):
        code, amount = -1, None
    paid = True if code == 0 else None if code in PENDING_CODES else False
    return Verdict(
        signature_valid=True,
        txn_ref=str(data.get("orderId", "")),
        amount_vnd=amount,
        paid=paid,
        gateway_transaction=str(data.get("transId", "")),
        code=str(code),
    )
