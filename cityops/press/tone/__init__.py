"""The tone of Vietnamese press headlines and leads: negative, neutral or positive.

``tone_of(text) -> ToneScore`` scores one text; ``tone_evaluate() -> ToneEvaluation`` measures
the model on the corpus's held-out split (``python -m cityops.press.tone`` prints it). The
corpus, its split and the model: ``corpus``, ``training``; the figures: docs.
"""

from cityops.press.tone.model import (
    ClassScores,
    ToneEvaluation,
    ToneScore,
    tone_evaluate,
    tone_of,
)

__all__ = ["ClassScores", "ToneEvaluation", "ToneScore", "tone_evaluate", "tone_of"]
