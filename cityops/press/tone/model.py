"""The tone of a press headline: ``tone_of(text)``, from a model trained at first use.

The model (``training``) learns from the whole shipped corpus in well under a second; it is
trained once per process, on the first call, and kept. Scoring one text goes through the
fitted pipeline's arithmetic (``cityops.intel.compiled.CompiledModel``) rather than
scikit-learn's per-call machinery.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from cityops.intel.compiled import CompiledModel
from cityops.intel.text import normalise
from cityops.press.choices import Tone

SHORT_CONFIDENCE = 0.35  # the most a one-word or very short text is trusted
MIN_WORDS = 2
MIN_LETTERS = 5


@dataclass(frozen=True)
class ToneScore:
    """How a text speaks of its subject, and how far the model may be trusted on it.

    ``confidence`` is the model's probability for ``tone``; at most ``SHORT_CONFIDENCE`` for a
    text of one word or a few letters, and 0 for an empty text (which is ``NEUTRAL``)."""

    tone: Tone
    confidence: float


@dataclass(frozen=True)
class ClassScores:
    """Precision, recall and F1 of one tone on the held-out split."""

    precision: float
    recall: float
    f1: float
    support: int  # held-out texts of this tone


@dataclass(frozen=True)
class ToneEvaluation:
    """How the model does on the held-out split, trained on the training split only."""

    labels: list[str]  # Tone values, the order of ``confusion``'s rows and columns
    macro_f1: float
    accuracy: float
    per_class: dict[str, ClassScores]
    confusion: list[list[int]]  # rows: true tone, columns: predicted tone
    train_size: int
    test_size: int
    plain_size: int  # held-out texts written without diacritics
    plain_accuracy: float
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # split → tone → texts


_lock = threading.Lock()
_compiled: CompiledModel | None = None


def current_model() -> CompiledModel:
    """The model trained on the whole corpus, trained on the first call of the process."""
    global _compiled
    if _compiled is None:
        with _lock:
            if _compiled is None:
                from cityops.press.tone.training import tone_train

                _compiled = CompiledModel(tone_train())
    return _compiled


def tone_of(text: str) -> ToneScore:
    """The tone of ``text`` (a headline, with its lead when there is one); never raises."""
    normalised = normalise(text or "")
    if normalised.words == 0:
        return ToneScore(tone=Tone.NEUTRAL, confidence=0.0)
    model = current_model()
    probabilities = model.probabilities(text)
    best = int(probabilities.argmax())
    confidence = round(float(probabilities[best]), 4)
    letters = len(normalised.plain.replace(" ", ""))
    if normalised.words < MIN_WORDS or letters < MIN_LETTERS:
        confidence = min(confidence, SHORT_CONFIDENCE)
    return ToneScore(tone=Tone(model.labels[best]), confidence=confidence)


def tone_evaluate() -> ToneEvaluation:
    """Train on the training split, measure on the held-out split (nothing is kept)."""
    from cityops.press.tone import training

    return training.tone_evaluate()
