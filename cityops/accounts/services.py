"""Writes for accounts: users and API keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext

from cityops.accounts.choices import Role
from cityops.accounts.models import ApiKey, ApiToken, IdentityAccess, SavedView, User
from cityops.accounts.names import name_tidy
from cityops.accounts.personal_data import personal_data_holders
from cityops.accounts.phones import phone_clean
from cityops.agencies.models import Agency
from cityops.platform import clock
from cityops.platform.errors import InvalidInput, NotFound
from cityops.platform.prepared import prepared_cursor

if TYPE_CHECKING:
    from cityops.reports.models import Report


# "Last used" is for people judging whether a credential is still in use; writing it on every
# request would make every request of a busy client wait on the same row.
LAST_USED_PRECISION = timedelta(minutes=1)


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
    """The live key matching ``secret``, or None; compares hashes, never plain keys.

    Every report sent by an app or an Open311 client asks this, so it is one plain statement
    (the ORM's query building cost half a millisecond of CPU, an eighth of an intake): the key's
    id, prefix and name (its other fields load when read) and whether ``last_used_at`` is due
    to be written again.
    """
    due = clock.now() - LAST_USED_PRECISION
    with prepared_cursor() as cursor:
        cursor.execute(_LIVE_KEY_SQL, [due, _hash(secret)])
        row = cursor.fetchone()
    if row is None:
        return None
    *fields, stale = row
    api_key = ApiKey.from_db(connection.alias, ["id", "prefix", "name"], fields)
    if stale:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=clock.now())
    return api_key


_LIVE_KEY_SQL = (
    "SELECT id, prefix, name, (last_used_at IS NULL OR last_used_at <= %s) "  # noqa: S608
    f"FROM {ApiKey._meta.db_table} WHERE key_hash = %s AND revoked_at IS NULL"
)


def _stale(last_used_at: datetime | None) -> bool:
    return last_used_at is None or clock.now() - last_used_at >= LAST_USED_PRECISION


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
    if api_token is not None and _stale(api_token.last_used_at):
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
    full_name: str = "",
    is_demo: bool = False,
) -> User:
    """A new account; ``full_name`` in the Vietnamese order (family name first), ``phone`` in
    any form ``phones.phone_clean`` accepts."""
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
        phone=_phone_or_refuse(phone) if phone else None,
        role=role,
        agency=agency,
        is_agency_lead=is_agency_lead,
        full_name=name_tidy(full_name),
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


def _phone_or_refuse(text: str) -> str:
    try:
        return phone_clean(text)
    except ValidationError as invalid:
        raise InvalidInput(
            f"Not a Vietnamese phone number: {text!r}.", fields={"phone": invalid.messages}
        ) from None


def _free_email(
    text: str, *, problems: dict[str, list[str]], field: str, exclude: User | None = None
) -> str:
    """``text`` as a valid email address no other account uses, or a problem noted."""
    try:
        validate_email(text)
    except ValidationError:
        problems.setdefault(field, []).append(gettext("Enter a valid email address."))
        return ""
    email = User.objects.normalize_email(text)
    others = User.objects.exclude(pk=exclude.pk) if exclude is not None else User.objects.all()
    if others.filter(email__iexact=email).exists():
        problems.setdefault(field, []).append(
            gettext("An account with this email address exists already: sign in instead.")
        )
    return email


def _free_phone(text: str, *, problems: dict[str, list[str]], field: str) -> str | None:
    """``text`` as a Vietnamese phone number no other account uses, or a problem noted."""
    try:
        phone = phone_clean(text)
    except ValidationError:
        problems.setdefault(field, []).append(
            gettext("Enter an email address or a phone number such as 0905 123 456.")
        )
        return None
    if User.objects.filter(phone=phone).exists():
        problems.setdefault(field, []).append(
            gettext("An account with this phone number exists already: sign in instead.")
        )
    return phone


@transaction.atomic
def user_sign_up(
    *, name: str, login: str, password: str, accepted_terms: bool, language: str = ""
) -> User:
    """A citizen's own account, identified by an email address or a phone number.

    Every problem is reported at once, per field (``name``, ``login``, ``password``,
    ``accepted_terms``), in the active language: the sign-up form shows them as they are.
    """
    name, login = name_tidy(name), login.strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = [gettext("Enter your name.")]
    elif len(name) > 150:
        problems["name"] = [gettext("The name is too long (150 characters at most).")]
    if not login:
        problems["login"] = [gettext("Enter your email address or phone number.")]
        email, phone = "", None
    else:
        email = _free_email(login, problems=problems, field="login") if "@" in login else ""
        phone = None if "@" in login else _free_phone(login, problems=problems, field="login")
    try:
        validate_password(password, User(full_name=name, email=email, phone=phone))
    except ValidationError as invalid:
        problems["password"] = [str(message) for message in invalid.messages]
    if not accepted_terms:
        problems["accepted_terms"] = [
            gettext("Please agree to the terms and the processing of your personal data.")
        ]
    if language and language not in dict(settings.LANGUAGES):
        language = ""
    if problems:
        raise InvalidInput(
            "The account could not be created: "
            + " ".join(message for messages in problems.values() for message in messages),
            fields=problems,
        )
    user = user_create(
        username=f"citizen-{secrets.token_hex(5)}",
        password=password,
        email=email,
        phone=phone,
        full_name=name,
    )
    user.language, user.terms_accepted_at = language, clock.now()
    user.save(update_fields=["language", "terms_accepted_at"])
    return user


def user_preferences_update(
    *, user: User, email_notifications: bool, language: str, email: str | None = None
) -> User:
    """Notification and language choices; ``email`` (when given) is where emails go."""
    problems: dict[str, list[str]] = {}
    if language and language not in dict(settings.LANGUAGES):
        problems["language"] = [gettext("Choose one of the languages offered.")]
    fields = ["email_notifications", "language"]
    if email is not None:
        email = email.strip()
        if email:
            email = _free_email(email, problems=problems, field="email", exclude=user)
        elif user.phone is None:
            problems["email"] = [
                gettext("Your account needs an email address or a phone number to sign in.")
            ]
        fields.append("email")
    if problems:
        raise InvalidInput("The preferences could not be saved.", fields=problems)
    user.email_notifications, user.language = email_notifications, language
    if email is not None:
        user.email = email
    user.save(update_fields=fields)
    return user


@transaction.atomic
def user_delete(*, user: User, password: str) -> None:
    """Delete a person's account at their request (Law 91/2025), confirmed by the password.

    Every app that keeps personal data about them erases or anonymises it first (see
    ``personal_data``: reports stay public without their reporter or contact details); their
    API tokens go, then the account itself.
    """
    if not user.check_password(password):
        raise InvalidInput(
            "The password is not correct.",
            code="wrong_password",
            fields={"password": [gettext("The password is not correct.")]},
        )
    for holder in personal_data_holders():
        holder.erase(user=user)
    ApiToken.objects.filter(user=user).delete()
    user.delete()


# --- the console's saved views ----------------------------------------------------------------

SAVED_VIEW_NAME_MAX = 80
SAVED_VIEW_QUERY_MAX = 2000


def _saved_query(query: str) -> str:
    """The filters only: no paging, no empty values, in a stable order."""
    pairs = [
        (key, value)
        for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=True)
        if key != "page" and value.strip() and "\x00" not in key + value
    ]
    return urlencode(pairs)


@transaction.atomic
def saved_view_create(*, user: User, name: str, query: str) -> SavedView:
    """Save the queue's current filters under ``name``; saving a name again replaces its filters."""
    name = " ".join(name.split())
    query = _saved_query(query)
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = [gettext("Give the view a name.")]
    elif len(name) > SAVED_VIEW_NAME_MAX or "\x00" in name:
        problems["name"] = [
            gettext("The name is too long (%(max)d characters at most).")
            % {"max": SAVED_VIEW_NAME_MAX}
        ]
    if len(query) > SAVED_VIEW_QUERY_MAX:
        problems["query"] = [gettext("These filters are too long to save.")]
    if problems:
        raise InvalidInput("The view could not be saved.", fields=problems)
    saved_view, _created = SavedView.objects.update_or_create(
        user=user, name=name, defaults={"query": query, "created_at": clock.now()}
    )
    return saved_view


def saved_view_delete(*, user: User, saved_view_id: int) -> None:
    """Delete one of ``user``'s own saved views; anyone else's is not found."""
    deleted, _counts = SavedView.objects.filter(user=user, pk=saved_view_id).delete()
    if not deleted:
        raise NotFound(f"No saved view {saved_view_id} of yours.")


def identity_access_record(
    *,
    user: User,
    what: str,
    report: Report | None = None,
    ip: str = "",
    detail: str = "",
) -> IdentityAccess:
    """Log that ``user`` was shown reporters' identities (one report, or an export's filters)."""
    return IdentityAccess.objects.create(
        user=user,
        username=user.get_username(),
        report=report,
        what=IdentityAccess.What(what),
        detail=detail[:2000],
        at=clock.now(),
        ip=ip[:45],
    )
