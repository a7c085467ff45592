"""The labelled corpus shipped with CityOps, and the challenge set kept out of training.

``corpus/reports_vi.jsonl`` holds one ``{"text": ..., "category": ...}`` object per line, written
for this project the way Huế citizens write on Hue-S and Zalo; ``corpus/challenge_vi.jsonl`` holds
hard cases (no diacritics, typos, abbreviations, one word) that are never used for training.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
CORPUS_PATH = CORPUS_DIR / "reports_vi.jsonl"
CHALLENGE_PATH = CORPUS_DIR / "challenge_vi.jsonl"


@dataclass(frozen=True)
class Example:
    """One labelled text: a report's words and the category code it belongs to."""

    text: str
    category: str


def examples_from(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row.get("text"), str) or not isinstance(row.get("category"), str):
            raise ValueError(f"{path.name}:{number}: needs a text and a category")
        examples.append(Example(text=row["text"], category=row["category"]))
    return examples


def corpus_examples() -> list[Example]:
    return examples_from(CORPUS_PATH)


def challenge_examples() -> list[Example]:
    return examples_from(CHALLENGE_PATH)


def examples_hash(examples: Iterable[Example]) -> str:
    """A short fingerprint of a training set, independent of its order."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: (e.category, e.text)):
        digest.update(f"{example.category}\t{example.text}\n".encode())
    return digest.hexdigest()[:10]


def counts_by_category(examples: Iterable[Example]) -> dict[str, int]:
    return dict(sorted(Counter(example.category for example in examples).items()))
