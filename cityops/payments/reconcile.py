"""The daily reconciliation: our payments of a day against each gateway's own list.

The gateway's list is its settlement file (CSV: ``txn_ref,amount_vnd,status,gateway_transaction``)
or, without one, a status query for each of the day's payments. For bank transfers (VietQR) the
bank's statement (CSV: ``amount_vnd,memo,bank_reference[,date]``) is the list, and importing it is
also what marks the transfers paid. Every difference is kept in a :class:`Reconciliation`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityops.payments.choices import Gateway, PaymentStatus
from cityops.payments.gateways import GatewayError, adapter_for
from cityops.payments.models import Payment, Reconciliation
from cityops.payments.services import payment_confirm_transfer
from cityops.platform import clock
from cityops.platform.errors import InvalidInput

SETTLEMENT_COLUMNS = {"txn_ref", "amount_vnd", "status"}
STATEMENT_COLUMNS = {"amount_vnd", "memo"}
MAX_ROWS = 100_000
TXN_REF = re.compile(r"\b(\d{6}[0-9A-F]{12})\b")


def read_csv(text: str, *, needs: set[str]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = needs - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(f"The file lacks the columns: {', '.join(sorted(missing))}.")
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise InvalidInput(f"More than {MAX_ROWS} lines.")
        rows.append({key: (value or "").strip() for key, value in row.items() if key})
    return rows


def _amount(text: str) -> int | None:
    digits = text.replace(".", "").replace(",", "").replace(" ", "")
    return int(digits) if digits.isdigit() else None


def _ours(gateway: str, day: date) -> list[Payment]:
    return list(Payment.objects.filter(gateway=gateway, created_at__date=day).order_by("pk"))


def _diff(kind: str, txn_ref: str, ours: Any = None, theirs: Any = None) -> dict[str, Any]:
    return {"kind": kind, "txn_ref": txn_ref, "ours": ours, "theirs": theirs}


def compare(payments: Iterable[Payment], theirs: dict[str, dict[str, Any]]) -> list[dict]:
    """Differences between ``payments`` and the gateway's lines ``theirs`` (by txn_ref: amount
    and whether it was paid)."""
    differences, seen = [], set()
    for payment in payments:
        seen.add(payment.txn_ref)
        line = theirs.get(payment.txn_ref)
        ours_paid = payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED)
        if payment.flagged:
            differences.append(_diff("flagged", payment.txn_ref, payment.flag_reason))
        if line is None or not line["paid"]:
            if ours_paid:
                differences.append(
                    _diff(
                        "paid_here_not_there",
                        payment.txn_ref,
                        payment.amount_vnd,
                        line and line["amount"],
                    )
                )
            continue
        if line["amount"] != payment.amount_vnd:
            differences.append(
                _diff("amount_differs", payment.txn_ref, payment.amount_vnd, line["amount"])
            )
        elif not ours_paid:
            differences.append(
                _diff("paid_there_not_here", payment.txn_ref, payment.status, line["amount"])
            )
    for txn_ref, line in theirs.items():
        if txn_ref not in seen and line["paid"]:
            known = Payment.objects.filter(txn_ref=txn_ref).exists()
            kind = "other_day" if known else "unknown_reference"
            differences.append(_diff(kind, txn_ref, None, line["amount"]))
    return differences


def _keep(
    *, day: date, gateway: str, source: str, checked: int, differences: list
) -> Reconciliation:
    with transaction.atomic():
        Reconciliation.objects.filter(day=day, gateway=gateway, source=source).delete()
        return Reconciliation.objects.create(
            day=day, gateway=gateway, source=source, checked=checked, differences=differences
        )


def reconcile_settlement(*, gateway: Gateway | str, day: date, text: str) -> Reconciliation:
    """Compare the day's payments of ``gateway`` with its settlement file ``text``."""
    theirs = {
        row["txn_ref"]: {
            "amount": _amount(row["amount_vnd"]),
            "paid": row["status"].lower() in ("paid", "success", "00", "0"),
        }
        for row in read_csv(text, needs=SETTLEMENT_COLUMNS)
    }
    payments = _ours(gateway, day)
    return _keep(
        day=day,
        gateway=gateway,
        source="settlement file",
        checked=len(payments),
        differences=compare(payments, theirs),
    )


def _yesterday() -> date:
    return timezone.localdate(clock.now()) - timedelta(days=1)


def reconciled_yesterday() -> bool:
    return Reconciliation.objects.filter(day=_yesterday(), source="status queries").exists()


def reconcile_by_queries(*, day: date | None = None) -> list[Reconciliation]:
    """Compare the day's VNPay and MoMo payments (yesterday's by default) with the gateways'
    answers to a status query for each (no query: counted as not paid there)."""
    day = day or _yesterday()
    reports = []
    for gateway in (Gateway.VNPAY, Gateway.MOMO):
        adapter, payments, theirs = adapter_for(gateway), _ours(gateway, day), {}
        for payment in payments:
            try:
                verdict = adapter.query(payment)
            except GatewayError:
                verdict = None
            if verdict is not None and verdict.signature_valid:
                theirs[payment.txn_ref] = {"amount": verdict.amount_vnd, "paid": bool(verdict.paid)}
        if payments:
            reports.append(
                _keep(
                    day=day,
                    gateway=gateway,
                    source="status queries",
                    checked=len(payments),
                    differences=compare(payments, theirs),
                )
            )
    return reports


def bank_statement_import(*, day: date, text: str) -> Reconciliation:
    """Apply the bank's statement: each credit whose memo holds one of our references pays it
    (for its exact amount; another amount is refused and flagged); then compare."""
    theirs: dict[str, dict[str, Any]] = {}
    for row in read_csv(text, needs=STATEMENT_COLUMNS):
        found = TXN_REF.search(row["memo"].upper())
        amount = _amount(row["amount_vnd"])
        if found is None or amount is None:
            continue
        theirs[found.group(1)] = {"amount": amount, "paid": True}
        payment = Payment.objects.filter(txn_ref=found.group(1), gateway=Gateway.VIETQR).first()
        if payment is not None:
            payment_confirm_transfer(payment=payment, statement_line={**row, "amount_vnd": amount})
    payments = _ours(Gateway.VIETQR, day)
    for payment in payments:
        payment.refresh_from_db()
    return _keep(
        day=day,
        gateway=Gateway.VIETQR,
        source="bank statement",
        checked=len(payments),
        differences=compare(payments, theirs),
    )
