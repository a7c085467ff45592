"""Electronic receipts of paid fees: a gap-free number per series, a PDF and an XML.

The number is taken under a row lock on the series' counter (``select_for_update``; SQLite
serialises whole transactions) in the same transaction that creates the receipt, so a number
is used exactly once and none is skipped. The PDF (fpdf2, DejaVu Sans) and the XML (the fields of
a Vietnamese e-invoice, Thông tư 78/2021/TT-BTC and Quyết định 1450/QĐ-TCT) are drawn just
after; a QR code on the PDF opens the public verification page.
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from cityops.payments.choices import Gateway
from cityops.payments.models import Payment, Receipt, ReceiptCounter
from cityops.platform import clock
from cityops.platform.money import vnd, vnd_in_words
from cityops.platform.printing import FONTS, font_dir, qr_png

TEMPLATE_CODE = "1"  # KHMSHDon: 1 = value-added tax invoice; receipts of fees carry it as 1
METHODS = {Gateway.VNPAY: "VNPay", Gateway.MOMO: "Ví MoMo", Gateway.VIETQR: "Chuyển khoản"}


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" → "Nguyễn V. A.": the family name and initials, for anyone but the payer."""
    parts = name.split()
    if not parts:
        return ""
    return " ".join([parts[0], *(f"{part[0]}." for part in parts[1:])])


def next_number(series: str) -> int:
    """The next number of ``series``; call inside the transaction that uses it."""
    ReceiptCounter.objects.get_or_create(series=series)
    counter = ReceiptCounter.objects.select_for_update().get(series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def receipt_issue(*, payment_id: int) -> Receipt | None:
    """The receipt of a paid payment (once: a second call returns the first receipt)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.paid_at is None:
            return None
        existing = Receipt.objects.filter(payment=payment).first()
        if existing is not None:
            return existing
        series = settings.CITYOPS_RECEIPT_SERIES
        receipt = Receipt.objects.create(
            payment=payment,
            series=series,
            number=next_number(series),
            issued_at=clock.now(),
            verification_code=secrets.token_urlsafe(18),
        )
    receipt_render(receipt=receipt)
    return receipt


def receipt_render(*, receipt: Receipt) -> None:
    """(Re)draw the receipt's PDF and XML files, in the city's language (a receipt is a legal
    document, whoever's request or job draws it)."""
    name = f"{receipt.series}-{receipt.number:07d}"
    with translation.override(settings.LANGUAGE_CODE):
        pdf, xml = receipt_pdf(receipt), receipt_xml(receipt)
    receipt.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    receipt.xml.save(f"{name}.xml", ContentFile(xml), save=False)
    receipt.save(update_fields=["pdf", "xml"])


def verification_url(receipt: Receipt) -> str:
    return settings.CITYOPS_SITE_URL + reverse("payments:receipt", args=[receipt.verification_code])


def seller(payment: Payment) -> dict[str, str]:
    return {
        "name": payment.seller_name or settings.CITYOPS_RECEIPT_SELLER,
        "tax_code": settings.CITYOPS_RECEIPT_SELLER_TAX_CODE,
        "address": settings.CITYOPS_RECEIPT_SELLER_ADDRESS,
    }


def facts(receipt: Receipt) -> list[tuple[str, str]]:
    payment = receipt.payment
    issued = timezone.localtime(receipt.issued_at)
    return [
        (_("Series"), receipt.series),
        (_("Number"), f"{receipt.number:07d}"),
        (_("Date"), f"{issued:%d/%m/%Y %H:%M}"),
        (_("Seller"), seller(payment)["name"]),
        (_("Payer"), payment.payer_name or "—"),
        (_("Service"), payment.description),
        (_("Reference"), payment.reference),
        (_("Amount"), vnd(payment.amount_vnd)),
        (_("In words"), vnd_in_words(payment.amount_vnd)),
        (_("Payment method"), METHODS.get(Gateway(payment.gateway), payment.gateway)),
        (_("Gateway transaction"), payment.gateway_transaction or "—"),
        (_("Our transaction reference"), payment.txn_ref),
    ]


def receipt_pdf(receipt: Receipt) -> bytes:
    folder = font_dir()
    pdf = FPDF(orientation="P", unit="mm", format=(148, 210))  # A5
    pdf.set_margins(12, 12, 12)
    for style, file_name in FONTS.items():
        pdf.add_font("DejaVu", style, str(folder / file_name))
    pdf.set_title(f"{_('Receipt')} {receipt}")
    pdf.set_creator("CityOps")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 9)
    pdf.multi_cell(
        pdf.epw, 5, seller(receipt.payment)["name"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(
        pdf.epw,
        8,
        _("RECEIPT OF A FEE PAID ONLINE"),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    for label, value in facts(receipt):
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(38, 5, label)
        pdf.set_font("DejaVu", "B" if label == _("Amount") else "", 9)
        pdf.multi_cell(pdf.epw - 38, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    url = verification_url(receipt)
    top = pdf.get_y()
    pdf.image(qr_png(url), x=pdf.l_margin, y=top, w=30, h=30)
    pdf.set_xy(pdf.l_margin + 33, top)
    pdf.set_font("DejaVu", "", 7)
    pdf.multi_cell(
        pdf.epw - 33,
        4,
        _("Scan to check this receipt:") + "\n" + url,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())


def _sub(parent: ET.Element, tag: str, text: Any = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def receipt_xml(receipt: Receipt) -> bytes:
    """The e-invoice fields (HDon/DLHDon: TTChung, NDHDon with NBan, NMua, DSHHDVu, TToan)."""
    payment, sold_by = receipt.payment, seller(receipt.payment)
    root = ET.Element("HDon")
    data = _sub(root, "DLHDon", None)
    data.set("Id", f"R{receipt.series}{receipt.number:07d}")
    general = _sub(data, "TTChung")
    _sub(general, "PBan", "2.0.1")
    _sub(general, "THDon", "Biên lai thu phí, lệ phí")
    _sub(general, "KHMSHDon", TEMPLATE_CODE)
    _sub(general, "KHHDon", receipt.series)
    _sub(general, "SHDon", receipt.number)
    _sub(general, "NLap", f"{timezone.localtime(receipt.issued_at):%Y-%m-%d}")
    _sub(general, "DVTTe", "VND")
    _sub(general, "HTTToan", METHODS.get(Gateway(payment.gateway), payment.gateway))
    body = _sub(data, "NDHDon")
    nban = _sub(body, "NBan")
    _sub(nban, "Ten", sold_by["name"])
    _sub(nban, "MST", sold_by["tax_code"])
    _sub(nban, "DChi", sold_by["address"])
    nmua = _sub(body, "NMua")
    _sub(nmua, "Ten", payment.payer_name)
    items = _sub(body, "DSHHDVu")
    item = _sub(items, "HHDVu")
    for tag, value in (
        ("STT", 1),
        ("THHDVu", payment.description),
        ("DVTinh", "Lần"),
        ("SLuong", 1),
        ("DGia", payment.amount_vnd),
        ("ThTien", payment.amount_vnd),
    ):
        _sub(item, tag, value)
    total = _sub(body, "TToan")
    _sub(total, "TgTTTBSo", payment.amount_vnd)
    _sub(total, "TgTTTBChu", vnd_in_words(payment.amount_vnd))
    _sub(body, "MGDich", payment.gateway_transaction)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
