"""Receipts: one per paid payment, numbered without gaps, a PDF, an e-invoice XML and a public
check page that masks the payer."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from cityops.payments.choices import Gateway
from cityops.payments.models import Receipt, ReceiptCounter
from cityops.payments.receipts import mask_name, next_number, receipt_issue
from cityops.payments.services import payment_mark_paid, payment_start
from cityops.platform.money import vnd_in_words

pytestmark = pytest.mark.django_db


def paid(amount: int = 1_250_000, payer: str = "Nguyễn Văn An"):
    payment = payment_start(
        purpose="test",
        reference="HS-7",
        description="Lệ phí cấp phép xây dựng",
        amount_vnd=amount,
        gateway=Gateway.VNPAY,
        payer_name=payer,
        seller_name="UBND phường Phú Hội",
    )
    payment_mark_paid(payment=payment, gateway_transaction="14226112", amount_vnd=amount)
    return payment


def test_a_paid_payment_gets_a_receipt_with_its_pdf_and_xml_as_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = paid()
    receipt = Receipt.objects.get(payment=payment)
    assert receipt.pdf.read(5) == b"%PDF-"
    root = ET.fromstring(receipt.xml.read())  # noqa: S314 (our own file)
    general = root.find("DLHDon/TTChung")
    assert general is not None
    assert (general.findtext("KHHDon"), general.findtext("SHDon"), general.findtext("DVTTe")) == (
        receipt.series,
        "1",
        "VND",
    )
    assert general.findtext("HTTToan") == "VNPay"
    body = root.find("DLHDon/NDHDon")
    assert body is not None
    assert body.findtext("NBan/Ten") == "UBND phường Phú Hội"
    assert body.findtext("NMua/Ten") == "Nguyễn Văn An"
    item = body.find("DSHHDVu/HHDVu")
    assert item is not None
    assert [item.findtext(tag) for tag in ("STT", "THHDVu", "SLuong", "DGia", "ThTien")] == [
        "1",
        "Lệ phí cấp phép xây dựng",
        "1",
        "1250000",
        "1250000",
    ]
    assert body.findtext("TToan/TgTTTBSo") == "1250000"
    assert body.findtext("TToan/TgTTTBChu") == "Một triệu hai trăm năm mươi nghìn đồng"


def test_a_receipt_is_made_once_however_often_it_is_asked_for(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        payment = paid()
    again = receipt_issue(payment_id=payment.pk)
    assert again is not None
    assert again.number == 1
    assert Receipt.objects.count() == 1


def test_numbers_follow_each_other_without_gaps_in_a_series(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for amount in (10_000, 20_000, 30_000):
            paid(amount)
    assert list(Receipt.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert ReceiptCounter.objects.get().last == 3


def test_the_counter_of_each_series_counts_on_its_own():
    assert [next_number("A"), next_number("A"), next_number("B"), next_number("A")] == [1, 2, 1, 3]


def test_an_unpaid_payment_gets_no_receipt():
    payment = payment_start(
        purpose="test", reference="x", description="x", amount_vnd=1, gateway=Gateway.MOMO
    )
    assert receipt_issue(payment_id=payment.pk) is None


def test_the_check_page_shows_the_receipt_and_masks_the_payer(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = paid(payer="Trần Thị Bích Ngọc")
    receipt = Receipt.objects.get(payment=payment)
    page = client.get(reverse("payments:receipt", args=[receipt.verification_code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Trần T. B. N." in text
    assert "Thị Bích Ngọc" not in text
    assert "1.250.000 đ" in text
    assert client.get(reverse("payments:receipt", args=["not-a-code"])).status_code == 404


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (2_024_000, "Hai triệu không trăm hai mươi tư nghìn đồng"),
        (1_000_000_000, "Một tỷ đồng"),
    ],
)
def test_amounts_are_written_in_vietnamese_words(amount, words):
    assert vnd_in_words(amount) == words


def test_names_are_masked_to_the_family_name_and_initials():
    assert mask_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert mask_name("") == ""
