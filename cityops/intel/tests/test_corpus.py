from collections import Counter

from cityops.demo.hue.catalogue import CATEGORIES
from cityops.intel.corpus import challenge_examples, corpus_examples
from cityops.intel.text import normalise, strip_diacritics

CODES = {spec.code for spec in CATEGORIES}


def _without_diacritics(text: str) -> bool:
    return strip_diacritics(text) == text


def test_the_corpus_covers_every_category_of_huế_with_at_least_90_examples():
    counts = Counter(example.category for example in corpus_examples())
    assert set(counts) == CODES
    assert min(counts.values()) >= 90


def test_at_least_a_third_of_each_category_is_written_without_diacritics():
    examples = corpus_examples()
    for code in CODES:
        texts = [e.text for e in examples if e.category == code]
        plain = sum(_without_diacritics(text) for text in texts)
        assert plain * 3 >= len(texts), code


def test_the_corpus_has_no_repeated_text():
    plains = [normalise(e.text).plain for e in corpus_examples()]
    assert len(plains) == len(set(plains))


def test_the_challenge_set_is_never_part_of_the_corpus():
    challenge = challenge_examples()
    assert len(challenge) >= 40
    assert {e.category for e in challenge} == CODES
    corpus = {normalise(e.text).plain for e in corpus_examples()}
    assert not [e.text for e in challenge if normalise(e.text).plain in corpus]
