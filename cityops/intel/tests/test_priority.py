"""The priority suggestion: transparent cues over the text, with or without diacritics."""

from __future__ import annotations

import time

import pytest

from cityops.intel.priority import suggest_priority
from cityops.reports.choices import Priority

U, N, C = Priority.URGENT, Priority.NORMAL, Priority.COMPLEX


@pytest.mark.parametrize(
    ("text", "priority", "cue"),
    [
        # urgent, accented and not
        ("Nước ngập sâu đến đầu gối trên đường Lê Lợi, xe chết máy", U, "ngập sâu"),
        ("nuoc ngap sau qua dau goi o kiet 12 Nguyen Trai", U, "ngập sâu"),
        ("Cây xanh bị đổ chắn ngang đường Hùng Vương sau cơn mưa", U, "cây đổ, gãy cành"),
        ("cay bi do chan ngang duong Ha Noi, xe khong qua duoc", U, "cây đổ, gãy cành"),
        ("Cháy lớn tại kiốt chợ Đông Ba, khói đen bốc cao", U, "cháy nổ"),
        ("chay lon o cho Dong Ba, khoi den mu mit", U, "cháy nổ"),
        ("Dây điện bị đứt rơi xuống lòng đường Trần Phú", U, "điện giật, dây điện đứt"),
        ("day dien bi dut roi xuong duong, rat nguy hiem", U, "điện giật, dây điện đứt"),
        ("Mùi gas nồng nặc ở chung cư, nghi rò rỉ khí gas", U, "rò rỉ khí gas"),
        ("Tai nạn xe máy ở cầu Trường Tiền, một người bị thương nặng", U,
         "tai nạn có người bị thương"),
        ("tai nan o nga tu, 2 nguoi bi thuong nam giua duong", U, "tai nạn có người bị thương"),
        ("Cháu bé bị rơi xuống giếng sau nhà, cần hỗ trợ gấp", U, "trẻ em gặp nguy hiểm"),
        ("Bờ sông Hương bị sạt lở, nhà dân có nguy cơ đổ xuống sông", U, "sập, sạt lở"),
        # complex
        ("Tranh chấp đất đai giữa hai hộ ở phường An Cựu đã kéo dài nhiều năm", C,
         "tranh chấp đất đai"),
        ("Kính gửi Trung tâm: chúng tôi đã phản ánh nhiều lần, nhiều hộ dân bức xúc việc "
         "lấn chiếm hành lang kiệt", C, "kéo dài nhiều năm"),
        ("de nghi doan kiem tra lien nganh ve viec xay dung tai khu quy hoach", C,
         "tranh chấp đất đai"),
        # normal, including negations, hedges and other meanings of the same letters
        ("Rác thải sinh hoạt tồn đọng nhiều ngày, bốc mùi hôi thối", N, None),
        ("Va chạm giao thông nhẹ, không ai bị thương", N, None),
        ("Quán karaoke không đảm bảo phòng cháy chữa cháy", N, None),
        ("Bóng đèn đường bị cháy mấy hôm nay, tối om", N, None),
        ("Thanh niên chạy xe lạng lách, bấm còi inh ỏi", N, None),
        ("thanh nien chay xe lang lach moi toi", N, None),
        ("Cây nghiêng, gãy cành nhỏ nhưng không nguy hiểm", N, None),
        ("Hẻm 5 thường xuyên ngập sâu mỗi khi mưa lớn", N, None),
        ("Lũ thanh niên tụ tập nhậu nhẹt gây ồn", N, None),
        ("Người dân đổ rác dưới gốc cây đổ rác bừa bãi", N, None),
        ("o ga lon tren duong Le Loi", N, None),
    ],
)  # fmt: skip
def test_the_suggested_priority_follows_the_cues_in_the_text(text, priority, cue):
    suggestion = suggest_priority(text)
    assert suggestion.priority == priority, suggestion
    if cue is not None:
        assert cue in suggestion.cues
    else:
        assert suggestion.reason == ""


def test_a_negated_cue_is_said_to_be_discounted():
    suggestion = suggest_priority("Xe máy va quẹt, không có ai bị thương")
    assert suggestion.priority == N
    assert suggestion.discounted == ("tai nạn có người bị thương",)


def test_urgency_wins_over_complexity():
    text = "Cháy kho trên khu đất đang tranh chấp nhiều năm giữa các hộ"
    suggestion = suggest_priority(text)
    assert suggestion.priority == U
    assert suggestion.reason == "cháy nổ"


def test_one_weak_complex_cue_alone_is_normal():
    assert suggest_priority("Hàng quán lấn chiếm vỉa hè đường Lê Lợi").priority == N


def test_an_empty_text_is_normal():
    assert suggest_priority("").priority == N
    assert suggest_priority("   ").cues == ()


def test_a_long_letter_is_read_in_well_under_a_millisecond_or_two():
    letter = (
        "Kính gửi Trung tâm Giám sát điều hành đô thị thông minh tỉnh Thừa Thiên Huế. "
        "Tôi tên là Nguyễn Văn A, trú tại kiệt 15 đường Phan Đình Phùng, phường Vĩnh Ninh. "
        "Tôi xin phản ánh việc cống thoát nước trước nhà bị tắc nghẽn lâu ngày. "
    ) * 4
    suggest_priority(letter)
    started = time.perf_counter()
    for _ in range(50):
        suggest_priority(letter + str(_))
    assert (time.perf_counter() - started) / 50 < 0.005
