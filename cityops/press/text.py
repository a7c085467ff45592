"""Reading press text: language, folding with offsets, watch-list patterns, MinHash signatures.

Pure functions over strings (no database), shared by the services and their tests.

Watch-list names are compared folded (``cityops.intel.text.fold``: lower case, without
diacritics, "đ" → "d") and on word boundaries, so "nguyen van a" finds "Nguyễn Văn A." but not
"Nguyễn Văn An". Matches are reported at their place in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from cityops.intel.text import fold, normalise
from cityops.press.choices import Language

# --- clean text ------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str | None) -> str:
    """NFC, no control characters (PostgreSQL refuses NUL), spaces squeezed, paragraphs kept."""
    if not text:
        return ""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: str | None, limit: int) -> str:
    return " ".join(clean(text).split())[:limit]


# --- language --------------------------------------------------------------------------------

# Letters only Vietnamese writes among Latin scripts (with the tone marks, after NFC).
_VIETNAMESE_BASE = set("ăâđêôơư")
_VI_STOPWORDS = frozenset(
    [
        "va",
        "cua",
        "la",
        "cac",
        "nhung",
        "duoc",
        "trong",
        "cho",
        "voi",
        "khong",
        "nguoi",
        "da",
        "co",
        "mot",
        "nay",
        "de",
        "thi",
        "tai",
        "theo",
        "khi",
        "ve",
        "nhu",
        "tu",
        "den",
        "ra",
        "se",
        "dang",
        "ngay",
        "nam",
        "cung",
        "con",
        "hon",
        "tren",
        "sau",
        "nhieu",
        "bi",
        "vao",
    ]
)
_EN_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "for",
        "on",
        "that",
        "with",
        "by",
        "was",
        "are",
        "as",
        "at",
        "from",
        "it",
        "an",
        "be",
        "this",
        "have",
        "has",
        "were",
        "will",
        "which",
        "their",
        "said",
    ]
)
_VI_MARKS_SHARE = 0.08  # Vietnamese prose carries a mark on about a third of its letters
_STOPWORDS_SHARE = 0.05


def _vietnamese_letter(char: str) -> bool:
    lower = char.lower()
    if lower in _VIETNAMESE_BASE:
        return True
    decomposed = unicodedata.normalize("NFD", lower)
    return len(decomposed) > 1 and decomposed[0] in "aeiouy" + "".join(_VIETNAMESE_BASE)


def language_of(text: str) -> str:
    """``vi``, ``en`` or ``other`` (``""`` for a text without letters): the share of letters
    with Vietnamese marks, else the share of common words (unaccented Vietnamese included)."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return ""
    marked = sum(1 for char in letters if _vietnamese_letter(char))
    if marked / len(letters) >= _VI_MARKS_SHARE:
        return Language.VIETNAMESE
    words = re.findall(r"\w+", fold(text))
    if not words:
        return Language.OTHER
    vietnamese = sum(1 for word in words if word in _VI_STOPWORDS) / len(words)
    english = sum(1 for word in words if word in _EN_STOPWORDS) / len(words)
    if max(vietnamese, english) < _STOPWORDS_SHARE:
        return Language.OTHER
    return Language.VIETNAMESE if vietnamese >= english else Language.ENGLISH


# --- folding with offsets --------------------------------------------------------------------


@dataclass(frozen=True)
class Folded:
    """A text folded, with where each folded character came from in the original."""

    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``[start, end)``."""
        return self.origin[start], self.origin[end - 1] + 1


def fold_with_offsets(text: str) -> Folded:
    """``fold`` character by character (the text is NFC already: see ``clean``)."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char)
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return Folded("".join(pieces), origin)


# --- watch-list patterns ---------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def folded_forms(names: Iterable[str]) -> list[str]:
    """The distinct folded forms of a name and its aliases, as words joined by one space."""
    forms: list[str] = []
    for name in names:
        words = _WORD.findall(fold(unicodedata.normalize("NFC", name)))
        form = " ".join(words)
        if form and form not in forms:
            forms.append(form)
    return forms


def pattern_for(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex over folded text finding any of ``forms`` as whole words; between two words of
    a name any short run of spaces or punctuation ("Nguyễn  Văn-A")."""
    alternatives = [
        r"[^\w\n]{1,3}".join(re.escape(word) for word in form.split())
        for form in sorted(set(forms), key=len, reverse=True)
        if form
    ]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


@dataclass(frozen=True)
class Found:
    start: int  # in the original text
    end: int
    text: str  # the words as written


def find_all(pattern: re.Pattern[str], text: str, folded: Folded | None = None) -> list[Found]:
    """Every match of a watch pattern in ``text``, at its place in the original (``folded``:
    the text folded already, when many patterns are looked for in it)."""
    if not text:
        return []
    folded = folded or fold_with_offsets(text)
    found = []
    for match in pattern.finditer(folded.text):
        start, end = folded.span(match.start(), match.end())
        found.append(Found(start, end, text[start:end]))
    return found


# --- near duplicates -------------------------------------------------------------------------

NUM_PERM = 128
SHINGLE_WORDS = 3


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Word shingles of the folded text (digits folded to 0, abbreviations expanded)."""
    words = normalise(text).plain.split()
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature_of(text: str) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM)
    found = shingles(text)
    if found:
        signature.update_batch(list(found))
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return bytes(signature.hashvalues.astype("<u4").tobytes())


SIGNATURE_BYTES = NUM_PERM * 4  # NUM_PERM little-endian uint32 values


def signature_values(data: bytes) -> np.ndarray | None:
    """A stored signature's values (None: not a signature of this size)."""
    if len(data) != SIGNATURE_BYTES:
        return None
    return np.frombuffer(data, dtype="<u4")


def sentences(text: str) -> Iterator[str]:
    """Rough sentences, for the lead when a feed gives none."""
    for part in re.split(r"(?<=[.!?…])\s+", text):
        if part.strip():
            yield part.strip()
