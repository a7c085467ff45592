"""The labelled headlines the tone model learns from, and their fixed held-out split.

``corpus_vi.jsonl`` holds one ``{"text", "tone", "topic", "split"}`` object per line: a headline
and its lead sentence, written for this project in the style of Vietnamese provincial and
national press about Huế and Lào Cai (made-up people, no text copied from any site). ``tone``
is a ``Tone`` value, ``topic`` a short tag (flood, traffic, administration, …).

``split`` is fixed in the file and follows one rule, ``split_of``: a text is held out when the
SHA-256 of its folded form (lower case, no diacritics, single spaces) falls in the first
``TEST_PERCENT`` of a hundred buckets. The rule looks at the text only, so an item added later
never moves another one across, a text and its unaccented twin always land together, and each
tone gets about a quarter of its items held out (the tests check the shares).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cityops.intel.text import fold
from cityops.press.choices import Tone

CORPUS_PATH = Path(__file__).resolve().parent / "corpus_vi.jsonl"
TEST_PERCENT = 25
TRAIN, TEST = "train", "test"


@dataclass(frozen=True)
class ToneExample:
    """One labelled headline with its lead."""

    text: str
    tone: Tone
    topic: str
    split: str  # TRAIN or TEST


def folded(text: str) -> str:
    """The form the split and the duplicate checks compare: "Lũ  QUÉT" → "lu quet"."""
    return " ".join(fold(text).split())


def split_of(text: str) -> str:
    digest = hashlib.sha256(folded(text).encode()).hexdigest()
    return TEST if int(digest[:12], 16) % 100 < TEST_PERCENT else TRAIN


def examples_from(path: Path) -> list[ToneExample]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        text, tone, split = row.get("text"), row.get("tone"), row.get("split")
        if not isinstance(text, str) or tone not in Tone.values or split not in (TRAIN, TEST):
            raise ValueError(f"{path.name}:{number}: needs a text, a tone and a split")
        examples.append(
            ToneExample(text=text, tone=Tone(tone), topic=str(row.get("topic", "")), split=split)
        )
    return examples


def corpus_examples() -> list[ToneExample]:
    return examples_from(CORPUS_PATH)


def counts_by_tone(examples: Iterable[ToneExample]) -> dict[str, int]:
    return dict(sorted(Counter(str(example.tone) for example in examples).items()))
