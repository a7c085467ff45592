"""How the classifier reads a text before counting its features.

Two steps, the first of the pipeline (``ProblemReader``):

1. **The problem, not the formula** (``formula.problem_text``): a letter loses its salutation,
   introduction, request, sign-off and asides; a short report stays as it is.
2. **Diacritics restored** for a text written without them (``Restorer``): "do rac o dau kiet"
   becomes "đổ rác ở đầu kiệt", each syllable taking the accented form it most often has next to
   its neighbours in the training texts (its left and right syllable pairs vote; a syllable seen
   in no pair takes its most frequent form; one never seen stays as written). The unaccented
   stream of the features is unchanged by this; the accented stream, which for an unaccented
   text only ever met other unaccented texts, now meets the accented ones, and with them what
   diacritics tell apart ("đổ rác" / "do đó", "bán" / "bàn" / "bạn").

The restoration table is learned in ``fit`` from the distinct sentences of the training texts
written with diacritics, and pickled with the model.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin

from cityops.intel.formula import problem_text
from cityops.intel.text import normalise, without_diacritics

_SENTENCE = re.compile(r"[^.!?\n]+")


class Restorer:
    """The accented form of unaccented syllables, by the company they keep in training texts."""

    def __init__(self) -> None:
        self.single: dict[str, str] = {}
        # (plain left, plain right) → {accented right: count} and {accented left: count}
        self.after: dict[tuple[str, str], dict[str, int]] = {}
        self.before: dict[tuple[str, str], dict[str, int]] = {}

    def fit(self, texts: Iterable[str]) -> Restorer:
        single: defaultdict[str, Counter[str]] = defaultdict(Counter)
        after: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        before: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for text in texts:
            if without_diacritics(text):
                continue
            normalised = normalise(text)
            accented, plain = normalised.accented.split(), normalised.plain.split()
            if len(accented) != len(plain):  # a squeezed repeat ("quáaa") shifted the streams
                continue
            for token, form in zip(plain, accented, strict=True):
                single[token][form] += 1
            for (left, right), (left_form, right_form) in zip(
                pairwise(plain), pairwise(accented), strict=True
            ):
                after[(left, right)][right_form] += 1
                before[(left, right)][left_form] += 1
        self.single = {token: forms.most_common(1)[0][0] for token, forms in single.items()}
        self.after = {pair: dict(forms) for pair, forms in after.items()}
        self.before = {pair: dict(forms) for pair, forms in before.items()}
        return self

    def restore(self, tokens: Sequence[str]) -> list[str]:
        restored = []
        last = len(tokens) - 1
        for index, token in enumerate(tokens):
            votes: Counter[str] = Counter()
            if index > 0:
                votes.update(self.after.get((tokens[index - 1], token), {}))
            if index < last:
                votes.update(self.before.get((token, tokens[index + 1]), {}))
            if votes:
                restored.append(votes.most_common(1)[0][0])
            else:
                restored.append(self.single.get(token, token))
        return restored


class ProblemReader(TransformerMixin, BaseEstimator):
    """The pipeline's first step: each text as the classifier reads it (see the module)."""

    def __init__(self, *, formula: bool = True, restore: bool = True) -> None:
        self.formula = formula
        self.restore = restore

    def fit(self, texts: Sequence[str], y: Any = None) -> ProblemReader:
        # Each distinct sentence counts once: composed letters repeat their parts.
        sentences = dict.fromkeys(s.strip() for text in texts for s in _SENTENCE.findall(text))
        self.restorer_ = Restorer().fit(sentences) if self.restore else None
        return self

    def read(self, text: str) -> str:
        if self.formula:
            text = problem_text(text)
        if self.restorer_ is not None and without_diacritics(text):
            return " ".join(self.restorer_.restore(normalise(text).plain.split()))
        return text

    def transform(self, texts: Sequence[str]) -> list[str]:
        return [self.read(text) for text in texts]
