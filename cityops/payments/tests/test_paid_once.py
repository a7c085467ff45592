"""A payment is marked paid once, for its own amount, and its purpose's handler runs once."""

import pytest

from cityops.payments import hooks
from cityops.payments.choices import Gateway, PaymentStatus
from cityops.payments.services import payment_mark_paid, payment_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(monkeypatch):
    calls = []
    monkeypatch.setitem(hooks._HANDLERS, "test", calls.append)
    return calls


def test_a_replayed_notification_changes_nothing_and_a_wrong_amount_is_flagged(handled):
    fee = payment_start(
        purpose="test",
        reference="HS-1",
        description="Lệ phí",
        amount_vnd=50_000,
        gateway=Gateway.VNPAY,
    )
    assert fee.status == PaymentStatus.PENDING
    assert not payment_mark_paid(payment=fee, gateway_transaction="1", amount_vnd=5_000)
    fee.refresh_from_db()
    assert (fee.status, fee.flagged) == (PaymentStatus.PENDING, True)
    assert payment_mark_paid(payment=fee, gateway_transaction="14226112", amount_vnd=50_000)
    assert not payment_mark_paid(payment=fee, gateway_transaction="14226112", amount_vnd=50_000)
    assert fee.status == PaymentStatus.PAID
    assert handled == [fee]
