"""Suggest a report's priority from its words: transparent cue rules, no model.

``suggest_priority(text)`` answers ``urgent``, ``complex`` or ``normal`` with the cues that
decided, so the operator sees why ("Khẩn cấp (ngập sâu)"). CityOps suggests; operators decide.

- **urgent** (4 working hours): danger to life, fire or explosion, a fallen tree or pole, a
  collapse or landslide, deep flooding, a fallen live wire or electrocution, a gas leak, an
  accident with injured people, a child in danger.
- **complex** (15 working days): one *strong* cue (a land dispute, compensation and clearance, a
  planning question, an inspection across agencies) or two *weak* ones (a long history, many
  households, a complaint or denunciation, encroachment, building without a permit).
- **normal** otherwise. Urgency wins over complexity: a fire on disputed land is still a fire.

Cues are phrases over the normalised text (``intel.text.normalise``). An accented phrase is
looked for in the accented stream, so "chạy" (run) is not "cháy" (fire); the same phrase
without diacritics is looked for only where the citizen wrote without them, and only when it is
unambiguous that way (two words or more, or listed in ``plain``): "chay" alone could be
"chạy", "chay" or "cháy", but "boc chay" is "bốc cháy". A cue is discounted when a negation or
a hedge comes just before it ("không ai bị thương", "nguy cơ cháy nổ", "phòng cháy chữa
cháy"), when the text reassures ("không nguy hiểm") and the cue is of a kind that words can
reassure about (a tree, water, a crack — never fire, gas, injuries or a live wire), or when the
cue is a recurring nuisance ("ngập sâu mỗi khi mưa": a drainage problem, not an emergency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from cityops.intel.text import normalise, strip_diacritics
from cityops.reports.choices import Priority

GAP = "…"  # in a phrase: up to three words
_GAP_RE = r"(?: \S+){0,3}"
WINDOW = 3  # words before a cue where a negation or hedge counts

# Words that cancel what follows: "không ai bị thương", "chưa ngập", "hết cháy".
NEGATIONS = frozenset({"không", "chưa", "chẳng", "chả", "hết", "đừng", "tránh", "dễ", "sợ"})
# Without diacritics only the unambiguous ones ("de" is also "để", "so" also "số").
NEGATIONS_PLAIN = frozenset({"khong", "chua", "chang", "het"})
# Two-word hedges in the same window: a risk, a possibility, a drill is not the event.
HEDGES = ("nguy cơ", "có thể", "đề phòng", "phòng ngừa", "lo ngại", "diễn tập", "lo sợ")
_HEDGES_PLAIN = tuple(strip_diacritics(hedge) for hedge in HEDGES)
# Right before the cue only: "phòng cháy", "chữa cháy", "chống ngập" are about prevention.
PREVENTION = frozenset({"phòng", "chống", "chữa", "pccc"})
PREVENTION_PLAIN = frozenset({"phong", "chong", "chua", "pccc"})
# A contrast ends the window: "không ai bị thương nhưng cây đổ chắn đường".
BREAKS = frozenset({"nhưng", "mà", "song", "tuy", "nhung"})

REASSURANCES = (
    "không nguy hiểm",
    "không có gì nguy hiểm",
    "không khẩn cấp",
    "không gấp",
    "chưa nguy hiểm",
    "không ảnh hưởng",
)
RECURRING = (
    "mỗi khi mưa",
    "mỗi lần mưa",
    "mỗi khi có mưa",
    "mỗi mùa mưa",
    "thường xuyên",
    "hay bị",
    "lâu nay",
)


@dataclass(frozen=True)
class Cue:
    """A kind of words that suggests a priority. ``label`` is what the operator reads."""

    label: str
    priority: Priority
    phrases: tuple[str, ...]
    plain: tuple[str, ...] = ()  # more phrases for texts written without diacritics
    reassurable: bool = False  # "không nguy hiểm" discounts it
    recurring: bool = False  # "mỗi khi mưa" discounts it
    weak: bool = False  # complex cues: two weak ones (of two labels) are needed
    not_next: frozenset[str] = frozenset()  # a word right after that means another thing
    not_after: frozenset[str] = frozenset()  # a word in the window before that does


U, C = Priority.URGENT, Priority.COMPLEX

CUES: tuple[Cue, ...] = (
    Cue("nguy hiểm tính mạng", U, (
        "nguy hiểm đến tính mạng", "nguy hiểm tới tính mạng", "nguy hiểm tính mạng",
        "đe dọa tính mạng", "đe doạ tính mạng", "chết người", "tử vong", "thiệt mạng",
        "chết đuối", "đuối nước", "mắc kẹt", "kêu cứu", "cấp cứu", "bất tỉnh", "cứu với",
        "cứu người")),
    Cue("cháy nổ", U, (
        "cháy", "phát nổ", "vụ nổ", "tiếng nổ lớn", "nổ tung", "nổ bình", "nổ trạm",
        "hỏa hoạn", "hoả hoạn", "bốc khói", "cột khói", "khói đen"),
        plain=("boc chay", "dam chay", "chay nha", "chay lon", "bi chay", "chay no", "phat no",
               "tieng no", "no lon", "hoa hoan", "boc khoi", "cot khoi", "khoi den",
               "chay rung", "chay du doi"),
        # "bóng đèn bị cháy" is a street light to replace, "cháy hàng" a sold-out shop.
        not_next=frozenset({"bóng", "túi", "hàng", "nắng", "da"}),
        not_after=frozenset({"đèn", "bóng", "bong", "chì"})),
    Cue("rò rỉ khí gas", U, (
        "rò rỉ khí", "rò khí", "xì khí", "mùi gas", "mùi ga", "rò … gas", "rò … ga", "xì … gas",
        "khí độc"),
        plain=("ro ri gas", "ro gas", "xi gas", "ro ri khi", "mui gas", "khi doc")),
    Cue("điện giật, dây điện đứt", U, (
        "điện giật", "giật điện", "rò điện", "rò rỉ điện", "chập điện", "tia lửa điện",
        "dây điện … đứt", "đứt dây điện", "dây điện … rơi", "dây điện … rớt", "dây điện … sà",
        "dây điện … chạm đất", "dây điện … đổ", "cột điện … đổ", "cột điện … gãy",
        "trụ điện … đổ", "trụ điện … gãy", "cột điện … ngã", "trụ điện … ngã"),
        plain=("dien giat", "giat dien", "ro dien", "chap dien", "day dien bi dut",
               "day dien dut", "dut day dien", "day dien roi", "day dien bi roi",
               "day dien rot", "cot dien do", "cot dien bi do", "cot dien gay", "tru dien do",
               "tru dien bi do", "tru dien gay")),
    Cue("tai nạn có người bị thương", U, (
        "bị thương", "thương vong", "trọng thương", "bị nạn", "nạn nhân", "chảy máu",
        "tai nạn nghiêm trọng", "tai nạn liên hoàn", "tông chết", "đâm chém", "hỗn chiến")),
    Cue("trẻ em gặp nguy hiểm", U, (
        "trẻ em … rơi", "trẻ … rơi xuống", "bé … rơi xuống", "cháu … rơi xuống",
        "trẻ em … kẹt", "trẻ … bị lạc", "bé … bị lạc", "lạc mất con", "bạo hành trẻ",
        "trẻ em bị bạo hành", "bé bị bạo hành", "trẻ em … đuối"),
        plain=("tre em bi roi", "tre bi lac", "be bi lac", "bao hanh tre", "tre em bi bao hanh")),
    Cue("cây đổ, gãy cành", U, (
        "cây … đổ", "cây … ngã", "cây … gãy", "đổ cây", "gãy cành", "cành … gãy", "cành cây … rơi",
        "bật gốc", "cây … đè"),
        plain=("cay do", "cay nga", "cay gay", "cay bi do", "cay bi nga", "cay bi gay",
               "gay canh", "bat goc", "canh cay roi"),
        reassurable=True,
        # "gốc cây đổ rác": rubbish dumped under a tree, nothing fell.
        not_next=frozenset({"rác", "trộm", "xà", "bê", "đất", "phế", "thải", "nước", "dầu"})),
    Cue("sập, sạt lở", U, (
        "sập", "sạt lở", "hố sụt", "sụp đổ", "đổ sập", "lở đất"),
        plain=("bi sap", "sap do", "do sap", "nha sap", "sat lo", "ho sut", "lo dat"),
        reassurable=True,
        not_next=frozenset({"nguồn", "mạng", "cửa", "web", "xệ"})),
    Cue("ngập sâu", U, (
        "ngập sâu", "ngập nặng", "ngập lụt", "ngập nhà", "lũ", "lụt", "lũ quét", "nước dâng",
        "đang ngập", "ngập … đầu gối", "ngập … thắt lưng", "ngập … ngang", "ngập lút",
        "nước lên nhanh", "ngập cả mét"),
        plain=("lu lut", "lu quet", "nuoc lu", "lut", "nuoc dang"),
        reassurable=True, recurring=True,
        # "lũ trẻ", "lũ thanh niên": a gang of kids or youths, not a flood.
        not_next=frozenset({"trẻ", "thanh", "nhóc", "côn", "người", "chúng", "choai"})),
    Cue("tranh chấp đất đai", C, (
        "tranh chấp", "đền bù", "bồi thường", "giải phóng mặt bằng", "thu hồi đất",
        "quyền sử dụng đất", "sổ đỏ", "quy hoạch")),
    Cue("cần kiểm tra liên ngành", C, (
        "liên ngành", "nhiều cơ quan", "nhiều sở", "các sở ngành", "đoàn kiểm tra",
        "thanh tra")),
    Cue("kéo dài nhiều năm", C, (
        "nhiều năm", "kéo dài", "phản ánh nhiều lần", "nhiều lần", "từ năm", "nhiều tháng",
        "chưa được giải quyết", "không được giải quyết"), weak=True),
    Cue("nhiều hộ dân", C, (
        "nhiều hộ", "các hộ", "nhiều gia đình", "hàng chục hộ"),
        weak=True),
    Cue("khiếu nại, tố cáo", C, (
        "khiếu nại", "tố cáo", "đơn thư", "khởi kiện"), weak=True),
    Cue("lấn chiếm, xây dựng trái phép", C, (
        "lấn chiếm", "lấn đất", "xây dựng trái phép", "xây dựng không phép", "sai phép",
        "không phép", "ranh giới"), weak=True),
)  # fmt: skip


@dataclass(frozen=True)
class PrioritySuggestion:
    """The suggested priority of a text, the cues that decided it (``cues``, shown to the
    operator) and those found but discounted (negated, hedged, reassured or recurring)."""

    priority: Priority
    cues: tuple[str, ...] = ()
    discounted: tuple[str, ...] = field(default=())

    @property
    def reason(self) -> str:
        """The cues in a few words, e.g. "ngập sâu, cây đổ"; empty for a normal report."""
        return ", ".join(self.cues)


@dataclass(frozen=True)
class _Compiled:
    cue: Cue
    accented: re.Pattern[str]
    plain: re.Pattern[str] | None
    not_next_plain: frozenset[str]


def _pattern(phrases: list[str]) -> re.Pattern[str] | None:
    parts = []
    for phrase in phrases:
        words = [re.escape(word) if word != GAP else None for word in phrase.split()]
        body = ""
        for word in words:
            body += _GAP_RE if word is None else (" " if body else "") + word
        parts.append(body)
    if not parts:
        return None
    return re.compile(r"(?<!\S)(?:" + "|".join(parts) + r")(?!\S)")


def _plain_forms(cue: Cue) -> list[str]:
    """The phrases safe to look for without diacritics: two words or more (no gap), as listed."""
    forms = [
        strip_diacritics(phrase)
        for phrase in cue.phrases
        if GAP not in phrase and len(phrase.split()) >= 2
    ]
    return list(dict.fromkeys([*forms, *cue.plain]))


def _normalised_phrase(phrase: str) -> str:
    """The phrase as the accented stream writes it, its gaps kept."""
    return f" {GAP} ".join(normalise(part).accented for part in phrase.split(GAP))


@lru_cache(maxsize=1)
def _compiled() -> tuple[_Compiled, ...]:
    return tuple(
        _Compiled(
            cue=cue,
            accented=_pattern([_normalised_phrase(phrase) for phrase in cue.phrases])
            or re.compile(r"(?!)"),
            plain=_pattern(_plain_forms(cue)),
            not_next_plain=frozenset(strip_diacritics(word) for word in cue.not_next),
        )
        for cue in CUES
    )


def _token_at(text: str, offset: int) -> int:
    return text.count(" ", 0, offset)


def _softened(accented: list[str], plain: list[str], start: int) -> bool:
    """Whether a negation, hedge or prevention word comes just before the word at ``start``."""
    if start > 0:
        before_a, before_p = accented[start - 1], plain[start - 1]
        if before_a in PREVENTION or (before_a == before_p and before_p in PREVENTION_PLAIN):
            return True
    window: list[str] = []
    window_plain: list[str] = []
    for index in range(start - 1, max(start - WINDOW, 0) - 1, -1):
        word_a, word_p = accented[index], plain[index]
        if word_a in BREAKS or word_p in BREAKS:
            break
        if word_a in NEGATIONS or (word_a == word_p and word_p in NEGATIONS_PLAIN):
            return True
        window.insert(0, word_a)
        window_plain.insert(0, word_p if word_a == word_p else "")
    joined, joined_plain = " ".join(window), " ".join(window_plain)
    return any(hedge in joined for hedge in HEDGES) or any(
        hedge in joined_plain for hedge in _HEDGES_PLAIN
    )


def _unaccented(accented: list[str], plain: list[str], start: int, end: int) -> bool:
    """Whether the citizen wrote the words start…end without diacritics."""
    return all(accented[i] == plain[i] for i in range(start, end))


def _found(
    compiled: _Compiled, accented: str, plain: str, words_a: list[str], words_p: list[str]
) -> tuple[bool, bool]:
    """(found and counted, found but negated or hedged) for one cue."""
    counted = softened = False
    matches = [(m.start(), m.end(), True) for m in compiled.accented.finditer(accented)]
    if compiled.plain is not None:
        matches += [(m.start(), m.end(), False) for m in compiled.plain.finditer(plain)]
    for start_char, end_char, is_accented in matches:
        stream = accented if is_accented else plain
        start, end = _token_at(stream, start_char), _token_at(stream, end_char) + 1
        if not is_accented and not _unaccented(words_a, words_p, start, end):
            continue  # written with diacritics: the accented phrase decides
        following = words_a[end] if end < len(words_a) else ""
        if following in compiled.cue.not_next or following in compiled.not_next_plain:
            continue  # "cháy bóng", "lũ trẻ": another meaning
        if compiled.cue.not_after.intersection(words_a[max(start - WINDOW, 0) : start]):
            continue  # "bóng đèn bị cháy": a bulb, not a fire
        if _softened(words_a, words_p, start):
            softened = True
        else:
            counted = True
    return counted, softened and not counted


def _contains(text: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {text} "
    return any(f" {phrase} " in padded for phrase in phrases)


def suggest_priority(text: str) -> PrioritySuggestion:
    """The suggested priority of ``text`` (a report's title and description); never raises."""
    normalised = normalise(text or "")
    accented, plain = normalised.accented, normalised.plain
    words_a, words_p = accented.split(), plain.split()
    if len(words_a) != len(words_p):  # cannot happen; be safe all the same
        accented, words_a = plain, words_p
    reassured = _contains(accented, REASSURANCES) or _contains(
        plain, tuple(strip_diacritics(p) for p in REASSURANCES)
    )
    recurring = _contains(accented, RECURRING) or _contains(
        plain, tuple(strip_diacritics(p) for p in RECURRING)
    )
    urgent: list[str] = []
    strong: list[str] = []
    weak: list[str] = []
    discounted: list[str] = []
    for compiled in _compiled():
        cue = compiled.cue
        counted, softened = _found(compiled, accented, plain, words_a, words_p)
        if counted and ((cue.reassurable and reassured) or (cue.recurring and recurring)):
            counted, softened = False, True
        if softened:
            discounted.append(cue.label)
        if not counted:
            continue
        if cue.priority == Priority.URGENT:
            urgent.append(cue.label)
        elif cue.weak:
            weak.append(cue.label)
        else:
            strong.append(cue.label)
    if urgent:
        return PrioritySuggestion(Priority.URGENT, tuple(urgent), tuple(discounted))
    if strong or len(weak) >= 2:
        return PrioritySuggestion(Priority.COMPLEX, (*strong, *weak), tuple(discounted))
    return PrioritySuggestion(Priority.NORMAL, (), tuple(discounted))
