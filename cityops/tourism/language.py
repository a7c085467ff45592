"""Which of the six languages a question is written in.

py3langid's model (shipped inside its wheel, a naive Bayes over byte n-grams, Lui & Baldwin's
langid.py) restricted to the six languages; the script then settles what the model may confuse
on a few words: Hangul is Korean, kana is Japanese, Chinese characters without kana are Chinese.
"""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from cityops.tourism.choices import Language

LANGUAGES = [language.value for language in Language]

_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(LANGUAGES)
    return identifier


def language_detect(text: str) -> Language:
    """The language of ``text`` among the six; English when there is nothing to go on."""
    if not text.strip():
        return Language.EN
    if _HANGUL.search(text):
        return Language.KO
    if _KANA.search(text):
        return Language.JA
    if _HAN.search(text):
        return Language.ZH
    code, _probability = _identifier().classify(text)
    if code in (Language.KO, Language.JA, Language.ZH):  # no CJK script: a Latin alphabet
        return Language.EN
    return Language(code)
