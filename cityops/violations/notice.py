"""The notice of a violation: a printable A4 PDF for the vehicle's registered owner.

It carries what the owner needs to recognise the case and answer it: the case and notice
numbers, the violation and its legal basis, the fine band, when and where, the plate, the three
frames (the originals: the notice goes to the owner), the SHA-256 of every file of the evidence
chain, and a QR code that opens the public lookup page (its URL, with the secret code, printed
beside it). Pure Python: fpdf2 draws it, segno makes the QR code; the Unicode font is DejaVu
Sans (Debian's fonts-dejavu-core, or the copy matplotlib ships, wherever one is installed).
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from cityops.platform.money import vnd
from cityops.platform.printing import FONTS, MONO, font_dir, qr_png
from cityops.violations.choices import EvidenceKind
from cityops.violations.models import Case, Evidence
from cityops.violations.plates import plate_or_none

# fontTools logs every glyph subset at INFO: one notice would fill the log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

QR_SIDE_MM = 38
FRAME_GAP_MM = 4


class _Notice(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=7)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, _("Page %(page)s") % {"page": self.page_no()}, align="C")


def notice_pdf(*, case: Case, lookup_url: str) -> bytes:
    """The notice of ``case`` (with its owner recorded) as PDF bytes; the QR code opens
    ``lookup_url``. The evidence listed is the chain as it stands (the notice is its next
    link)."""
    folder = font_dir()
    pdf = _Notice(orientation="P", unit="mm", format="A4")
    pdf.set_margins(18, 15, 18)
    pdf.set_auto_page_break(auto=True, margin=16)
    for style, name in FONTS.items():
        pdf.add_font("DejaVu", style, str(folder / name))
    # The hashes read best in the monospaced face; the sans one does where it is missing.
    mono = folder / MONO
    pdf.add_font("DejaVuMono", "", str(mono if mono.is_file() else folder / FONTS[""]))
    pdf.set_title(f"{_('Notice of violation')} {case.number}")
    pdf.set_subject(case.number)
    pdf.set_author(_issuer())
    pdf.set_creator("CityOps")
    pdf.add_page()
    _heading(pdf, case)
    _facts(pdf, case)
    evidence = list(Evidence.objects.filter(case_id=case.pk).order_by("position"))
    _frames(pdf, [item for item in evidence if item.kind == EvidenceKind.FRAME][:3])
    _lookup(pdf, case, lookup_url)
    _hashes(pdf, case, evidence)
    return bytes(pdf.output())


def _issuer() -> str:
    return str(
        getattr(settings, "CITYOPS_VIOLATIONS_ISSUER", settings.CITYOPS_BULLETIN_SENDER_NAME)
    )


def _heading(pdf: FPDF, case: Case) -> None:
    width = pdf.epw
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(
        width, 5, _("SOCIALIST REPUBLIC OF VIETNAM"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(
        width,
        5,
        _("Independence - Freedom - Happiness"),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(width, 5, _issuer(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(
        width,
        8,
        _("NOTICE OF AN ADMINISTRATIVE VIOLATION"),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(
        width,
        5,
        _("detected by the city's camera system"),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    issued = timezone.localtime(case.notice_issued_at) if case.notice_issued_at else None
    line = _("Notice %(notice)s · Case %(case)s") % {
        "notice": case.notice_number or "-",
        "case": case.number,
    }
    if issued:
        line += " · " + _("issued %(date)s") % {"date": f"{issued:%d/%m/%Y}"}
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(width, 6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _facts(pdf: FPDF, case: Case) -> None:
    observed = timezone.localtime(case.observed_at)
    plate = plate_or_none(case.plate)
    band = (
        _("%(low)s to %(high)s") % {"low": vnd(case.fine_min), "high": vnd(case.fine_max)}
        if case.fine_min and case.fine_max
        else _("set by the competent officer")
    )
    rows = [
        (_("To"), case.owner_name or "-"),
        (_("Address"), case.owner_address or "-"),
        (_("Number plate"), plate.as_printed if plate else case.plate),
        (_("Vehicle"), case.get_vehicle_type_display()),
        (_("Violation"), case.get_rule_display()),
        (_("Legal basis"), case.legal_basis or "-"),
        (_("Fine band"), band),
        (_("Time"), f"{observed:%H:%M:%S %d/%m/%Y}"),
        (_("Place"), f"{case.place} ({case.lat:.5f}, {case.lon:.5f})"),
        (_("Camera"), case.camera.code if case.camera_id else "-"),
    ]
    label_width = 38
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(label_width, 6, f"{label}:")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(pdf.epw - label_width, 6, str(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _frames(pdf: FPDF, frames: list[Evidence]) -> None:
    if not frames:
        return
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(pdf.epw, 6, _("The camera's frames"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    width = (pdf.epw - FRAME_GAP_MM * (len(frames) - 1)) / 3
    top, tallest = pdf.get_y(), 0.0
    for index, frame in enumerate(frames):
        with frame.file.open("rb") as file:
            content = file.read()
        x = pdf.l_margin + index * (width + FRAME_GAP_MM)
        info = pdf.image(io.BytesIO(content), x=x, y=top, w=width)
        tallest = max(tallest, float(info.rendered_height))
    pdf.set_y(top + tallest + 1)
    pdf.set_font("DejaVu", "", 8)
    for index, frame in enumerate(frames):
        x = pdf.l_margin + index * (width + FRAME_GAP_MM)
        pdf.set_x(x)
        pdf.cell(
            width,
            4,
            _("Frame %(n)s (link %(position)s)") % {"n": index + 1, "position": frame.position},
            align="C",
        )
    pdf.ln(7)


def _lookup(pdf: FPDF, case: Case, url: str) -> None:
    if pdf.get_y() + QR_SIDE_MM > pdf.h - 20:
        pdf.add_page()
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(url)), x=pdf.l_margin, y=top, w=QR_SIDE_MM, h=QR_SIDE_MM)
    text_x = pdf.l_margin + QR_SIDE_MM + 5
    pdf.set_xy(text_x, top + 1)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(
        pdf.epw - QR_SIDE_MM - 5, 5, _("Look the case up"), new_x=XPos.LEFT, new_y=YPos.NEXT
    )
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        pdf.epw - QR_SIDE_MM - 5,
        5,
        _(
            "Scan the QR code, or open the address below and enter the case number and the "
            "code, to see the case, its blurred frames, and how to pay the fine or contest it."
        ),
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.set_font("DejaVuMono", "", 8)
    pdf.multi_cell(pdf.epw - QR_SIDE_MM - 5, 4, url, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(
        pdf.epw - QR_SIDE_MM - 5,
        6,
        _("Code: %(code)s") % {"code": case.lookup_code},
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + QR_SIDE_MM) + 3)


def _hashes(pdf: FPDF, case: Case, evidence: list[Evidence]) -> None:
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(
        pdf.epw,
        6,
        _("Evidence (SHA-256 of each file, in the order recorded)"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    for item in evidence:
        pdf.set_font("DejaVu", "", 8)
        pdf.cell(34, 4, f"{item.position}. {item.get_kind_display()}")
        pdf.set_font("DejaVuMono", "", 7)
        pdf.cell(0, 4, item.sha256, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(34, 4, _("Chain head"))
    pdf.set_font("DejaVuMono", "", 7)
    pdf.cell(0, 4, case.evidence_head or "-", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
