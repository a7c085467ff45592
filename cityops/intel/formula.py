"""The problem of a letter without its formula: salutations, introductions, requests, sign-offs,
and the second topics it mentions in passing.

Formal letters to the IOC wrap a few sentences of problem in as many words of formula ("Kính gửi:
Trung tâm Giám sát, điều hành…", "Tôi tên là …, trú tại …, xin phản ánh như sau:", "Kính đề
nghị các cơ quan chức năng sớm kiểm tra, xử lý…", "Xin trân trọng cảm ơn!"). Those words are the
same in every category, and their talk of officials pulls a letter towards administrative
conduct. Letters also add a second, minor problem, introduced by a connective ("Ngoài ra, đèn
đường trong kiệt cũng hỏng") — the letter is about the first one.

``problem_text`` cuts a text into sentences (at . ! ? and line breaks) and clauses (at ; and :)
and leaves out:

- a salutation (``SALUTATION``) opening the text, to the end of its line, or to its first comma
  or full stop when the letter goes on in the same line ("Kính thưa quý cơ quan, …");
- an introduction or announcement (``INTRODUCTION``: "tôi tên là", "người phản ánh", "xin phản
  ánh như sau", "cư trú tại" …);
- a request (``REQUEST`` opening a clause that also asks for action, ``ACTION``: "kính đề nghị …
  kiểm tra, xử lý"; "Đề nghị đổi phòng thì chủ nhà bảo hết" is a problem and stays);
- a sign-off (``SIGN_OFF``: "xin chân thành cảm ơn", "trân trọng"; or ``THANKS`` in a clause of
  at most ``THANKS_WORDS`` words);
- a history of earlier complaints and answers (``HISTORY``: "đã phản ánh", "văn bản trả lời
  số …", "lập biên bản", "đường dây nóng" …), unless it is about a procedure (``PROCEDURE``: a
  dossier, papers, a fee — the matter of administrative conduct);
- a sentence opening with a connective that brings in another topic (``ASIDE``: "ngoài ra",
  "bên cạnh đó", "nhân tiện", "thêm nữa" …), through its colon ("Nhân tiện xin báo luôn: …").

The patterns are phrases of Vietnamese administrative letters in general, compared without
diacritics and in lower case (so unaccented letters lose their formula too). A text that would
lose (almost) everything is kept whole: short reports ("Đề nghị xử lý quán karaoke hát khuya",
"Ngoài ra rác ở chợ") are not letters.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cityops.intel.text import fold

_SUBJECT = (
    r"((da|vay|vi vay|do do|vay nen|toi|em|con|chau|minh|chung toi|chung em|ba con"
    r"|gia dinh toi)\s)*"
)
SALUTATION = re.compile(r"^(da\s)?((dong\s)?kinh\s(gui|goi|thua)|thua)\b")
# "Người phản ánh: <name>. Địa chỉ: <address>": the label and what follows its colon.
LABEL = re.compile(
    r"^(nguoi phan anh|nguoi lam don|nguoi gui|ho ten|ho va ten|dia chi( lien he)?"
    r"|(so )?dien thoai( lien he)?)$"
)
INTRODUCTION = re.compile(
    r"^(xin tu gioi thieu|nguoi phan anh|nguoi lam don|nguoi gui|dia chi|thay mat|toi ky ten)\b"
    r"|^(toi|em|con|chau|minh|chung toi|chung em)\s(ten|la|gom)\b"
    r"|^ten\s(toi|em|con|chau|minh)\s"
    r"|\b(xin|de|duoc|gui|viet|muon|phep)\s(duoc\s)?phan anh\b"
    r"|\bphan anh\s(nhu sau|sau day|duoi day|sau|nay)\b"
    r"|\b(trinh bay|man phep|cam doan)\b|\b(nhu sau|sau day|duoi day)$"
    r"|\b(cu tru|cu ngu|thuong tru|tam tru)\s(tai|o)\b"
)
REQUEST = re.compile(
    _SUBJECT + r"((kinh|rat|khan thiet|tha thiet|xin)\s)*(de nghi|kien nghi|mong|yeu cau)\b"
    r"|" + _SUBJECT + r"xin\s(cac|quy|trung tam|co quan|uy ban|ubnd|lanh dao|chinh quyen)\b"
)
ACTION = re.compile(
    r"\b(xu ly|xu li|kiem tra|giai quyet|xem xet|khac phuc|quan tam|co quan|chuc nang|tham quyen"
    r"|tra loi|phan hoi|vao cuoc|chi dao|xac minh|phuong an|bien phap|ghi nhan)\b"
)
SIGN_OFF = re.compile(
    r"\b((xin|thanh|lan nua|chung toi|toi)\s(chan thanh\s)?cam on|tran trong|kinh chao|kinh thu"
    r"|mong\s(som\s)?(nhan duoc\s)?hoi am)\b"
)
# Thanks in a short clause are a sign-off; a longer clause that thanks someone may be the problem
# ("tôi viết thư này để cảm ơn đội cứu hộ đã…").
THANKS = re.compile(r"\b(cam on|kinh chuc)\b|^chuc\b")
THANKS_WORDS = 10
ASIDE = re.compile(
    r"^(ngoai ra|ben canh do|nhan tien|tien day|them nua|them mot|mot (viec|chuyen|dieu|van de)"
    r"|cung xin|xin (phan anh|noi|bao) them|ngoai (chuyen|viec|van de))\b"
)
# An earlier complaint and the authorities' answer: the same in every category, and full of
# officials. Not when the clause is about a procedure itself (a dossier, papers, a fee), which is
# what an administrative-conduct problem recounts.
HISTORY = re.compile(
    r"\b(da|tung|nhieu lan|lan|ky)\s(phan anh|gui don|lam don|gui don)\b"
    r"|\bphan anh\s(nhieu lan|gan nhat|cua toi|cua chung toi)\b"
    r"|\b(van ban|cong van)\s(so|tra loi)\b"
    r"|\b(duong day nong|tiep xuc cu tri|giay moi|phieu tiep nhan|hoa giai)\b"
    r"|\b(da|co)\s(hua|xuong kiem tra|xuong xem|xuong ghi nhan|lap bien ban|tra loi)\b"
    r"|\bdau (lai|van)\s(hoan|vao)\s(day|do)\b"
)
PROCEDURE = re.compile(
    r"\b(ho so|thu tuc|giay to|mot cua|tre hen|qua hen|le phi|giay chung nhan|so do)\b"
)
MIN_LETTERS = 15  # what must remain of a text, or it is kept whole

_SENTENCE = re.compile(r"[^.!?\n]+")
_CLAUSE = re.compile(r"[^;:]+")
_NOT_A_WORD = re.compile(r"[\W_]+")


def _words(text: str) -> str:
    return _NOT_A_WORD.sub(" ", fold(text)).strip()


def _formula(words: str) -> bool:
    if INTRODUCTION.search(words):
        return True
    if REQUEST.match(words) and ACTION.search(words):
        return True
    if HISTORY.search(words) and not PROCEDURE.search(words):
        return True
    if SIGN_OFF.search(words):
        return True
    return bool(THANKS.search(words)) and len(words.split()) <= THANKS_WORDS


def _salutation_line(text: str) -> str:
    """``text`` without a salutation that opens its first line (or sentence, or comma)."""
    first, newline, rest = text.lstrip().partition("\n")
    if not SALUTATION.match(_words(first[:40])):
        return text
    if newline:
        return rest
    # "Kính gửi IOC: <the letter>", "Kính thưa quý cơ quan, <the letter>"; a bare "Kính gửi:"
    # is followed by its addressee.
    for cut in re.finditer(r"[,.!?:]", first):
        if SALUTATION.sub("", _words(first[: cut.start()])).strip():
            return first[cut.end() :]
    return ""


@lru_cache(maxsize=4096)
def problem_text(text: str) -> str:
    """``text`` without its formula and asides, or ``text`` itself when that would leave nothing."""
    kept: list[str] = []
    for sentence in _SENTENCE.findall(_salutation_line(text)):
        words = _words(sentence)
        if not words or ASIDE.match(words):
            continue
        labelled = False
        for clause in _CLAUSE.findall(sentence):
            words = _words(clause)
            if labelled or LABEL.match(words):
                labelled = not labelled
                continue
            if words and not _formula(words):
                kept.append(clause.strip())
    problem = ". ".join(kept)
    if len(_NOT_A_WORD.sub("", problem)) < MIN_LETTERS:
        return text
    return problem
