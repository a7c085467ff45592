"""Vietnamese text normalisation shared by the classifier and duplicate detection.

Citizens write on Hue-S and Zalo with or without diacritics, in capitals, with typos, teen-code
abbreviations and emojis. ``normalise`` turns a text into two token streams over the same
words:

- ``accented``: lowercase, Unicode NFC, punctuation and emojis removed, digit runs folded to
  ``0`` (so "50k" and "200k" look alike), letters repeated three times or more squeezed to one
  ("quáaaa" → "quá"), abbreviations expanded (``ABBREVIATIONS``);
- ``plain``: the same tokens without diacritics, ``đ`` → ``d``.

An unaccented report ("duong le loi co o ga") and an accented one ("đường Lê Lợi có ổ gà")
share the whole ``plain`` stream, while the ``accented`` stream keeps what diacritics tell
apart ("ma" / "mà" / "mã").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Abbreviations and teen-code as citizens write them, keyed by the lowercase token, expanded
# to the accented word(s). Only unambiguous ones: "a" (anh), "e" (em), "v" (vậy / và), "kh"
# (không / khách), "đk" (được / đăng ký), "hong" (không / hỏng) and "ca" (công an / cá) are left
# alone. Digits are folded before the lookup, so "50k" (fifty thousand) never reads as "không".
ABBREVIATIONS: dict[str, str] = {
    # không (no, not)
    "k": "không",
    "ko": "không",
    "kô": "không",
    "khg": "không",
    "hok": "không",
    "hông": "không",
    "hem": "không",
    "khong": "không",
    # được (can, got)
    "dc": "được",
    "đc": "được",
    "duoc": "được",
    # nước ("nhà nc" → "nhà nước")
    "nc": "nước",
    # people
    "ng": "người",
    "ngta": "người ta",
    "mn": "mọi người",
    "mng": "mọi người",
    "mk": "mình",
    "mik": "mình",
    "ck": "chồng",
    "vk": "vợ",
    "ad": "admin",
    "hs": "học sinh",
    # function words
    "j": "gì",
    "gj": "gì",
    "bt": "bình thường",
    "trc": "trước",
    "ntn": "như thế nào",
    "vs": "với",
    "r": "rồi",
    "ms": "mới",
    "cx": "cũng",
    "z": "vậy",
    "bh": "bây giờ",
    "bjo": "bây giờ",
    "bn": "bao nhiêu",
    "lun": "luôn",
    "thui": "thôi",
    "wa": "quá",
    "wá": "quá",
    "qá": "quá",
    "nhìu": "nhiều",
    "nhiu": "nhiều",
    "hnay": "hôm nay",
    "hqua": "hôm qua",
    "ah": "à",
    "uh": "ừ",
    "ạh": "ạ",
    # places and administration
    "tp": "thành phố",
    "p": "phường",
    "đg": "đường",
    "dg": "đường",
    "ubnd": "ủy ban nhân dân",
    "tdp": "tổ dân phố",
    "csgt": "cảnh sát giao thông",
    "tthc": "thủ tục hành chính",
    "bpmc": "bộ phận một cửa",
    "bhxh": "bảo hiểm xã hội",
    "cccd": "căn cước công dân",
    "cmnd": "chứng minh nhân dân",
    "sđt": "số điện thoại",
    "sdt": "số điện thoại",
    "đt": "điện thoại",
    "dt": "điện thoại",
    "xd": "xây dựng",
    "vsmt": "vệ sinh môi trường",
    "atgt": "an toàn giao thông",
    "ks": "khách sạn",
    "kq": "kết quả",
    "hxom": "hàng xóm",
    "đ": "đồng",
}

_DIGITS = re.compile(r"\d+")
_NOT_A_WORD = re.compile(r"[\W_]+")
_REPEATED = re.compile(r"(\w)\1{2,}")


def _strip_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for start, end in ((0x00C0, 0x024F), (0x1E00, 0x1EFF)):
        for code in range(start, end + 1):
            char = chr(code)
            bare = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            )
            if bare != char:
                table[code] = bare
    for code in range(0x0300, 0x0370):  # stray combining marks (texts typed decomposed)
        table[code] = None
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


_STRIP = _strip_table()


def strip_diacritics(text: str) -> str:
    """ "Đường Lê Lợi" → "Duong Le Loi"; letters outside Latin are kept as they are."""
    return unicodedata.normalize("NFC", text).translate(_STRIP)


def without_diacritics(text: str) -> bool:
    """Whether ``text`` is written without Vietnamese diacritics ("duong le loi co o ga")."""
    return strip_diacritics(text) == text


def fold(text: str) -> str:
    """How search compares words: "Đèn ĐƯỜNG" → "den duong" (lower case, without diacritics).

    Stored texts and the words searched for are folded alike, so a search neither depends on
    accents nor on the database's case rules (SQLite folds the case of ASCII letters only)."""
    return strip_diacritics(text).lower()


@dataclass(frozen=True)
class Normalised:
    """A text as two token streams over the same words: with and without diacritics."""

    accented: str
    plain: str

    @property
    def words(self) -> int:
        return len(self.plain.split())


@lru_cache(maxsize=4096)
def normalise(text: str) -> Normalised:
    """The normalised form of ``text`` (cached: the classifier's analysers share one result)."""
    text = unicodedata.normalize("NFC", text.lower())
    text = _DIGITS.sub("0", text)
    text = _NOT_A_WORD.sub(" ", text)
    text = _REPEATED.sub(r"\1", text)
    tokens = [ABBREVIATIONS.get(token, token) for token in text.split()]
    accented = " ".join(tokens)
    plain = _REPEATED.sub(r"\1", accented.translate(_STRIP))
    return Normalised(accented=accented, plain=plain)
