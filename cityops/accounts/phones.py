"""Vietnamese phone numbers: the one check every form and API applies, and how they are stored.

A number is accepted as people write it — ``0905 123 456``, ``0905.123.456``, ``(0234) 3822
222``, ``+84 905 123 456``, ``+84 (0) 905 123 456``, ``0084 905 123 456`` — and stored as its
digits in the national form, ``0`` then 9 or 10 digits (mobiles have 10 digits in all,
landlines 11). Anything else (letters, markup, too few or too many digits) is refused with
``PHONE_MESSAGE``, in the reader's language.

Users: the account's phone (sign-up, admin). Reports: the contact phone of every channel
(portal, hotline, API v1, Open311 ``phone``), checked by ``report_submit`` itself.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_MESSAGE = _(
    "Enter a Vietnamese phone number, such as 0905 123 456 or +84 905 123 456 "
    "(digits, spaces, dots or dashes only)."
)

_SEPARATORS = re.compile(r"[\s.\-()]")
_NATIONAL = re.compile(r"0[1-9]\d{8,9}")


def phone_normalize(text: str) -> str:
    """``text`` without separators, in the national form: ``+84 90 123 4567`` → ``0901234567``.

    Not a check: the result may still be no phone number (see ``phone_clean``)."""
    digits = _SEPARATORS.sub("", text.strip())
    for country in ("+84", "0084"):
        if digits.startswith(country):
            return "0" + digits[len(country) :].removeprefix("0")
    if digits.startswith("84") and len(digits) in (11, 12):
        return "0" + digits[2:]
    return digits


def phone_clean(text: str) -> str:
    """``text`` as stored (``0xxxxxxxxx``), or ``ValidationError`` with ``PHONE_MESSAGE``."""
    phone = phone_normalize(text)
    if not _NATIONAL.fullmatch(phone):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    return phone


def validate_phone(text: str) -> None:
    """A field validator: whether ``text`` is a Vietnamese phone number as people write it."""
    phone_clean(text)


class PhoneField(forms.CharField):
    """A form's phone number: checked and normalised by ``phone_clean``; empty stays ""."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return phone_clean(text) if text else text
