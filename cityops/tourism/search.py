"""Finding the FAQ entries that answer a question: TF-IDF over character n-grams.

Character n-grams (within word boundaries, 1 to 4 characters) need no word segmentation, which
Chinese, Japanese and Korean would otherwise ask for, and they forgive typos, inflections and
Vietnamese typed without diacritics (every text is folded: lower case, no diacritics). Each
language has its own index over its entries' questions and other phrasings (one vector each)
and their answers; an entry scores its best phrasing's cosine similarity plus a quarter of its
answer's. A question is searched in its language, then in English and Vietnamese (entries not
yet told in its language, or a tourist writing in a second language), those scores discounted.
The indexes are rebuilt when staff change the FAQ (a cheap version check on each search).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max
from sklearn.feature_extraction.text import TfidfVectorizer

from cityops.intel.text import fold
from cityops.tourism.choices import FALLBACK_LANGUAGES, Language
from cityops.tourism.models import FaqEntry, FaqText

TOP = 3
THRESHOLD = 0.35  # below it no entry answers the question (docs/tourism.md: how it was set)
ANSWER_WEIGHT = 0.25
FALLBACK_DISCOUNT = 0.8


@dataclass(frozen=True)
class Match:
    """An entry found for a question, with the text to show (in ``language``)."""

    entry_id: int
    key: str
    topic: str
    language: str
    question: str
    answer: str
    score: float


@dataclass
class _Index:
    vectorizer: TfidfVectorizer
    phrasings: object  # sparse matrix, one row per phrasing
    phrasing_entry: np.ndarray  # the entry (position in ``entries``) of each phrasing row
    answers: object  # sparse matrix, one row per entry
    entries: list[int]  # entry ids


CJK = frozenset({Language.ZH, Language.JA, Language.KO})
# Words that say nothing of the subject ("is there", "où est", "có … không"): left out of
# Latin-script texts so that "Is there a zoo?" does not resemble "Is there a night market?".
STOPWORDS = frozenset(
    """a an the is are am be was were do does did i me my we our you your it this that there
    here to of in on at for from by with and or can could would should will how what when where
    which who why please much many any some get go have has need want tell know about hue
    le la les l un une des de du d au aux et ou est sont je j me m mon ma mes nous vous il elle
    on y a ce c cette qu que qui quel quelle quels quelles ou comment quand combien pour par
    avec dans en sur ne pas se s t il peut puis faut huế
    toi minh ban co khong la o cua va cho voi thi duoc nao gi dau sao bao nhieu may hoi xin
    a oi nhe vay nay do de khi nhu the lam thu mot cac nhung hue""".split()  # noqa: SIM905
)


def _latin(text: str) -> str:
    words = re.findall(r"\w+", fold(text))
    return " ".join(word for word in words if word not in STOPWORDS)


def _vectorizer(language: str) -> TfidfVectorizer:
    if language in CJK:  # no spaces between words: characters and their pairs
        return TfidfVectorizer(
            analyzer="char", ngram_range=(1, 2), preprocessor=_cjk, sublinear_tf=True
        )
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), preprocessor=_latin, sublinear_tf=True
    )


def _cjk(text: str) -> str:
    # Punctuation and spaces are not part of any word; Latin letters in CJK text are folded.
    return re.sub(r"[\s\W]+", "", fold(text))


def _build(language: str, texts: list[FaqText]) -> _Index | None:
    if not texts:
        return None
    lines: list[str] = []
    owners: list[int] = []
    for position, text in enumerate(texts):
        for line in [text.question, *text.phrasings.splitlines()]:
            if line.strip():
                lines.append(line.strip())
                owners.append(position)
    vectorizer = _vectorizer(language).fit(lines + [text.answer for text in texts])
    return _Index(
        vectorizer=vectorizer,
        phrasings=vectorizer.transform(lines),
        phrasing_entry=np.array(owners),
        answers=vectorizer.transform([text.answer for text in texts]),
        entries=[text.entry_id for text in texts],
    )


class _Knowledge:
    """The indexes of every language and the texts they point to, for one version of the FAQ."""

    def __init__(self, version: tuple[object, ...]) -> None:
        self.version = version
        texts = list(
            FaqText.objects.filter(entry__is_active=True).select_related("entry").order_by("pk")
        )
        self.texts: dict[tuple[int, str], FaqText] = {(t.entry_id, t.language): t for t in texts}
        by_language: dict[str, list[FaqText]] = defaultdict(list)
        for text in texts:
            by_language[text.language].append(text)
        self.indexes = {
            language: _build(language, items) for language, items in by_language.items()
        }

    def scores(self, question: str, language: str) -> dict[int, float]:
        index = self.indexes.get(language)
        if index is None:
            return {}
        query = index.vectorizer.transform([question])
        by_phrasing = (index.phrasings @ query.T).toarray().ravel()
        best = np.zeros(len(index.entries))
        np.maximum.at(best, index.phrasing_entry, by_phrasing)
        by_answer = (index.answers @ query.T).toarray().ravel()
        combined = best + ANSWER_WEIGHT * by_answer
        return {entry: float(score) for entry, score in zip(index.entries, combined, strict=True)}


_lock = threading.Lock()
_knowledge: _Knowledge | None = None


def _faq_version() -> tuple[object, ...]:
    texts = FaqText.objects.aggregate(n=Count("pk"), at=Max("updated_at"), last=Max("pk"))
    entries = FaqEntry.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    return (texts["n"], texts["at"], texts["last"], entries["n"], entries["at"])


def _current() -> _Knowledge:
    global _knowledge
    version = _faq_version()
    with _lock:
        if _knowledge is None or _knowledge.version != version:
            _knowledge = _Knowledge(version)
        return _knowledge


def faq_search(question: str, *, language: str, top: int = TOP) -> list[Match]:
    """The ``top`` entries most similar to ``question`` with their scores, best first, each
    told in ``language`` when the entry has it (else in the language it was found in). An
    empty list when none reaches the threshold."""
    knowledge = _current()
    found: dict[int, tuple[float, str]] = {
        entry: (score, language) for entry, score in knowledge.scores(question, language).items()
    }
    for fallback in FALLBACK_LANGUAGES:
        if fallback == language:
            continue
        for entry, score in knowledge.scores(question, fallback).items():
            discounted = score * FALLBACK_DISCOUNT
            if discounted > found.get(entry, (0.0, ""))[0]:
                found[entry] = (discounted, fallback)
    ranked = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))
    matches = []
    for entry_id, (score, found_in) in ranked[:top]:
        if score < THRESHOLD:
            break
        text = knowledge.texts.get((entry_id, language)) or knowledge.texts[(entry_id, found_in)]
        matches.append(
            Match(
                entry_id=entry_id,
                key=text.entry.key,
                topic=text.entry.topic,
                language=text.language,
                question=text.question,
                answer=text.answer,
                score=round(score, 3),
            )
        )
    return matches


__all__ = ["THRESHOLD", "TOP", "Language", "Match", "faq_search"]
