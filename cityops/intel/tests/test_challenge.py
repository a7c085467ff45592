"""The challenge set: no diacritics, typos, abbreviations, one-word texts; never trained on."""

import pytest

from cityops.intel.classifier import suggest_category
from cityops.intel.corpus import challenge_examples

pytestmark = pytest.mark.no_database  # the SQLite pass runs it; see conftest.py

MIN_SHARE = 0.80


def test_most_of_the_challenge_set_gets_the_right_category(trained, capsys):
    examples = challenge_examples()
    misses = [
        (e.text, e.category, suggest_category(e.text).category)
        for e in examples
        if suggest_category(e.text).category != e.category
    ]
    right = len(examples) - len(misses)
    with capsys.disabled():
        print(f"\nchallenge set: {right}/{len(examples)} right ({right / len(examples):.1%})")
        for text, expected, got in misses:
            print(f"  missed: {text!r} is {expected}, suggested {got}")
    assert right / len(examples) >= MIN_SHARE
