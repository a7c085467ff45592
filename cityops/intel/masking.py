"""Personal data written into a report's text, masked for everyone but IOC staff (Law 91/2025).

``mask_personal_data`` hides phone numbers, citizen ID numbers, e-mail addresses and vehicle
plates, keeping a hint so a reader still sees what was there:

| kind | written | shown |
|---|---|---|
| phone (mobile, landline, +84) | 0905 123 456, (0234) 3822 123 | ``090•••••56``, ``023••••••23`` |
| citizen ID (12-digit CCCD, 9-digit CMND) | 046 099 012 345 | ``•••••••••345`` |
| e-mail | nguyen.van.a@gmail.com | ``n•••@gmail.com`` |
| vehicle plate | 75A-123.45, 75-G1 123.45 | ``75A-•••.••``, ``75-G1 •••.••`` |

Phones keep their first three and last two digits, IDs their last three, e-mails the first
letter and the domain, plates the province and series (never the registration number).
Ordinary numbers are left alone: house numbers ("số 12", "kiệt 45/12"), dates ("22/11/2026"),
times, years and amounts of money ("50.000đ", "150.000.000 đồng" — a number followed by a
currency word is never masked). A 9-digit number counts as an old ID only when written as
digits or space-separated groups, or after a word naming an ID ("CMND", "CMT", "chứng minh").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser

from cityops.accounts.models import User
from cityops.reports.selectors import reporter_identity_visible_to

DOT = "•"

_SEP = r"[ .\-]?"
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)", re.UNICODE)
# Province (11–99), series (1–2 letters, a digit for motorbikes), then 4 or 5 digits.
_PLATE = re.compile(
    r"(?<![\w.])([1-9]\d\s?-?\s?[A-Za-z]{1,2}\d??)([\s.\-]?)(\d{3}\.?\d{2}|\d{4})(?![\w])"
)
_INTERNATIONAL = re.compile(
    r"(?<![\w+])\(?\+?84\)?[ .\-]?\(?0?\)?[ .\-]?"
    r"(?:[35789]\d(?:[ .\-]?\d){7}|2\d{2}(?:[ .\-]?\d){7})(?![\d])"
)
_MOBILE = re.compile(r"(?<![\d])0[35789]\d(?:[ .\-]?\d){7}(?![\d])")
_LANDLINE = re.compile(r"(?<![\d])\(?02\d{2}\)?[ .\-]?\d(?:[ .\-]?\d){6}(?![\d])")
_CCCD = re.compile(r"(?<![\d])0\d{2}(?:[ .\-]?\d{3}){3}(?![\d])")
_CMND = re.compile(r"(?<![\d])(?<![\d][.,])\d{3}(?: ?\d{3}){2}(?![\d]|[.,]\d)")
_CMND_AFTER_WORD = re.compile(
    r"(?i)(?:cmnd|cmt|chứng minh(?: nhân dân)?|chung minh(?: nhan dan)?)[\s:số.]*"
    r"(\d{3}[ .\-]?\d{3}[ .\-]?\d{3})(?![\d])"
)
_MONEY_AFTER = re.compile(
    r"\s?(?:(?:vnđ|vnd|đồng|dong|nghìn|ngàn|nghin|ngan|triệu|trieu|tỷ|ty|usd|đ|d|k|tr)(?!\w)|\$)",
    re.IGNORECASE,
)


def _is_money(text: str, end: int) -> bool:
    return _MONEY_AFTER.match(text, end) is not None


def _keep(digits: str, *, head: int, tail: int) -> str:
    hidden = max(len(digits) - head - tail, 0)
    return digits[:head] + DOT * hidden + (digits[-tail:] if tail else "")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _phone(match: re.Match[str]) -> str:
    if _is_money(match.string, match.end()):
        return match.group(0)
    plus = "+" if match.group(0).lstrip("(").startswith("+") else ""
    return plus + _keep(_digits(match.group(0)), head=3, tail=2)


def _citizen_id(match: re.Match[str]) -> str:
    if _is_money(match.string, match.end()):
        return match.group(0)
    return _keep(_digits(match.group(0)), head=0, tail=3)


def _email(match: re.Match[str]) -> str:
    local, domain = match.group(1), match.group(2)
    return f"{local[0]}{DOT * 3}@{domain}"


def _plate(match: re.Match[str]) -> str:
    if _is_money(match.string, match.end()):
        return match.group(0)
    series, separator, number = match.groups()
    return series + separator + re.sub(r"\d", DOT, number)


def _cmnd_after_word(match: re.Match[str]) -> str:
    label = match.group(0)[: match.start(1) - match.start()]
    return label + _keep(_digits(match.group(1)), head=0, tail=3)


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL, _email),
    (_PLATE, _plate),
    (_CCCD, _citizen_id),
    (_INTERNATIONAL, _phone),
    (_LANDLINE, _phone),
    (_MOBILE, _phone),
    (_CMND_AFTER_WORD, _cmnd_after_word),
    (_CMND, _citizen_id),
)


# Every rule needs an "@" or at least three digits: most texts have neither and skip the rules
# (a public page of 1000 requests masks 1000 descriptions).
_MAY_HOLD_PERSONAL_DATA = re.compile(r"@|(?:\d\D*){3}")


def mask_personal_data(text: str) -> str:
    """``text`` with phone numbers, citizen IDs, e-mails and plates masked (idempotent)."""
    if not _MAY_HOLD_PERSONAL_DATA.search(text):
        return text
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text


def masked_for(text: str, *, user: User | AnonymousUser | None) -> str:
    """What ``user`` may read of a report's text: intact for IOC staff, masked for anyone else."""
    if isinstance(user, User) and reporter_identity_visible_to(user=user):
        return text
    return mask_personal_data(text)
