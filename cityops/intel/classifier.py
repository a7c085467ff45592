"""Suggest a report's category from its text. CityOps suggests; operators decide.

``suggest_category(text)`` answers with the most likely category, a confidence and the top three
candidates. The model is the stored version named by ``DATA_DIR/models/current``, loaded once
per process and reloaded when the pointer changes (another process ran
``cityops classifier train``). With no model stored yet, the first call trains one from the
shipped corpus (about two seconds, no database access) and stores it as the first version.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field

from cityops.intel import store
from cityops.intel.compiled import CompiledModel
from cityops.intel.text import normalise

logger = logging.getLogger(__name__)

TOP = 3
SHORT_CONFIDENCE = 0.35  # the most a one-word or very short text is trusted
MIN_WORDS = 2
MIN_LETTERS = 5


@dataclass(frozen=True)
class Candidate:
    category: str  # a category code (Open311 service_code)
    score: float  # the model's probability, 0–1


@dataclass(frozen=True)
class Suggestion:
    """The answer for one text.

    ``category`` is None only for an empty text. ``confidence`` is how far the suggestion may be
    trusted: the model's probability for normal texts, at most ``SHORT_CONFIDENCE`` for a text
    of one word or a few letters (``reason`` then says ``too_short``; ``empty`` for no words).
    """

    category: str | None
    confidence: float
    candidates: list[Candidate] = field(default_factory=list)
    reason: str = ""
    model_version: str = ""


@dataclass(frozen=True)
class LoadedModel:
    version: str
    compiled: CompiledModel


_lock = threading.Lock()
_loaded: tuple[tuple[str, int, int], LoadedModel] | None = None


def _pointer_key() -> tuple[str, int, int] | None:
    path = store.pointer_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    # The pointer is replaced by rename, so a new version is a new inode.
    return (str(path), stat.st_ino, stat.st_mtime_ns)


def current_model() -> LoadedModel:
    """The model named by the pointer, loaded once per process; trains one if there is none."""
    global _loaded
    key = _pointer_key()
    loaded = _loaded
    if loaded is not None and key is not None and loaded[0] == key:
        return loaded[1]
    with _lock:
        key = _pointer_key()
        if _loaded is not None and key is not None and _loaded[0] == key:
            return _loaded[1]
        # The key read before loading: should the pointer move meanwhile, the next call reloads.
        bundle = _bundle_or_train()
        key = key or _pointer_key()
        model = LoadedModel(version=bundle.version, compiled=CompiledModel(bundle.pipeline))
        if key is not None:
            _loaded = (key, model)
        logger.info("Category classifier %s loaded", bundle.version)
        return model


def _bundle_or_train() -> store.ModelBundle:
    version = store.current_version()
    if version is not None:
        try:
            return store.bundle_load(version)
        except FileNotFoundError:
            logger.warning("Classifier %s is missing; training from the corpus", version)
    from cityops.intel.training import classifier_train

    return classifier_train(include_database=False)


def suggest_category(text: str) -> Suggestion:
    """The suggested category of ``text`` (a report's title and description); never raises."""
    normalised = normalise(text or "")
    if normalised.words == 0:
        return Suggestion(category=None, confidence=0.0, reason="empty")
    model = current_model()
    probabilities = model.compiled.probabilities(text)
    ranked = sorted(zip(model.compiled.labels, probabilities, strict=True), key=lambda p: -p[1])
    candidates = [Candidate(category=c, score=round(float(p), 4)) for c, p in ranked[:TOP]]
    best = candidates[0]
    letters = len(normalised.plain.replace(" ", ""))
    if normalised.words < MIN_WORDS or letters < MIN_LETTERS:
        return Suggestion(
            category=best.category,
            confidence=min(best.score, SHORT_CONFIDENCE),
            candidates=candidates,
            reason="too_short",
            model_version=model.version,
        )
    return Suggestion(
        category=best.category,
        confidence=best.score,
        candidates=candidates,
        model_version=model.version,
    )
