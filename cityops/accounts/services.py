"""Writes for accounts: users and API keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction

from cityops.accounts.choices import Role
from cityops.accounts.models import ApiKey, ApiToken, User
from cityops.accounts.selectors import normalize_phone
from cityops.agencies.models import Agency
from cityops.platform import clock
from cityops.platform.errors import InvalidInput


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    secret: str  # shown once, never stored


@transaction.atomic
def apikey_create(*, name: str) -> IssuedKey:
    name = name.strip()
    if not name:
        raise InvalidInput("An API key needs a name.", fields={"name": ["This field is required."]})
    prefix = secrets.token_hex(4)
    secret = f"co_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(name=name, prefix=prefix, key_hash=_hash(secret))
    return IssuedKey(api_key=api_key, secret=secret)


def apikey_revoke(*, api_key: ApiKey) -> ApiKey:
    api_key.revoked_at = clock.now()
    api_key.save(update_fields=["revoked_at"])
    return api_key


def apikey_authenticate(*, secret: str) -> ApiKey | None:
    """The live key matching ``secret``, or None; compares hashes, never plain keys."""
    api_key = ApiKey.objects.filter(key_hash=_hash(secret), revoked_at__isnull=True).first()
    if api_key is not None:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=clock.now())
    return api_key


@dataclass(frozen=True)
class IssuedToken:
    api_token: ApiToken
    secret: str  # shown once, never stored


def token_issue(*, user: User, name: str = "") -> IssuedToken:
    """A new bearer token for ``user`` (after the caller has checked the password)."""
    prefix = secrets.token_hex(4)
    secret = f"cot_{prefix}_{secrets.token_urlsafe(32)}"
    api_token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=prefix, key_hash=_hash(secret)
    )
    return IssuedToken(api_token=api_token, secret=secret)


def token_revoke(*, api_token: ApiToken) -> ApiToken:
    api_token.revoked_at = clock.now()
    api_token.save(update_fields=["revoked_at"])
    return api_token


def token_authenticate(*, secret: str) -> ApiToken | None:
    """The live token matching ``secret`` (its user active), or None."""
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if api_token is not None:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=clock.now())
    return api_token


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: Role = Role.CITIZEN,
    email: str = "",
    phone: str | None = None,
    agency: Agency | None = None,
    is_agency_lead: bool = False,
    first_name: str = "",
    last_name: str = "",
    is_demo: bool = False,
) -> User:
    if role == Role.AGENCY_STAFF and agency is None:
        raise InvalidInput(
            "Agency staff must belong to an agency.",
            fields={"agency": ["Choose the agency this person works for."]},
        )
    if role != Role.AGENCY_STAFF and (agency is not None or is_agency_lead):
        raise InvalidInput(
            "Only agency staff belong to an agency.",
            fields={"agency": ["Only agency staff belong to an agency."]},
        )
    user = User(
        username=username,
        email=email,
        phone=normalize_phone(phone) if phone else None,
        role=role,
        agency=agency,
        is_agency_lead=is_agency_lead,
        first_name=first_name,
        last_name=last_name,
        is_demo=is_demo,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user
