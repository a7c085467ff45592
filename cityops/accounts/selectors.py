"""Reads about accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cityops.accounts.models import SavedView, User
from cityops.accounts.personal_data import personal_data_holders
from cityops.accounts.phones import phone_normalize
from cityops.platform import clock


def user_by_login(*, login: str) -> User | None:
    """The account a person means by a username, an email address or a phone number."""
    login = login.strip()
    if not login:
        return None
    if "@" in login:
        condition = Q(email__iexact=login)
    else:
        condition = Q(username=login) | Q(phone=phone_normalize(login))
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
            "full_name": user.full_name,
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
