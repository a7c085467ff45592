"""People's names, kept and shown in the Vietnamese order, and blanked where they must not show.

A name is one text, written the way its owner writes it: family name, middle name(s), given
name — "Nguyễn Văn Bình" (``User.full_name``, a report's ``contact_name``). It is never split
into "first" and "last" names to be joined again in the Western order ("Bình Nguyễn Văn").
The given name (tên) is the last word: what the public may read of a reporter.

``names_blanked`` hides a name wherever it is written in a text, in any form its owner or
someone else may have written it: in either order ("Bình Nguyễn Văn"), with the family name left
out ("Văn Bình"), in capitals, without diacritics ("nguyen van binh"), across line breaks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

_WORD = re.compile(r"\w+")
# A one-word name shorter than this would blank ordinary words ("An", "Hà").
_MIN_SINGLE_NAME = 4


def name_tidy(text: str) -> str:
    """``text`` in Unicode NFC with single spaces: how a name is stored."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_given(full_name: str) -> str:
    """The given name: the last word in the Vietnamese order ("Bình" of "Nguyễn Văn Bình")."""
    words = full_name.split()
    return words[-1] if words else ""


def name_of(*, family: str, given: str) -> str:
    """One name from a family name and a given name (e.g. Open311's ``last_name`` and
    ``first_name``), in the Vietnamese order: "Nguyễn" and "Văn Bình" → "Nguyễn Văn Bình"."""
    return name_tidy(f"{family} {given}")


def _folded(text: str) -> str:
    """Without diacritics: "Nguyễn Văn Bình" → "Nguyen Van Binh"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _reader(name: str) -> Callable[[str], str | None]:
    """Which word of ``name`` a word of a text is, if any: the same word in any case, or the
    same letters written without diacritics ("binh" is "Bình"; "bính" and "vẫn" are not)."""
    words = [word.lower() for word in _WORD.findall(unicodedata.normalize("NFC", name))]
    accented = {word: word for word in words}
    plain = {_folded(word): word for word in words}

    def read(word: str) -> str | None:
        word = word.lower()
        if word in accented:
            return accented[word]
        return plain.get(word) if word == _folded(word) else None

    return read


def names_blanked(text: str, *, names: Iterable[str], replacement: str) -> str:
    """``text`` with each of ``names`` replaced by ``replacement``, however it was written.

    A name of several words is found as any run of two or more of its words, each once, that
    holds its given name, in any order: "Nguyễn Văn Bình", "Bình Nguyễn Văn", "Văn Bình",
    "NGUYEN VAN BINH" (never "Nguyễn Văn" alone, which millions share). A one-word name is
    found alone when it is long enough not to be an ordinary word.
    """
    text = unicodedata.normalize("NFC", text)
    tokens = [(match.group(0), match.span()) for match in _WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    for name in names:
        words = [word.lower() for word in _WORD.findall(unicodedata.normalize("NFC", name))]
        if not words or (len(words) == 1 and len(words[0]) < _MIN_SINGLE_NAME):
            continue
        for run in _runs(text, tokens, read=_reader(name)):
            if words[-1] in {word for word, _span in run} and (len(run) > 1 or len(words) == 1):
                spans.append((run[0][1][0], run[-1][1][1]))
    for start, end in sorted(_merged(spans), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


Token = tuple[str, tuple[int, int]]


def _runs(
    text: str, tokens: list[Token], *, read: Callable[[str], str | None]
) -> list[list[Token]]:
    """Runs of the name's words (as the name writes them), apart only by white space, none
    twice in a run."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for raw, (start, end) in tokens:
        word = read(raw)
        joined = bool(current) and not text[current[-1][1][1] : start].strip()
        if word is None:
            current = []
            continue
        if not joined or word in {seen for seen, _span in current}:
            current = []
            runs.append(current)
        current.append((word, (start, end)))
    return runs


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
