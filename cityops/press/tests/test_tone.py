"""The tone model of press headlines (issue 19): its corpus, its held-out split and its bar."""

from collections import Counter
from itertools import pairwise

import numpy as np
import pytest

from cityops.intel.text import normalise, without_diacritics
from cityops.press.choices import Tone
from cityops.press.tone import ToneScore, tone_evaluate, tone_of
from cityops.press.tone.__main__ import evaluation_report
from cityops.press.tone.corpus import TEST, TRAIN, corpus_examples, folded, split_of
from cityops.press.tone.model import SHORT_CONFIDENCE
from cityops.press.tone.training import MIN_MACRO_F1, fit

pytestmark = pytest.mark.no_database  # the SQLite pass runs it; see conftest.py

NEAR_IDENTICAL = 0.6  # share of word pairs two texts have in common (Jaccard)

# Headlines a reader of the press panel would check first; none of them is in the corpus.
HEADLINES = [
    (Tone.NEGATIVE, "Xe tải tông vào nhà dân lúc rạng sáng, ba người thương vong"),
    (Tone.NEGATIVE, "Du khách bị chặt chém 2 triệu đồng cho một bữa ăn ở Sa Pa"),
    (Tone.NEGATIVE, "Nuoc thai den ngom xa thang ra song Huong, nguoi dan buc xuc"),
    (Tone.NEGATIVE, "sat lo dat vui lap nha dan o Bat Xat, hai nguoi mat tich"),
    (Tone.POSITIVE, "Huế được vinh danh là điểm đến văn hóa hàng đầu châu Á"),
    (Tone.POSITIVE, "Lào Cai vượt kế hoạch đón khách du lịch, doanh thu tăng mạnh"),
    (
        Tone.NEUTRAL,
        "Chủ tịch UBND thành phố chủ trì họp về kế hoạch chỉnh trang đô thị năm 2026",
    ),
    (Tone.NEUTRAL, "Họp bàn phương án ứng phó mưa lũ cuối năm tại các xã ven phá"),
    (Tone.NEUTRAL, "Sở Giáo dục thông báo lịch thi tuyển sinh lớp 10 năm học 2026-2027"),
]


@pytest.fixture(scope="module")
def examples():
    return corpus_examples()


@pytest.fixture(scope="module")
def evaluation():
    return tone_evaluate()


def _word_pairs(text: str) -> set[str]:
    words = normalise(text).plain.split()
    return {f"{a} {b}" for a, b in pairwise(words)} or set(words)


def test_the_held_out_macro_f1_reaches_the_bar_on_at_least_300_texts(evaluation, capsys):
    with capsys.disabled():
        print()
        print(evaluation_report(evaluation))
    assert evaluation.test_size >= 300
    assert evaluation.macro_f1 >= MIN_MACRO_F1
    assert sum(map(sum, evaluation.confusion)) == evaluation.test_size
    assert {label: scores.support for label, scores in evaluation.per_class.items()} == (
        evaluation.counts[TEST]
    )
    assert min(scores.f1 for scores in evaluation.per_class.values()) >= 0.7


def test_the_corpus_is_large_balanced_and_without_repeated_text(examples):
    assert len(examples) >= 1200
    counts = Counter(example.tone for example in examples)
    assert set(counts) == set(Tone)
    assert max(counts.values()) <= 1.25 * min(counts.values())
    texts = [folded(example.text) for example in examples]
    assert len(texts) == len(set(texts))
    plain = sum(without_diacritics(example.text) for example in examples)
    assert 0.03 * len(examples) <= plain <= 0.1 * len(examples)


def test_the_stored_split_follows_the_hash_rule_and_holds_out_a_quarter_of_each_tone(examples):
    assert [example.split for example in examples] == [split_of(e.text) for e in examples]
    for tone in Tone:
        splits = Counter(example.split for example in examples if example.tone == tone)
        assert 0.2 <= splits[TEST] / (splits[TEST] + splits[TRAIN]) <= 0.3, tone


def test_no_held_out_text_is_identical_or_nearly_identical_to_a_training_text(examples):
    train = [example for example in examples if example.split == TRAIN]
    test = [example for example in examples if example.split == TEST]
    assert not {folded(e.text) for e in train} & {folded(e.text) for e in test}
    train_pairs = [_word_pairs(example.text) for example in train]
    for example in test:
        pairs = _word_pairs(example.text)
        closest = max(len(pairs & other) / len(pairs | other) for other in train_pairs)
        assert closest < NEAR_IDENTICAL, example.text


@pytest.mark.parametrize(("tone", "text"), HEADLINES)
def test_a_headline_anyone_would_judge_gets_its_tone(examples, tone, text):
    assert folded(text) not in {folded(example.text) for example in examples}
    score = tone_of(text)
    assert score.tone == tone
    assert score.confidence >= 0.5


@pytest.mark.parametrize("text", ["", "   ", "!!! 🙂 ..."])
def test_a_text_without_words_is_neutral_with_no_confidence(text):
    assert tone_of(text) == ToneScore(tone=Tone.NEUTRAL, confidence=0.0)


def test_a_one_word_text_is_trusted_little():
    assert tone_of("lũ").confidence <= SHORT_CONFIDENCE


def test_the_model_is_deterministic(examples):
    train = [example for example in examples if example.split == TRAIN]
    texts = [example.text for example in examples if example.split == TEST]
    first, second = fit(train), fit(train)
    assert np.array_equal(first.predict_proba(texts), second.predict_proba(texts))
    text = HEADLINES[0][1]
    assert tone_of(text) == tone_of(text)
