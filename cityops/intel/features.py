"""The classifier's analysers: what a text turns into before TF-IDF.

Both streams of ``text.normalise`` contribute, each feature prefixed by its stream (``a:`` with
diacritics, ``u:`` without), so a report typed without accents still meets every feature it
shares with accented ones. Pickled models refer to these functions by name: renaming them means
retraining (``cityops classifier train``).
"""

from __future__ import annotations

from itertools import pairwise

from cityops.intel.text import normalise

CHAR_NGRAMS = (2, 5)


def word_features(text: str) -> list[str]:
    """Syllable unigrams and bigrams of both streams."""
    normalised = normalise(text)
    features: list[str] = []
    for prefix, stream in (("a:", normalised.accented), ("u:", normalised.plain)):
        tokens = stream.split()
        features.extend(prefix + token for token in tokens)
        features.extend(f"{prefix}{a} {b}" for a, b in pairwise(tokens))
    return features


def char_features(text: str) -> list[str]:
    """Character 2–5-grams inside each syllable padded with spaces (scikit-learn's char_wb)."""
    normalised = normalise(text)
    low, high = CHAR_NGRAMS
    features: list[str] = []
    for prefix, stream in (("a", normalised.accented), ("u", normalised.plain)):
        for token in stream.split():
            padded = f" {token} "
            length = len(padded)
            for n in range(low, min(high, length) + 1):
                features.extend(prefix + padded[i : i + n] for i in range(length - n + 1))
    return features
