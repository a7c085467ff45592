"""A letter's formula is left out before its words become features; its problem stays."""

import pytest

from cityops.intel.formula import problem_text
from cityops.intel.reading import ProblemReader
from cityops.intel.text import normalise, strip_diacritics

PROBLEM = (
    "Cột điện bê tông đầu kiệt 45 đã mục chân, nghiêng hẳn về phía nhà dân, dây điện võng thấp "
    "sát đầu người đi"
)
LETTER = (
    "Kính gửi: Trung tâm Giám sát, điều hành đô thị thông minh tỉnh Thừa Thiên Huế.\n"
    "Tôi tên là Trần Thị Mai, hiện cư trú tại kiệt 45 Phan Đình Phùng. Tôi xin phản ánh sự việc "
    f"như sau: {PROBLEM}.\n"
    "Kính đề nghị các cơ quan chức năng sớm kiểm tra, xử lý dứt điểm.\n"
    "Xin chân thành cảm ơn!"
)


def test_a_letter_keeps_its_problem_and_loses_salutation_introduction_request_and_sign_off():
    assert problem_text(LETTER) == PROBLEM


def test_a_letter_without_diacritics_loses_the_same_formula():
    assert problem_text(strip_diacritics(LETTER)) == strip_diacritics(PROBLEM)


def test_a_salutation_on_one_line_with_its_addressee_goes_entirely():
    text = f"Kính thưa các cán bộ Trung tâm IOC Huế, {PROBLEM}. Trân trọng."
    assert problem_text(text) == problem_text(f"{PROBLEM}.") == PROBLEM


@pytest.mark.parametrize(
    "text",
    [
        "Đề nghị xử lý quán karaoke hát khuya",
        "Xin cảm ơn",
        "kinh gui phuong: rac o dau kiet",
        "Gửi xe ở chợ Đông Ba bị thu 20k",
    ],
)
def test_a_short_report_is_kept_whole(text):
    assert problem_text(text) == text


def test_an_aside_introduced_by_a_connective_is_left_out_with_what_follows_its_colon():
    aside = "Nhân tiện xin báo luôn: rác ở chợ Đông Ba cũng không ai dọn."
    assert problem_text(f"{PROBLEM}. {aside}\nNgoài ra, đèn đường trong kiệt hỏng.") == PROBLEM


def test_a_request_is_left_out_only_when_it_asks_the_authorities_to_act():
    stays = "Đề nghị đổi phòng thì chủ khách sạn bảo hết phòng, bắt trả thêm tiền"
    text = f"{PROBLEM}. {stays}. Kính mong quý cơ quan sớm xem xét, giải quyết."
    assert problem_text(text) == f"{PROBLEM}. {stays}"


def test_the_classifier_reads_a_letter_as_its_problem():
    reader = ProblemReader(restore=False).fit([LETTER])
    assert reader.transform([LETTER]) == [PROBLEM]


def test_the_classifier_restores_the_diacritics_of_a_text_written_without_them():
    reader = ProblemReader().fit(["Xe tải đổ rác ở đầu kiệt", "Bán hàng rong ở chợ Đông Ba"])
    assert reader.read("xe tai do rac o cho") == "xe tải đổ rác ở chợ"
    assert (
        reader.read("Xe tải đổ rác") == "Xe tải đổ rác"
    )  # a text with diacritics stays as written
    # An unaccented letter loses its formula too, then is read as normalised words.
    assert normalise(reader.read(strip_diacritics(LETTER))).plain == normalise(PROBLEM).plain
