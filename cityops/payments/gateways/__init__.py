"""The gateway adapters, one per :class:`~cityops.payments.choices.Gateway`."""

from cityops.payments.choices import Gateway
from cityops.payments.gateways.base import Adapter, GatewayError, PayTarget, Verdict
from cityops.payments.gateways.momo import MoMo
from cityops.payments.gateways.vietqr import VietQR
from cityops.payments.gateways.vnpay import VNPay

__all__ = ["Adapter", "GatewayError", "PayTarget", "Verdict", "adapter_for"]


def adapter_for(gateway: Gateway | str) -> Adapter:
    """The adapter of ``gateway``, configured from the settings."""
    return {Gateway.VNPAY: VNPay, Gateway.MOMO: MoMo, Gateway.VIETQR: VietQR}[Gateway(gateway)]()
