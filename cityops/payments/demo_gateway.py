"""The demo's stand-in for VNPay: a page of this site where the payer chooses to pay or cancel.

``cityops run`` with demo data and no VNPay terminal configured turns it on (the setting
``CITYOPS_PAYMENTS_DEMO``, never read from the environment: with it anyone can mark a fee
paid). The VNPay adapter then signs its payment addresses for a demo terminal with a secret
derived from ``SECRET_KEY`` and sends the payer here. This page does what VNPay's servers do:
it checks the address's signature, and on the payer's choice sends the signed notification
(IPN) through the same service the real one reaches, then returns the browser to the signed
return address. So the demo runs CityOps' real payment path, signatures, receipt and all; only
no money moves, and the page says so.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from cityops.payments import services
from cityops.payments.choices import Gateway
from cityops.payments.gateways import vnpay
from cityops.payments.gateways.base import same
from cityops.payments.selectors import payment_by_ref
from cityops.platform import clock
from cityops.platform.money import vnd

TERMINAL = "CITYOPSDEMO"


def demo_on() -> bool:
    """The stand-in serves only when turned on and no real VNPay terminal is configured."""
    return bool(settings.CITYOPS_PAYMENTS_DEMO) and not settings.CITYOPS_VNPAY_TMN_CODE


def demo_secret() -> str:
    """The demo terminal's hash secret: this site's own, derived from ``SECRET_KEY``."""
    return salted_hmac("cityops.payments.demo_gateway", TERMINAL).hexdigest()


def _notification(order: dict[str, str], *, paid: bool) -> dict[str, str]:
    """What VNPay's server sends (2.1.0): 00/00 for a success, 24 when the payer cancels."""
    notice = {
        "vnp_Amount": order["vnp_Amount"],
        "vnp_BankCode": "DEMO",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": order.get("vnp_OrderInfo", ""),
        "vnp_PayDate": vnpay.vn_time(clock.now()),
        "vnp_ResponseCode": "00" if paid else "24",
        "vnp_TmnCode": TERMINAL,
        "vnp_TransactionNo": str(secrets.randbelow(90_000_000) + 10_000_000),
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TxnRef": order["vnp_TxnRef"],
    }
    notice["vnp_SecureHash"] = vnpay.sign(notice, demo_secret())
    return notice


@require_http_methods(["GET", "POST"])
def demo_vnpay(request: HttpRequest) -> HttpResponse:
    """GET: the order the signed address describes; POST (the same address, CSRF-protected):
    pay or cancel, notify, and back to the return address."""
    if not demo_on():
        raise Http404
    order = {key: str(value) for key, value in request.GET.items() if key.startswith("vnp_")}
    given = order.pop("vnp_SecureHash", "")
    payment = payment_by_ref(txn_ref=order.get("vnp_TxnRef", "")[:40])
    valid = (
        payment is not None
        and payment.gateway == Gateway.VNPAY
        and same(vnpay.sign(order, demo_secret()), given)
        and url_has_allowed_host_and_scheme(
            order.get("vnp_ReturnUrl", ""), allowed_hosts={request.get_host()}
        )
    )
    if payment is None or not valid:
        return render(request, "payments/public/demo_gateway.html", {"invalid": True}, status=400)
    if request.method == "POST":
        notice = _notification(order, paid=request.POST.get("action") == "pay")
        services.notification_receive(gateway=Gateway.VNPAY, payload=notice)
        return redirect(f"{order['vnp_ReturnUrl']}?{urlencode(notice)}")
    context: dict[str, Any] = {"payment": payment, "amount": vnd(payment.amount_vnd)}
    return render(request, "payments/public/demo_gateway.html", context)
