"""Reads about accounts."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet

from cityops.accounts.models import SavedView, User
from cityops.accounts.personal_data import personal_data_holders
from cityops.platform import clock

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


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything CityOps keeps about ``user``, JSON-ready (the right of access, Law 91/2025).

    The account's own fields, then what each personal-data holder (reports: the user's reports
    with their public timeline, follows and ratings) keeps about them.
    """
    data: dict[str, Any] = {
        "exported_at": clock.now().isoformat(),
        "profile": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "language": user.language,
            "email_notifications": user.email_notifications,
            "terms_accepted_at": (
                user.terms_accepted_at.isoformat() if user.terms_accepted_at else None
            ),
        },
    }
    for holder in personal_data_holders():
        data.update(holder.export(user=user))
    return data


def saved_views_of(*, user: User) -> QuerySet[SavedView]:
    """The console user's own saved views, by name."""
    return SavedView.objects.filter(user=user).order_by("name", "pk")
