"""Jobs of payments; thin wrappers over the services."""

from __future__ import annotations

from django_tasks import task

from cityops.platform.jobs import every


@task()
def issue_receipt(payment_id: int) -> int | None:
    """The receipt of a payment just paid (enqueued when the paid transaction commits)."""
    from cityops.payments.receipts import receipt_issue

    receipt = receipt_issue(payment_id=payment_id)
    return receipt.number if receipt is not None else None


@task()
def query_payment(payment_id: int) -> str | None:
    """Ask the gateway about one payment (the payer came back and it is still waiting)."""
    from cityops.payments.models import Payment
    from cityops.payments.services import payment_query

    payment = Payment.objects.filter(pk=payment_id).first()
    outcome = payment_query(payment=payment) if payment is not None else None
    return str(outcome) if outcome is not None else None


@every(minutes=5)
@task()
def expire_payments() -> int:
    """Waiting payments past their time expire (after one last status query)."""
    from cityops.payments.services import payments_expire

    return payments_expire()


@every(minutes=30)
@task()
def reconcile_yesterday() -> int:
    """The daily reconciliation of yesterday's payments by status queries: the first run of a
    day makes it (the schedule's smallest step is an hour's part, so later runs skip)."""
    from cityops.payments.reconcile import reconcile_by_queries, reconciled_yesterday

    if reconciled_yesterday():
        return 0
    return sum(len(report.differences) for report in reconcile_by_queries())
