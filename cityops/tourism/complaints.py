"""Whether a tourist's message is a complaint (overcharging, a rip-off, a scam, rudeness)
rather than a question: keywords in the six languages, compared folded (lower case, no
diacritics) so "chặt chém" and "chat chem" both count. A complaint is offered to the IOC."""

from __future__ import annotations

import re
from functools import cache

from cityops.intel.text import fold
from cityops.tourism.choices import Language

# Latin-script words match on word boundaries; CJK ones anywhere (no spaces between words).
KEYWORDS: dict[str, tuple[str, ...]] = {
    Language.VI: (
        "chặt chém", "chém giá", "lừa đảo", "bị lừa", "tính giá cao", "tính quá", "lấy giá cao",
        "quá đắt", "tính thêm", "khiếu nại", "phàn nàn", "tố cáo", "ăn cắp", "bị trộm",
        "đe dọa", "cò mồi", "gian lận", "thu tiền sai", "bắt chẹt", "vô lễ", "thô lỗ",
    ),
    Language.EN: (
        "overcharged", "overcharging", "overcharge", "ripped off", "rip off", "rip-off", "scam",
        "scammed", "cheated", "cheat", "fraud", "complain", "complaint", "too much money",
        "charged me", "extra charge", "hidden fee", "rude", "threatened", "stole", "stolen",
        "fake meter", "tout", "harassed", "refund",
    ),
    Language.FR: (
        "arnaque", "arnaqué", "arnaquée", "escroc", "escroquerie", "trop cher", "surfacturé",
        "surfacturation", "volé", "plainte", "réclamation", "me plaindre", "triché", "menacé",
        "impoli", "faux compteur", "rembourse", "harcelé",
    ),
    Language.KO: (
        "바가지", "사기", "속았", "너무 비싸", "요금을 너무", "불만", "신고", "항의", "훔쳐",
        "도난", "협박", "불친절", "환불", "추가 요금",
    ),
    Language.ZH: (
        "宰客", "被宰", "坑人", "被坑", "骗", "诈骗", "多收", "乱收费", "太贵", "投诉", "举报",
        "偷", "威胁", "态度差", "退款", "加收",
    ),
    Language.JA: (
        "ぼったくり", "ぼったくられ", "詐欺", "だまされ", "騙され", "高すぎ", "請求された",
        "苦情", "通報", "盗まれ", "脅され", "失礼", "返金", "追加料金", "不当",
    ),
}  # fmt: skip

_CJK = (Language.KO, Language.ZH, Language.JA)


@cache
def _patterns() -> tuple[re.Pattern[str], tuple[str, ...]]:
    latin = sorted(
        {fold(word) for language, words in KEYWORDS.items() if language not in _CJK
         for word in words},
        key=len,
        reverse=True,
    )  # fmt: skip
    cjk = tuple(word for language in _CJK for word in KEYWORDS[language])
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in latin) + r")\b"), cjk


def complaint_detect(text: str) -> bool:
    """Whether ``text`` complains (in any of the six languages, whatever it was detected as)."""
    latin, cjk = _patterns()
    folded = fold(text)
    return bool(latin.search(folded)) or any(word in text for word in cjk)
