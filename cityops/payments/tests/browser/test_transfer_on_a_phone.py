"""A payer on a phone opens the bank transfer's page (the VietQR code and the exact details),
waits; once staff confirm the statement line the status page says paid, and the receipt's
check page names the payer only by family name and initials."""

from __future__ import annotations

import pytest

from cityops.payments.choices import Gateway
from cityops.payments.services import payment_confirm_transfer, payment_start

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_payer_transfers_by_vietqr_and_checks_the_receipt(new_page, settings):
    settings.CITYOPS_VIETQR_BANK_BIN = "970415"
    settings.CITYOPS_VIETQR_ACCOUNT = "0011001932418"
    settings.CITYOPS_VIETQR_ACCOUNT_NAME = "UBND PHUONG PHU HOI"
    payment = payment_start(purpose="test", reference="HS-42", description="Lệ phí cấp phép",
                            amount_vnd=150_000, gateway=Gateway.VIETQR,
                            payer_name="Phạm Thị Hồng Nhung")  # fmt: skip
    page = new_page(PHONE, language="en")
    page.goto(f"/payments/pay/{payment.txn_ref}")
    code = page.get_by_alt_text("VietQR code of this transfer")
    code.wait_for()
    assert page.evaluate("document.querySelector('img').naturalWidth") > 0
    assert page.get_by_text(payment.txn_ref).first.is_visible()
    assert page.get_by_text("150.000 đ").is_visible()
    page.get_by_role("link", name="See the payment's status").click()
    assert page.get_by_text("Waiting for the gateway's confirmation").is_visible()

    line = {"amount_vnd": 150_000, "bank_reference": "FT26341", "memo": payment.txn_ref}
    payment_confirm_transfer(payment=payment, statement_line=line)
    page.reload()
    assert page.get_by_text("Paid. Thank you.").is_visible()
    page.get_by_role("link", name="Check the receipt").click()
    assert page.get_by_role("heading", name="Receipt check").is_visible()
    assert page.get_by_text("Phạm T. H. N.").is_visible()
    assert "Hồng Nhung" not in page.content()
    # The page fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
