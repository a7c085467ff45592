"""Prediction latency of the category classifier: ``.venv/bin/python bench/classifier.py``.

Trains a model from the shipped corpus in a temporary data directory (the real ``var/`` is left
alone), then times ``suggest_category`` on 1000 distinct texts, one at a time as a web request
would, and, for comparison, scikit-learn's own ``predict_proba`` on the same pipeline; then on
1000 distinct long letters of exactly 1,000 characters (held-out letters, two joined and cut),
the length of the longest reports Huế's portals receive. Writes ``bench/results/classifier.json``
with the machine it ran on. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lib.machine import machine

RUNS = 1000
LETTER_LENGTH = 1000
RESULT = Path(__file__).resolve().parent / "results" / "classifier.json"


def _summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 4),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 4),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 4),
        "max_ms": round(ordered[-1] * 1000, 4),
    }


def _timed(call: Callable[[str], object], texts: list[str]) -> list[float]:
    from cityops.intel.formula import problem_text
    from cityops.intel.text import normalise

    normalise.cache_clear()  # every timed text is read from scratch
    problem_text.cache_clear()
    seconds = []
    for text in texts:
        started = time.perf_counter()
        call(text)
        seconds.append(time.perf_counter() - started)
    return seconds


def _long_letters(letters: list[str]) -> list[str]:
    """``RUNS`` distinct texts of ``LETTER_LENGTH`` characters, from ``letters`` joined."""
    texts = []
    for index in range(RUNS):
        text, step = f"{index}.", 0
        while len(text) < LETTER_LENGTH:
            text += "\n" + letters[(index * 7 + step) % len(letters)]
            step += 1
        texts.append(text[:LETTER_LENGTH])
    return texts


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["CITYOPS_DATA_DIR"] = tempfile.mkdtemp(prefix="cityops-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
    import django

    django.setup()
    import numpy
    import sklearn

    from cityops.intel import classifier
    from cityops.intel.corpus import corpus_examples
    from cityops.intel.letters import held_out_letters
    from cityops.intel.store import bundle_load, current_version
    from cityops.intel.training import classifier_train

    started = time.perf_counter()
    bundle = classifier_train(include_database=False)
    training_s = time.perf_counter() - started
    classifier.current_model()  # load outside the timed loop, as a running process has it

    texts = [example.text for example in corpus_examples()][:RUNS]
    letters = _long_letters([example.text for example in held_out_letters()])
    ours = _timed(classifier.suggest_category, texts)
    ours_letters = _timed(classifier.suggest_category, letters)
    pipeline = bundle_load(current_version() or bundle.version).pipeline
    theirs = _timed(lambda text: pipeline.predict_proba([text]), texts)
    theirs_letters = _timed(lambda text: pipeline.predict_proba([text]), letters)

    result = {
        "what": (
            "suggest_category(text) on 1000 distinct corpus texts, then on 1000 distinct "
            f"letters of {LETTER_LENGTH} characters, one call each"
        ),
        "runs": len(texts),
        "suggest_category": _summary(ours),
        "sklearn_predict_proba_same_model": _summary(theirs),
        "letter_runs": len(letters),
        "letter_characters": LETTER_LENGTH,
        "suggest_category_letter": _summary(ours_letters),
        "sklearn_predict_proba_same_model_letter": _summary(theirs_letters),
        "training_seconds": round(training_s, 2),
        "model_version": bundle.version,
        "machine": machine(scikit_learn=sklearn.__version__, numpy=numpy.__version__),
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
