"""A local fake of VNPay and MoMo for the tests.

It signs its notifications as the gateways' public documentation describes, computing the
signatures here on its own (``hmac`` and ``urllib``; never the adapters' code), and sends them
to the Django test client; a real HTTP server thread answers the gateways' APIs that CityOps
calls itself: VNPay's querydr, MoMo's create and query.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

from django.test import Client

from cityops.payments.models import Payment

VNPAY_TMN = "CITYOPS1"
VNPAY_SECRET = "SECRETVNPAYFORTESTS0123456789ABC"
# MoMo's published sandbox credentials (developers.momo.vn, "Test environment").
MOMO_PARTNER = "MOMO"
MOMO_ACCESS = "F8BBA842ECF85"
MOMO_SECRET = "K951B6PE1waDMi640xX08PD3vg6EkVlz"
MOMO_IPN_ORDER = (
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


def vnpay_hash(params: dict[str, Any]) -> str:
    data = urlencode(sorted((k, str(v)) for k, v in params.items()))
    return hmac.new(VNPAY_SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()


def momo_hash(data: dict[str, Any], order: tuple[str, ...]) -> str:
    raw = "&".join(f"{name}={({**data, 'accessKey': MOMO_ACCESS}).get(name, '')}" for name in order)
    return hmac.new(MOMO_SECRET.encode(), raw.encode(), hashlib.sha256).hexdigest()


@dataclass
class FakeGateway:
    """What the gateway knows: ``settled[txn_ref] = (paid, amount_vnd)``; and what it was sent."""

    settled: dict[str, tuple[bool, int]] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)
    url: str = ""
    transaction_no: int = 14226112

    # --- VNPay -----------------------------------------------------------------------------

    def vnpay_ipn(
        self,
        payment: Payment,
        *,
        paid: bool = True,
        amount_vnd: int | None = None,
        tamper: bool = False,
    ) -> dict[str, str]:
        """The IPN's query parameters (VNPay 2.1.0): 00/00 for a success, 24 for a cancel."""
        self.transaction_no += 1
        params = {
            "vnp_Amount": str((amount_vnd or payment.amount_vnd) * 100),
            "vnp_BankCode": "NCB",
            "vnp_BankTranNo": "VNP14226112",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": f"Thanh toan {payment.txn_ref}",
            "vnp_PayDate": "20261207101500",
            "vnp_ResponseCode": "00" if paid else "24",
            "vnp_TmnCode": VNPAY_TMN,
            "vnp_TransactionNo": str(self.transaction_no),
            "vnp_TransactionStatus": "00" if paid else "02",
            "vnp_TxnRef": payment.txn_ref,
        }
        params["vnp_SecureHashType"] = "HmacSHA512"
        params["vnp_SecureHash"] = vnpay_hash(
            {k: v for k, v in params.items() if k != "vnp_SecureHashType"}
        )
        if tamper:
            params["vnp_Amount"] = str(int(params["vnp_Amount"]) // 10)
        return params

    def send_vnpay(self, client: Client, params: dict[str, str]) -> dict:
        answer = client.get("/payments/ipn/vnpay", params)
        assert answer.status_code == 200
        return answer.json()

    # --- MoMo ------------------------------------------------------------------------------

    def momo_ipn(
        self,
        payment: Payment,
        *,
        paid: bool = True,
        amount_vnd: int | None = None,
        tamper: bool = False,
    ) -> dict[str, Any]:
        """The IPN's JSON body (MoMo v2): resultCode 0 for a success, 1006 for a refusal."""
        self.transaction_no += 1
        body: dict[str, Any] = {
            "partnerCode": MOMO_PARTNER,
            "orderId": payment.txn_ref,
            "requestId": f"{payment.txn_ref}-r",
            "amount": amount_vnd or payment.amount_vnd,
            "orderInfo": payment.description,
            "orderType": "momo_wallet",
            "transId": self.transaction_no,
            "resultCode": 0 if paid else 1006,
            "message": "Thành công." if paid else "Giao dịch bị từ chối bởi người dùng.",
            "payType": "qr",
            "responseTime": 1765100100000,
            "extraData": "",
        }
        body["signature"] = momo_hash(body, MOMO_IPN_ORDER)
        if tamper:
            body["amount"] = body["amount"] // 10
        return body

    def send_momo(self, client: Client, body: dict[str, Any]) -> int:
        answer = client.post(
            "/payments/ipn/momo", json.dumps(body), content_type="application/json"
        )
        return answer.status_code

    # --- the APIs CityOps calls --------------------------------------------------------------

    def answer(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self.requests.append((path, body))
        if path == "/vnpay/query":
            return self._vnpay_query(body)
        if path == "/momo/v2/gateway/api/create":
            return {
                "partnerCode": MOMO_PARTNER,
                "orderId": body["orderId"],
                "resultCode": 0,
                "payUrl": f"{self.url}/momo/pay?orderId={body['orderId']}",
            }
        if path == "/momo/v2/gateway/api/query":
            paid, amount = self.settled.get(body["orderId"], (False, 0))
            answer = {
                "partnerCode": MOMO_PARTNER,
                "orderId": body["orderId"],
                "requestId": body["requestId"],
                "amount": amount,
                "transId": 9900,
                "resultCode": 0 if paid else (1005 if body["orderId"] in self.settled else 1000),
            }
            return answer
        return {"error": "unknown path"}

    def _vnpay_query(self, body: dict[str, Any]) -> dict[str, Any]:
        paid, amount = self.settled.get(body["vnp_TxnRef"], (False, 0))
        known = body["vnp_TxnRef"] in self.settled
        answer = {
            "vnp_ResponseId": "r1",
            "vnp_Command": "querydr",
            "vnp_ResponseCode": "00" if known else "91",
            "vnp_Message": "QueryDR Success",
            "vnp_TmnCode": VNPAY_TMN,
            "vnp_TxnRef": body["vnp_TxnRef"],
            "vnp_Amount": str(amount * 100),
            "vnp_BankCode": "NCB",
            "vnp_PayDate": "20261207101500",
            "vnp_TransactionNo": "14229999",
            "vnp_TransactionType": "01",
            "vnp_TransactionStatus": "00" if paid else "02",
            "vnp_OrderInfo": body["vnp_OrderInfo"],
            "vnp_PromotionCode": "",
            "vnp_PromotionAmount": "",
        }
        order = (
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
        data = "|".join(str(answer[name]) for name in order)
        answer["vnp_SecureHash"] = hmac.new(
            VNPAY_SECRET.encode(), data.encode(), hashlib.sha512
        ).hexdigest()
        return answer


def serve(fake: FakeGateway) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            data = json.dumps(fake.answer(self.path, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
