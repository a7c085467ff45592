"""The trained pipeline's arithmetic for one text at a time, without scikit-learn's overhead.

Calling ``Pipeline.predict_proba`` for a single text costs one to two milliseconds, almost all
of it input validation and sparse-matrix plumbing. ``CompiledModel`` reads the fitted
vocabularies, IDF weights and coefficients out of the pipeline once and repeats exactly what
the pipeline computes — the reading step (``reading.ProblemReader``: the problem without the
formula, diacritics restored), sublinear TF × IDF, L2 norm per block, block weight, linear
scores, softmax — with a dictionary look-up per feature. Tests check it against ``predict_proba``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class _Block:
    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    weight: float
    coef: np.ndarray  # (features in this block, classes)


class CompiledModel:
    """Class probabilities of one text, equal to the pipeline's ``predict_proba``."""

    def __init__(self, pipeline: Any) -> None:
        reader = pipeline.named_steps.get("text")  # models trained before issue 15 have none
        self.read: Callable[[str], str] = reader.read if reader is not None else str
        union = pipeline.named_steps["features"]
        model = pipeline.named_steps["model"]
        coef = np.ascontiguousarray(model.coef_.T)
        weights = union.transformer_weights or {}
        blocks, offset = [], 0
        for name, vectorizer in union.transformer_list:
            size = len(vectorizer.vocabulary_)
            blocks.append(
                _Block(
                    analyzer=vectorizer.analyzer,
                    vocabulary=dict(vectorizer.vocabulary_),
                    idf=np.asarray(vectorizer.idf_),
                    weight=float(weights.get(name, 1.0)),
                    coef=coef[offset : offset + size],
                )
            )
            offset += size
        if offset != coef.shape[0]:
            raise ValueError("the pipeline's features and coefficients do not line up")
        self.blocks = tuple(blocks)
        self.intercept = np.asarray(model.intercept_, dtype=float)
        self.labels = [str(label) for label in model.classes_]

    def probabilities(self, text: str) -> np.ndarray:
        text = self.read(text)
        scores = self.intercept.copy()
        for block in self.blocks:
            indices, tf = [], []
            for feature, count in Counter(block.analyzer(text)).items():
                index = block.vocabulary.get(feature)
                if index is not None:
                    indices.append(index)
                    tf.append(1.0 + math.log(count))
            if not indices:
                continue
            where = np.array(indices, dtype=np.intp)
            values = np.array(tf) * block.idf[where]
            values *= block.weight / math.sqrt(float(values @ values))
            scores += values @ block.coef[where]
        scores -= scores.max()
        exp = np.exp(scores)
        result: np.ndarray = exp / exp.sum()
        return result
