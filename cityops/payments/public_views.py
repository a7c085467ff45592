"""The payer's side: the pay page (to the gateway, or the VietQR code), the return pages (they
show OUR state and never change it), the gateways' server notifications (IPN, CSRF-exempt:
machines signing with a shared secret, not browsers) and the receipt's verification page."""

from __future__ import annotations

import io
import logging
from typing import Any

import segno
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cityops.payments import services
from cityops.payments.choices import Gateway, Outcome, PaymentStatus
from cityops.payments.gateways import GatewayError, adapter_for, vnpay
from cityops.payments.models import Payment
from cityops.payments.receipts import mask_name
from cityops.payments.selectors import payment_by_ref, receipt_by_code
from cityops.payments.tasks import query_payment
from cityops.platform.http import MalformedJSON, client_ip, json_body
from cityops.platform.money import vnd, vnd_in_words
from cityops.platform.ratelimit import rate_for, rate_limit_hit
from cityops.portal.limits import too_many_requests

logger = logging.getLogger(__name__)

VNPAY_ANSWERS = {
    Outcome.PAID: vnpay.CONFIRMED,
    Outcome.FAILED: vnpay.CONFIRMED,
    Outcome.REPLAYED: vnpay.ALREADY,
    Outcome.NOT_FINAL: vnpay.CONFIRMED,
    Outcome.UNKNOWN_PAYMENT: vnpay.NOT_FOUND,
    Outcome.AMOUNT_MISMATCH: vnpay.BAD_AMOUNT,
    Outcome.BAD_SIGNATURE: vnpay.BAD_SIGNATURE,
}


def _limited(request: HttpRequest, scope: str) -> HttpResponse | None:
    rate = rate_for("payments_ipn_per_ip" if scope == "ipn" else "payments_per_ip")
    wait = rate_limit_hit(scope=f"payments:{scope}", key=client_ip(request), rate=rate)
    return None if wait is None else too_many_requests(request, retry_after=wait)


def _payment(txn_ref: str) -> Payment:
    payment = payment_by_ref(txn_ref=txn_ref)
    if payment is None:
        raise Http404
    return payment


@require_GET
def pay(request: HttpRequest, txn_ref: str) -> HttpResponse:
    """To the gateway for a waiting payment; the VietQR code and the transfer's details."""
    if (limited := _limited(request, "pay")) is not None:
        return limited
    payment = _payment(txn_ref)
    if payment.status != PaymentStatus.PENDING:
        return redirect("payments:status", txn_ref=payment.txn_ref)
    if payment.gateway == Gateway.VIETQR:
        return render(request, "payments/public/vietqr.html", _context(payment))
    site = request.build_absolute_uri("/")[:-1]
    try:
        target = adapter_for(payment.gateway).pay_target(
            payment,
            return_url=site + reverse("payments:return", args=[payment.gateway]),
            ipn_url=site + reverse("payments:ipn_momo"),
            client_ip=client_ip(request),
        )
    except GatewayError:
        logger.warning("gateway refused %s", payment.txn_ref, exc_info=True)
        context = {**_context(payment), "gateway_down": True}
        return render(request, "payments/public/status.html", context, status=502)
    return redirect(target.url)


@require_GET
def vietqr_png(request: HttpRequest, txn_ref: str) -> HttpResponse:
    payment = _payment(txn_ref)
    if payment.gateway != Gateway.VIETQR or payment.status != PaymentStatus.PENDING:
        raise Http404
    target = adapter_for(Gateway.VIETQR).pay_target(
        payment, return_url="", ipn_url="", client_ip=""
    )
    out = io.BytesIO()
    segno.make(target.qr_payload, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def back(request: HttpRequest, gateway: str) -> HttpResponse:
    """The browser's return from the gateway: kept, never believed; a waiting payment is asked
    about (a status query job) and the payer sees our own state."""
    if (limited := _limited(request, "return")) is not None:
        return limited
    if gateway not in Gateway.values:
        raise Http404
    params = {key: str(value)[:500] for key, value in request.GET.items()}
    txn_ref = params.get("vnp_TxnRef") or params.get("orderId") or ""
    payment = payment_by_ref(txn_ref=txn_ref[:40])
    services.payment_return_seen(payment=payment, gateway=gateway, payload=params)
    if payment is None:
        raise Http404
    if payment.status == PaymentStatus.PENDING:
        query_payment.enqueue(payment_id=payment.pk)
    return redirect("payments:status", txn_ref=payment.txn_ref)


@require_GET
def status(request: HttpRequest, txn_ref: str) -> HttpResponse:
    if (limited := _limited(request, "status")) is not None:
        return limited
    return render(request, "payments/public/status.html", _context(_payment(txn_ref)))


def _context(payment: Payment) -> dict[str, Any]:
    receipt = getattr(payment, "receipt", None) if payment.status == PaymentStatus.PAID else None
    return {
        "payment": payment,
        "amount": vnd(payment.amount_vnd),
        "waiting": payment.status == PaymentStatus.PENDING,
        "receipt": receipt,
        "account_name": _setting("CITYOPS_VIETQR_ACCOUNT_NAME"),
        "account": _setting("CITYOPS_VIETQR_ACCOUNT"),
        "bank_bin": _setting("CITYOPS_VIETQR_BANK_BIN"),
    }


def _setting(name: str) -> str:
    from django.conf import settings

    return str(getattr(settings, name, ""))


@csrf_exempt  # VNPay's server calls it, signed with the hash secret (HMAC-SHA512)
@require_GET
def ipn_vnpay(request: HttpRequest) -> HttpResponse:
    if (limited := _limited(request, "ipn")) is not None:
        return limited
    params = {key: value for key, value in request.GET.items() if key.startswith("vnp_")}
    if not params:
        return JsonResponse(vnpay.UNKNOWN)
    try:
        outcome = services.notification_receive(gateway=Gateway.VNPAY, payload=params)
    except Exception:  # VNPay is told "99" and retries; we keep the trace
        logger.exception("VNPay IPN failed")
        return JsonResponse(vnpay.UNKNOWN)
    return JsonResponse(VNPAY_ANSWERS[outcome])


@csrf_exempt  # MoMo's server calls it, signed with the secret key (HMAC-SHA256)
@require_POST
def ipn_momo(request: HttpRequest) -> HttpResponse:
    if (limited := _limited(request, "ipn")) is not None:
        return limited
    try:
        payload = json_body(request)
    except MalformedJSON:
        return HttpResponse(status=400)
    if not isinstance(payload, dict):
        return HttpResponse(status=400)
    outcome = services.notification_receive(gateway=Gateway.MOMO, payload=payload)
    if outcome in (Outcome.BAD_SIGNATURE, Outcome.UNKNOWN_PAYMENT):
        return HttpResponse(status=400)
    return HttpResponse(status=204)  # MoMo's acknowledgement


@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """What the receipt's QR code opens: its key facts, the payer's name masked."""
    if (limited := _limited(request, "receipt")) is not None:
        return limited
    found = receipt_by_code(code=code[:40])
    if found is None:
        raise Http404
    payment = found.payment
    context = {
        "receipt": found,
        "payment": payment,
        "payer": mask_name(payment.payer_name),
        "amount": vnd(payment.amount_vnd),
        "amount_words": vnd_in_words(payment.amount_vnd),
        "refunded": payment.status == PaymentStatus.REFUNDED,
    }
    response = render(request, "payments/public/receipt.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
