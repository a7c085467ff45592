"""The console's payments: the list with filters and the flagged ones, a payment with every
notification kept, the reconciliation reports; refunds, transfer confirmations and the bank
statement's import are writes of IOC staff (operators, administrators); leaders read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import IOC_READERS, IOC_STAFF, may_act, roles_required
from cityops.accounts.models import User
from cityops.payments import services
from cityops.payments.choices import Outcome
from cityops.payments.forms import PaymentFilterForm, RefundForm, StatementForm, TransferForm
from cityops.payments.models import Payment
from cityops.payments.reconcile import bank_statement_import
from cityops.payments.selectors import (
    payment_for_staff,
    payments_for_console,
    reconciliations_recent,
)
from cityops.platform.errors import CityOpsError
from cityops.platform.money import vnd

PAGE_SIZE = 50


def _payment(pk: int) -> Payment:
    payment = payment_for_staff(pk=pk)
    if payment is None:
        raise Http404
    return payment


@require_GET
@roles_required(*IOC_READERS)
def payments(request: HttpRequest) -> HttpResponse:
    form = PaymentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = payments_for_console(
        status=filters.get("status", ""),
        gateway=filters.get("gateway", ""),
        flagged=bool(filters.get("flagged")),
        day=filters.get("day"),
        query=filters.get("q", ""),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": [(payment, vnd(payment.amount_vnd)) for payment in page],
        "flagged": payments_for_console(flagged=True)[:20],
        "reconciliations": reconciliations_recent(),
        "statement_form": StatementForm(),
        "may_act": may_act(request.user),
        "is_ioc": True,
    }
    return render(request, "payments/console/payments.html", context)


@require_GET
@roles_required(*IOC_READERS)
def payment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _payment(pk)
    context = {
        "payment": found,
        "amount": vnd(found.amount_vnd),
        "notifications": found.notifications.order_by("-received_at"),
        "receipt": getattr(found, "receipt", None),
        "refund_form": RefundForm(),
        "transfer_form": TransferForm(),
        "may_act": may_act(request.user),
        "is_ioc": True,
    }
    return render(request, "payments/console/payment.html", context)


@require_GET
@roles_required(*IOC_READERS)
def receipt_pdf(request: HttpRequest, pk: int) -> FileResponse:
    receipt = getattr(_payment(pk), "receipt", None)
    if receipt is None or not receipt.pdf:
        raise Http404
    return FileResponse(
        receipt.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{receipt.series}-{receipt.number:07d}.pdf",
    )


@require_POST
@roles_required(*IOC_STAFF)
def refund(request: HttpRequest, pk: int) -> HttpResponse:
    found, form = _payment(pk), RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the fee is refunded."))
        return redirect("console:payments:payment", pk=pk)
    assert isinstance(request.user, User)
    try:
        services.payment_refund(
            payment=found, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except CityOpsError as error:
        messages.error(request, str(error))
        return redirect("console:payments:payment", pk=pk)
    messages.success(request, _("The payment is recorded as refunded."))
    return redirect("console:payments:payment", pk=pk)


@require_POST
@roles_required(*IOC_STAFF)
def confirm_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    found, form = _payment(pk), TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the statement line: its number, amount and date."))
        return redirect("console:payments:payment", pk=pk)
    assert isinstance(request.user, User)
    line = {**form.cleaned_data, "statement_date": str(form.cleaned_data["statement_date"])}
    try:
        outcome = services.payment_confirm_transfer(
            payment=found, statement_line=line, actor=request.user
        )
    except CityOpsError as error:
        messages.error(request, str(error))
        return redirect("console:payments:payment", pk=pk)
    if outcome == Outcome.PAID:
        messages.success(request, _("The transfer is confirmed: the payment is paid."))
    else:
        messages.error(request, Outcome(outcome).label)
    return redirect("console:payments:payment", pk=pk)


@require_POST
@roles_required(*IOC_STAFF)
def statement(request: HttpRequest) -> HttpResponse:
    form = StatementForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("console:payments:payments")
    try:
        report = bank_statement_import(day=form.cleaned_data["day"], text=form.cleaned_data["file"])
    except CityOpsError as error:
        messages.error(request, str(error))
        return redirect("console:payments:payments")
    messages.success(
        request,
        _("Statement imported: %(count)s differences.") % {"count": len(report.differences)},
    )
    return redirect("console:payments:payments")
