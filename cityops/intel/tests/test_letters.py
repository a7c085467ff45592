"""Long letters composed from hand-written parts: realistic, reproducible, and honestly held out."""

import json
import re
import statistics
from collections import Counter

import pytest

from cityops.demo.hue.catalogue import CATEGORIES
from cityops.intel import letters
from cityops.intel.letters import (
    Part,
    compose_letters,
    held_out_letters,
    parts_from,
    split_parts,
    training_letters,
)
from cityops.intel.text import fold, without_diacritics

CODES = {spec.code for spec in CATEGORIES}


@pytest.fixture(scope="module")
def shipped():
    return training_letters(), held_out_letters()


def _write(directory, parts):
    lines = [
        json.dumps({"part": k, "category": c, "text": t}, ensure_ascii=False) for k, c, t in parts
    ]
    (directory / "parts_test_vi.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _marked_parts(categories=("sanitation", "tourism", "other")):
    """Eight parts of every kind, each with a marker word of its own."""
    parts = []
    for kind in letters.FRAME_KINDS:
        text = "Ông {name} ở {address} viết" if kind == "introduction" else kind
        parts += [(kind, "", f"{text} mk{kind}{n} cho đủ dài.") for n in range(8)]
    for category in categories:
        for kind in letters.TOPIC_KINDS:
            body = "Nội dung phản ánh rất dài " * (8 if kind == "problem" else 2)
            parts += [(kind, category, f"{body} mk{kind}{category}{n}.") for n in range(8)]
    return parts


def _markers(text):
    return set(re.findall(r"mk[a-z-]+\d", fold(text)))


def test_every_category_has_training_and_held_out_letters(shipped):
    training, held_out = shipped
    for examples in (training, held_out):
        counts = Counter(example.category for example in examples)
        assert set(counts) == CODES
        assert min(counts.values()) >= letters.HELD_OUT_PER_CATEGORY


def test_letters_are_long_like_the_portals_and_a_third_have_no_diacritics(shipped):
    for examples in shipped:
        lengths = [len(example.text) for example in examples]
        assert min(lengths) >= 200
        assert max(lengths) <= letters.MAX_LENGTH + 100
        assert 550 <= statistics.median(lengths) <= 750
        plain = sum(without_diacritics(example.text) for example in examples)
        assert 0.25 <= plain / len(examples) <= 0.45


def test_no_held_out_letter_holds_a_part_of_a_training_letter(shipped):
    training_parts, held_out_parts = split_parts(parts_from())
    assert not {p.text for p in training_parts} & {p.text for p in held_out_parts}
    training, _ = shipped
    training_text = fold("\n".join(example.text for example in training))
    for part in held_out_parts:
        if part.kind in ("problem", "aside", "history"):
            assert fold(part.text) not in training_text, part.text


def test_a_quarter_of_every_group_of_parts_is_held_out_whatever_the_file_order(tmp_path):
    parts = [Part(kind=k, category=c, text=t) for k, c, t in _marked_parts()]
    training, held_out = split_parts(parts)
    assert Counter(p.group for p in held_out) == {group: 2 for group in {p.group for p in parts}}
    assert set(split_parts(list(reversed(parts)))[1]) == set(held_out)
    assert set(training) | set(held_out) == set(parts)


def test_letters_are_composed_only_from_their_side_of_the_split(tmp_path):
    _write(tmp_path, _marked_parts())
    training_parts, held_out_parts = split_parts(parts_from(tmp_path))
    held_out_markers = set().union(*(_markers(p.text) for p in held_out_parts))
    training_markers = set().union(*(_markers(p.text) for p in training_parts))
    for example in training_letters(tmp_path):
        assert _markers(example.text) <= training_markers
    for example in held_out_letters(tmp_path):
        assert _markers(example.text) <= held_out_markers


def test_a_letter_has_the_category_of_its_problem_and_asides_of_other_categories(tmp_path):
    _write(tmp_path, _marked_parts())
    for example in training_letters(tmp_path):
        found = _markers(example.text)
        [problem] = [m for m in found if m.startswith("mkproblem")]
        assert problem.removeprefix("mkproblem")[:-1] == example.category
        for aside in (m for m in found if m.startswith("mkaside")):
            assert aside.removeprefix("mkaside")[:-1] != example.category
        assert "{name}" not in example.text
        assert "{address}" not in example.text


def test_the_same_parts_always_give_the_same_letters(tmp_path):
    _write(tmp_path, _marked_parts())
    parts = parts_from(tmp_path)
    first = compose_letters(parts, per_category=20, seed="a")
    assert first == compose_letters(list(reversed(parts)), per_category=20, seed="a")
    assert first != compose_letters(parts, per_category=20, seed="b")


def test_a_part_of_an_unknown_kind_or_a_frame_with_a_category_is_refused(tmp_path):
    _write(tmp_path, [("greeting", "", "Chào")])
    with pytest.raises(ValueError, match=r"parts_test_vi\.jsonl:1"):
        parts_from(tmp_path)
    _write(tmp_path, [("closing", "sanitation", "Cảm ơn")])
    with pytest.raises(ValueError, match="only problems and asides"):
        parts_from(tmp_path)


def test_the_shipped_parts_hold_no_phone_number_or_e_mail():
    for part in parts_from():
        assert not re.search(r"\d{3}[ .]?\d{3}[ .]?\d{3,4}", part.text), part.text
        assert "@" not in part.text, part.text
