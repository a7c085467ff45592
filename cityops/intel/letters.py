"""Long formal letters, composed from hand-written parts, the way Huế's portals receive reports.

Real reports are often letters of 250–900 characters: a salutation ("Kính gửi: Trung tâm Giám sát,
điều hành đô thị thông minh…"), the writer's name and address, a history of earlier complaints and
of the authorities' answers, the problem itself, sometimes a second problem of another kind, a
request and a sign-off. ``corpus/letters/*.jsonl`` holds such parts, written for CityOps (see
``docs/intelligence.md``), one ``{"part": kind, "category": code or "", "text": ...}`` per line.

The parts are split before any letter is composed: in every group of parts (a kind, and for
problems and asides a category) a stable quarter, chosen by a hash of the text, is held out. The
training letters are composed from the other parts only and the held-out letters from held-out
parts only — problem, aside, history, salutation, introduction, name, address, request and
closing — so a held-out letter shares no sentence with any training letter. Composition is
seeded: the same parts always give the same letters.

A letter's category is its problem's; an aside of another category is there to mix topics.
About a third of the letters are written without diacritics, some in lower case, some with typos.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cityops.intel.corpus import CORPUS_DIR, Example
from cityops.intel.text import strip_diacritics

LETTERS_DIR = CORPUS_DIR / "letters"

FRAME_KINDS = ("salutation", "introduction", "name", "address", "history", "request", "closing")
TOPIC_KINDS = ("problem", "aside")  # the parts with a category
KINDS = FRAME_KINDS + TOPIC_KINDS

HELD_OUT_SHARE = 0.25
TRAINING_PER_CATEGORY = 120
HELD_OUT_PER_CATEGORY = 60
TRAINING_SEED = "cityops-letters-training"
HELD_OUT_SEED = "cityops-letters-held-out"

MIN_LENGTH, MAX_LENGTH = 250, 900
# How often a letter has each optional part, and how it is written.
SALUTATION_SHARE = 0.9
INTRODUCTION_SHARE = 0.85
HISTORIES = ((0, 0.5), (1, 0.45), (2, 0.05))  # how many history parts, and how often
HISTORY_AFTER_PROBLEM_SHARE = 0.3
ASIDE_SHARE = 0.35
REQUEST_SHARE = 0.9
CLOSING_SHARE = 0.8
PLAIN_SHARE = 0.35  # without diacritics
LOWERCASE_SHARE = 0.1
TYPO_SHARE = 0.15
TYPO_RATE = 0.05  # of the words of a letter with typos


@dataclass(frozen=True)
class Part:
    """One hand-written piece of a letter."""

    kind: str
    category: str  # the problem's or aside's category code; "" for the frame
    text: str

    @property
    def group(self) -> tuple[str, str]:
        return (self.kind, self.category)

    @property
    def rank(self) -> str:
        """A stable pseudo-random order inside a group: what decides which parts are held out."""
        return hashlib.sha256(f"{self.kind}\t{self.text}".encode()).hexdigest()


def parts_from(directory: Path = LETTERS_DIR) -> list[Part]:
    """Every part in ``directory/*.jsonl`` (files in name order), each text once."""
    parts: list[Part] = []
    seen: set[tuple[str, str]] = set()
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            kind, category, text = row.get("part"), row.get("category", ""), row.get("text")
            if kind not in KINDS or not isinstance(text, str) or not isinstance(category, str):
                raise ValueError(f"{path.name}:{number}: needs a known part, a category, a text")
            if (kind in TOPIC_KINDS) != bool(category):
                raise ValueError(f"{path.name}:{number}: only problems and asides have a category")
            if (kind, text.strip()) not in seen:
                seen.add((kind, text.strip()))
                parts.append(Part(kind=kind, category=category, text=text.strip()))
    return parts


def split_parts(parts: Sequence[Part]) -> tuple[list[Part], list[Part]]:
    """(training parts, held-out parts): a quarter of each group held out, at least one part of
    every group of two or more, chosen by ``Part.rank`` so the split does not depend on file
    order."""
    groups: dict[tuple[str, str], list[Part]] = defaultdict(list)
    for part in parts:
        groups[part.group].append(part)
    training: list[Part] = []
    held_out: list[Part] = []
    for members in groups.values():
        ordered = sorted(members, key=lambda part: part.rank)
        count = max(1, round(len(ordered) * HELD_OUT_SHARE)) if len(ordered) > 1 else 0
        held_out += ordered[:count]
        training += ordered[count:]
    return training, held_out


def compose_letters(parts: Sequence[Part], *, per_category: int, seed: str) -> list[Example]:
    """``per_category`` letters for every category that has a problem part, from ``parts`` only.

    Each category's problems are used in turn, so every problem appears about equally often."""
    rng = random.Random(seed)
    pools: dict[str, list[Part]] = defaultdict(list)
    problems: dict[str, list[Part]] = defaultdict(list)
    for part in sorted(parts, key=lambda part: (part.kind, part.category, part.text)):
        if part.kind == "problem":
            problems[part.category].append(part)
        else:
            pools[part.kind].append(part)
    letters = []
    for category in sorted(problems):
        turn = list(problems[category])
        for index in range(per_category):
            if index % len(turn) == 0:
                rng.shuffle(turn)
            problem = turn[index % len(turn)]
            letters.append(Example(text=_letter(rng, problem, pools), category=category))
    return letters


def _letter(rng: random.Random, problem: Part, pools: dict[str, list[Part]]) -> str:
    def pick(kind: str) -> str:
        return rng.choice(pools[kind]).text if pools[kind] else ""

    def maybe(kind: str, share: float) -> str:
        return pick(kind) if rng.random() < share else ""

    salutation = maybe("salutation", SALUTATION_SHARE)
    introduction = maybe("introduction", INTRODUCTION_SHARE)
    if introduction:
        introduction = introduction.replace("{name}", pick("name") or "Nguyễn Văn An")
        introduction = introduction.replace("{address}", pick("address") or "phường Thuận Hóa")
    count = rng.choices([n for n, _ in HISTORIES], weights=[w for _, w in HISTORIES])[0]
    histories = rng.sample(pools["history"], min(count, len(pools["history"])))
    asides = [a for a in pools["aside"] if a.category != problem.category]
    aside = rng.choice(asides).text if asides and rng.random() < ASIDE_SHARE else ""
    request = maybe("request", REQUEST_SHARE)
    closing = maybe("closing", CLOSING_SHARE)
    history_after = rng.random() < HISTORY_AFTER_PROBLEM_SHARE
    separator = rng.choice(("\n", " "))

    def assemble() -> str:
        told = [h.text for h in histories]
        middle = [problem.text, aside] if not history_after else [problem.text, aside, *told]
        body = [introduction, *([] if history_after else told), *middle, request, closing]
        text = separator.join(piece for piece in body if piece)
        return f"{salutation}\n{text}" if salutation else text

    letter = assemble()
    # Too long: leave out what a writer would leave out first.
    while len(letter) > MAX_LENGTH and (aside or histories or closing):
        if aside:
            aside = ""
        elif histories:
            histories = histories[:-1]
        else:
            closing = ""
        letter = assemble()
    if len(letter) < MIN_LENGTH:
        spare = [h for h in pools["history"] if h not in histories]
        if spare:
            histories = [*histories, rng.choice(spare)]
            letter = assemble()
    return _written(rng, letter)


def _written(rng: random.Random, letter: str) -> str:
    """The letter as its writer typed it: without diacritics, in lower case, with typos."""
    if rng.random() < PLAIN_SHARE:
        letter = strip_diacritics(letter)
    if rng.random() < LOWERCASE_SHARE:
        letter = letter.lower()
    if rng.random() < TYPO_SHARE:
        words = letter.split(" ")
        letter = " ".join(_typo(rng, w) if rng.random() < TYPO_RATE else w for w in words)
    return letter


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # a letter left out
        return word[:at] + word[at + 1 :]
    if kind == 1:  # two letters swapped
        return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]  # a letter doubled


def training_parts(directory: Path = LETTERS_DIR) -> list[Example]:
    """The problems and asides of the training side, each an example of its category."""
    training, _ = split_parts(parts_from(directory))
    return [Example(text=p.text, category=p.category) for p in training if p.kind in TOPIC_KINDS]


def training_letters(directory: Path = LETTERS_DIR) -> list[Example]:
    """Letters from the training parts: part of what every model is trained on."""
    training, _ = split_parts(parts_from(directory))
    return compose_letters(training, per_category=TRAINING_PER_CATEGORY, seed=TRAINING_SEED)


def held_out_letters(directory: Path = LETTERS_DIR) -> list[Example]:
    """Letters from the held-out parts only: never trained on, what long texts are measured on."""
    _, held_out = split_parts(parts_from(directory))
    return compose_letters(held_out, per_category=HELD_OUT_PER_CATEGORY, seed=HELD_OUT_SEED)
