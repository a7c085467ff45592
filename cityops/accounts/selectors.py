"""Reads about accounts."""

from __future__ import annotations

import re

from django.db.models import Q

from cityops.accounts.models import User

_PHONE_NOISE = re.compile(r"[\s.\-()]")


def normalize_phone(phone: str) -> str:
    """Vietnamese numbers as stored: ``+84 90 123 4567`` and ``090-123-4567`` → ``0901234567``."""
    digits = _PHONE_NOISE.sub("", phone.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def user_by_login(*, login: str) -> User | None:
    """The account a person means by a username, an email address or a phone number."""
    login = login.strip()
    if not login:
        return None
    if "@" in login:
        condition = Q(email__iexact=login)
    else:
        condition = Q(username=login) | Q(phone=normalize_phone(login))
    return User.objects.filter(condition, is_active=True).order_by("pk").first()
