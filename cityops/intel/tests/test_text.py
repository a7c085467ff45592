import unicodedata

import pytest

from cityops.intel.text import ABBREVIATIONS, normalise, strip_diacritics


def test_normalising_lowercases_and_removes_punctuation_and_emojis():
    result = normalise("ĐƯỜNG Lê Lợi có Ổ GÀ!!! 😡😡 ...")
    assert result.accented == "đường lê lợi có ổ gà"


def test_the_plain_stream_has_no_diacritics_and_d_for_đ():
    assert normalise("Đường Trần Hưng Đạo ngập nước").plain == "duong tran hung dao ngap nuoc"
    assert strip_diacritics("Đại Nội, chùa Thiên Mụ") == "Dai Noi, chua Thien Mu"


def test_an_unaccented_report_shares_the_plain_stream_of_its_accented_twin():
    assert normalise("duong le loi co o ga").plain == normalise("đường Lê Lợi có ổ gà").plain


@pytest.mark.parametrize(
    ("written", "expanded"),
    [
        ("ko dc", "không được"),
        ("k đc j", "không được gì"),
        ("hok bt ntn", "không bình thường như thế nào"),
        ("nhà nc", "nhà nước"),
        ("mn ơi ng ta vs ck", "mọi người ơi người ta với chồng"),
        ("trc đg", "trước đường"),
    ],
)
def test_common_abbreviations_are_expanded(written, expanded):
    assert normalise(written).accented == expanded


def test_abbreviations_expand_to_lowercase_words():
    assert all(value == value.lower() for value in ABBREVIATIONS.values())


def test_letters_repeated_three_times_or_more_are_squeezed():
    assert normalise("hôi quáaaa điiii, koooo ai dọn").accented == "hôi quáa đi không ai dọn"
    assert normalise("hoiii quaaaa").plain == "hoi qua"


def test_digits_are_folded_so_a_price_never_reads_as_an_abbreviation():
    assert normalise("tô bún 150k, phòng 22").accented == "tô bún 0k phòng 0"


def test_decomposed_unicode_reads_like_composed_unicode():
    decomposed = unicodedata.normalize("NFD", "Cây đổ chắn đường")
    assert normalise(decomposed) == normalise("Cây đổ chắn đường")


def test_a_text_of_symbols_has_no_words():
    assert normalise("!!! 😡 ...").words == 0
