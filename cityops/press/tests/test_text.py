"""Reading press text: language, addresses, dates, the tone model's door."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import cityops.press.tone as tone_package
from cityops.press.extraction import canonical_url, parse_date
from cityops.press.services.analysis import ToneResult
from cityops.press.services.analysis import tone_of as real_tone_of_wrapper
from cityops.press.text import language_of


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ủy ban nhân dân thành phố Huế vừa công bố kế hoạch chống ngập.", "vi"),
        ("uy ban nhan dan thanh pho hue va cac phuong da co ke hoach", "vi"),
        ("The People's Committee of Hue announced a plan for the floods.", "en"),
        ("Lorem ipsum dolor sit amet", "other"),
        ("12345 !!!", ""),
    ],
)
def test_language_is_told_by_marks_and_common_words(text, language):
    assert language_of(text) == language


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Bao.VN/a/1.html?utm_source=fb&id=3#comments", "https://bao.vn/a/1.html?id=3"),
        ("https://bao.vn:443/a?b=2&a=1&fbclid=x", "https://bao.vn/a?a=1&b=2"),
        ("http://bao.vn", "http://bao.vn/"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"),
    ],
)
def test_canonical_addresses(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("Sat, 05 Dec 2026 08:30:00 +0700", datetime(2026, 12, 5, 1, 30, tzinfo=UTC)),
        ("2026-12-05T08:30:00+07:00", datetime(2026, 12, 5, 1, 30, tzinfo=UTC)),
        ("2026-12-05 08:30:00", datetime(2026, 12, 5, 1, 30, tzinfo=UTC)),  # Huế time
        ("2026-12-05", datetime(2026, 12, 4, 17, 0, tzinfo=UTC)),
        ("hôm qua", None),
        ("0001-01-01T00:00:00Z", None),
    ],
)
def test_dates_are_read_in_utc(text, moment):
    assert parse_date(text) == moment


def test_the_tone_model_is_asked_through_its_package(monkeypatch):
    class Score:
        tone, confidence = "negative", 0.75

    monkeypatch.setattr(tone_package, "tone_of", lambda text: Score(), raising=False)

    assert real_tone_of_wrapper("Người dân bức xúc") == ToneResult("negative", 0.75)


def test_without_the_tone_model_the_tone_stays_unknown(monkeypatch):
    monkeypatch.delattr(tone_package, "tone_of", raising=False)

    assert real_tone_of_wrapper("Người dân bức xúc") == ToneResult("", None)
