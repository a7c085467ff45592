"""The notice PDF: A4, Vietnamese text, the case's facts and evidence hashes, the three
frames, and a QR code that opens the public lookup page."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from cityops.platform.printing import qr_png
from cityops.violations.choices import CaseStatus, EvidenceKind
from cityops.violations.models import Evidence
from cityops.violations.notice import notice_pdf
from cityops.violations.services import case_lookup_url

from .factories import case_at


@pytest.fixture
def case(camera, officer, second_officer):
    return case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)


@pytest.fixture
def reader(case):
    notice = Evidence.objects.get(case=case, kind=EvidenceKind.NOTICE)
    with notice.file.open("rb") as file:
        return PdfReader(io.BytesIO(file.read()))


def scanned(image: bytes) -> list[zxingcpp.Barcode]:
    """The QR codes a phone's camera reads in ``image``. zxing-cpp, not OpenCV's classic
    detector: that one misses about 2 % of valid codes (1 in 50 random lookup codes)."""
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(image)))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_notice_is_an_a4_pdf_with_the_cases_facts_in_vietnamese(case, reader):
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = text_of(reader)
    for fact in (
        case.number,
        case.notice_number,
        "75A-123.45",
        "Nguyễn Văn Chủ",  # the owner it is sent to, with Vietnamese diacritics intact
        "12 Lê Lợi, Huế",
        "Điểm b khoản 9 Điều 6 Nghị định 168/2024/NĐ-CP",
        "18.000.000 đ",
        "20.000.000 đ",
        case.place,
        case.lookup_code,
    ):
        assert fact in text, fact


def test_the_notice_lists_the_sha256_of_every_file_before_it(case, reader):
    text = text_of(reader)
    earlier = Evidence.objects.filter(case=case).exclude(kind=EvidenceKind.NOTICE)
    assert earlier.count() == 4
    for link in earlier:
        assert link.sha256 in text


def test_the_notice_shows_the_three_frames_and_a_qr_code_that_opens_the_lookup_page(case, reader):
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 4  # three frames and the QR code
    url = case_lookup_url(case=case)
    assert url.endswith(f"/violations/{case.number}?code={case.lookup_code}")
    decoded = {found.text for image in images for found in scanned(image.data)}
    assert decoded == {url}


def test_the_qr_code_alone_decodes_to_its_url():
    url = "https://ioc.hue.gov.vn/violations/VP-2026-000123?code=ABCDEFGH23"
    assert [found.text for found in scanned(qr_png(url))] == [url]


def test_a_notice_can_be_drawn_again_for_a_case(case):
    pdf = notice_pdf(case=case, lookup_url="https://example.vn/x")
    assert pdf.startswith(b"%PDF-")
    assert case.number in text_of(PdfReader(io.BytesIO(pdf)))
