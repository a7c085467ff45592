"""Vietnamese number plates: one- and two-line formats, OCR noise forgiven, garbage refused."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cityops.violations.plates import (
    CAR_SERIES,
    PROVINCES,
    SERIES_LETTERS,
    PlateRefused,
    plate_normalise,
)


@pytest.mark.parametrize(
    ("read", "plate"),
    [
        ("75A-123.45", "75A-123.45"),
        ("30A-12345", "30A-123.45"),
        ("51F-999.99", "51F-999.99"),
        ("29LD-123.45", "29LD-123.45"),
        ("30A-1234", "30A-1234"),
        ("43C1-234.56", "43C1-234.56"),
        ("59X3-123.45", "59X3-123.45"),
        ("29-B1 123.45", "29B1-123.45"),
        ("43-C1\n234.56", "43C1-234.56"),
        ("29MĐ1-123.45", "29MĐ1-123.45"),
        ("29-AA 123.45", "29AA-123.45"),
    ],
)
def test_the_formats_of_vietnamese_plates_are_read(read, plate):
    assert plate_normalise(read).text == plate


@pytest.mark.parametrize(
    ("read", "plate"),
    [
        ("75a 123 45", "75A-123.45"),  # lower case, spaces for the separators
        ("75A.123-45", "75A-123.45"),
        ("  43c1/23456 ", "43C1-234.56"),
        ("7SA-I23.4S", "75A-123.45"),  # S and I where the format demands digits
        ("75A-12O.45", "75A-120.45"),  # O for 0 in the number
        ("43CI-234.56", "43C1-234.56"),  # I for 1 in a motorbike's series
        ("3OA-1234", "30A-1234"),  # O for 0 in the province code
    ],
)
def test_ocr_noise_is_forgiven_where_the_format_demands_a_digit(read, plate):
    assert plate_normalise(read).text == plate


def test_two_line_plates_are_printed_on_two_lines():
    plate = plate_normalise("43C1-234.56")
    assert plate.two_line
    assert plate.as_printed == "43-C1 234.56"
    assert not plate_normalise("75A-123.45").two_line
    assert plate_normalise("75A-123.45").province_name == "Huế"


@pytest.mark.parametrize(
    ("read", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "too_long"),
        ("75A-123#45", "bad_characters"),
        ("75A", "too_short"),
        ("13A-123.45", "unknown_province"),  # 13 is no province's code
        ("96A-123.45", "unknown_province"),
        ("HELLO WORLD", "unknown_province"),
        ("75O-123.45", "bad_format"),  # O is never a series letter: not guessed into a D
        ("75A-123", "too_short"),
        ("75A-1234567", "bad_format"),
        ("75AW-123.45", "bad_format"),
        ("75A-000.00", "bad_number"),
    ],
)
def test_garbage_is_refused_with_a_reason(read, code):
    with pytest.raises(PlateRefused) as refused:
        plate_normalise(read)
    assert refused.value.code == code
    assert refused.value.reason


def test_without_a_separator_a_car_and_a_motorbike_reading_are_told_apart_by_the_vehicle():
    with pytest.raises(PlateRefused) as refused:
        plate_normalise("30A12345")
    assert refused.value.code == "ambiguous"
    assert "30A-123.45" in refused.value.reason
    assert "30A1-2345" in refused.value.reason
    assert plate_normalise("30A12345", vehicle_type="car").text == "30A-123.45"
    assert plate_normalise("30A12345", vehicle_type="motorbike").text == "30A1-2345"
    assert plate_normalise("30A-12345", vehicle_type="motorbike").text == "30A-123.45"


# -- properties --------------------------------------------------------------------------

provinces = st.sampled_from(sorted(PROVINCES))
letters = st.sampled_from(sorted(SERIES_LETTERS))
car_series = st.one_of(letters, st.sampled_from(sorted(CAR_SERIES)))
motorbike_series = st.one_of(
    st.builds(lambda letter, digit: f"{letter}{digit}", letters, st.integers(1, 9)),
    st.builds(lambda letter: f"A{letter}", letters),
    st.builds(lambda digit: f"MĐ{digit}", st.integers(1, 9)),
)
numbers = st.one_of(
    st.integers(1, 99_999).map(lambda n: f"{n:05d}"), st.integers(1, 9999).map(lambda n: f"{n:04d}")
)
separators = st.sampled_from(["", " ", ".", "-", "  ", " - "])
LOOK_ALIKE = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}


def canonical(province: str, series: str, number: str) -> str:
    grouped = f"{number[:3]}.{number[3:]}" if len(number) == 5 else number
    return f"{province}{series}-{grouped}"


@st.composite
def written(draw, series_strategy):
    """A plate as an OCR engine might write it: any case, separators between province and
    series and inside the number (the break between series and number always marked, as on
    the plate; none right after the number's first digit, which would make ``30A-1 2345``
    a motorbike's ``30A1-2345`` as well), look-alike letters for some digits. Returns (text,
    canonical)."""
    province, series, number = draw(provinces), draw(series_strategy), draw(numbers)
    digits = list(number)
    for index in range(len(digits)):
        if draw(st.booleans()) and digits[index] in LOOK_ALIKE:
            digits[index] = LOOK_ALIKE[digits[index]]
    cut = draw(st.integers(2, len(digits) - 1))
    inner = "".join(digits[:cut]) + draw(separators) + "".join(digits[cut:])
    head = province + draw(separators) + series
    text = head + draw(st.sampled_from(["-", " ", ".", " - ", "/"])) + inner
    text = text.lower() if draw(st.booleans()) else text
    return text, canonical(province, series, number)


@given(written(car_series))
def test_any_cars_plate_however_written_reads_as_itself(case):
    text, expected = case
    assert plate_normalise(text).text == expected


@given(written(motorbike_series))
def test_any_motorbikes_plate_however_written_reads_as_itself(case):
    text, expected = case
    assert plate_normalise(text).text == expected


@given(st.one_of(written(car_series), written(motorbike_series)))
def test_a_normalised_plate_normalises_to_itself(case):
    plate = plate_normalise(case[0])
    assert plate_normalise(plate.text) == plate
    assert plate_normalise(plate.as_printed) == plate


@given(st.text(max_size=30))
def test_any_text_is_a_plate_or_refused_with_a_reason_never_an_error(text):
    refusal = None
    try:
        plate = plate_normalise(text)
    except PlateRefused as refused:
        refusal = refused
    if refusal is not None:
        assert refusal.code
        assert refusal.reason
    else:
        assert plate.province in PROVINCES
        assert plate_normalise(plate.text) == plate


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=7, max_size=12))
def test_letters_alone_are_never_a_plate(text):
    assume(not text[:2].translate(str.maketrans("OQDILZSGB", "001112568")).isdigit())
    with pytest.raises(PlateRefused):
        plate_normalise(text)
