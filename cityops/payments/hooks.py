"""What happens when a payment is paid: each purpose registers one handler (the online services
app registers ``online``), called inside the transaction that marks the payment paid."""

from collections.abc import Callable

from cityops.payments.models import Payment

Handler = Callable[[Payment], None]
_HANDLERS: dict[str, Handler] = {}


def on_paid(purpose: str) -> Callable[[Handler], Handler]:
    """Register the function called when a payment of ``purpose`` becomes paid."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[purpose] = handler
        return handler

    return register


def paid(payment: Payment) -> None:
    handler = _HANDLERS.get(payment.purpose)
    if handler is not None:
        handler(payment)
