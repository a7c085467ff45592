"""Who is calling: a person with a bearer token, a client system with an API key, or nobody.

``caller_of`` checks every credential the request presents, once per request, and refuses
unknown or revoked ones (401) even on endpoints where credentials are optional: a client that
sends a token means to be that person, and silently treating it as anonymous would hide its bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer

from cityops.accounts.models import ApiKey, ApiToken, User
from cityops.accounts.services import apikey_authenticate, token_authenticate
from cityops.api.errors import Unauthenticated

API_KEY_HEADER = "X-API-Key"
_CACHE = "_cityops_api_caller"


@dataclass(frozen=True)
class Caller:
    token: ApiToken | None = None
    api_key: ApiKey | None = None

    @property
    def user(self) -> User | None:
        return self.token.user if self.token is not None else None


def caller_of(request: HttpRequest) -> Caller:
    """The request's verified credentials; raises ``Unauthenticated`` for a bad one."""
    cached: Caller | Unauthenticated | None = getattr(request, _CACHE, None)
    if cached is None:
        try:
            cached = _resolve(request)
        except Unauthenticated as refusal:
            cached = refusal
        setattr(request, _CACHE, cached)
    if isinstance(cached, Unauthenticated):
        raise cached
    return cached


def _resolve(request: HttpRequest) -> Caller:
    token = api_key = None
    authorization = request.headers.get("Authorization", "").strip()
    if authorization:
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthenticated("Send the token as 'Authorization: Bearer <token>'.")
        token = token_authenticate(secret=secret.strip())
        if token is None:
            raise Unauthenticated("The token is unknown or has been revoked.")
    key = request.headers.get(API_KEY_HEADER, "").strip()
    if key:
        api_key = apikey_authenticate(secret=key)
        if api_key is None:
            raise Unauthenticated("The API key is unknown or has been revoked.")
    return Caller(token=token, api_key=api_key)


def user_of(request: HttpRequest) -> User:
    """The signed-in person on an endpoint whose auth is ``BearerAuth`` (so there is one)."""
    user = caller_of(request).user
    if user is None:  # pragma: no cover - BearerAuth already refused the request
        raise Unauthenticated("Sign in first: send 'Authorization: Bearer <token>'.")
    return user


class BearerAuth(HttpBearer):
    """A person's token from ``POST /auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        caller = caller_of(request)
        return caller if caller.user is not None else None


class ApiKeyAuth(APIKeyHeader):
    """A client system's key from ``cityops apikey create --name N``."""

    param_name = API_KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        if not key:
            return None
        caller = caller_of(request)
        return caller if caller.api_key is not None else None


def anonymous(request: HttpRequest) -> Caller:
    """Accept a request without credentials (but still refuse bad ones)."""
    return caller_of(request)


SIGNED_IN = BearerAuth()
OPTIONAL = [SIGNED_IN, ApiKeyAuth(), anonymous]
# OpenAPI: the empty requirement says that credentials are optional on these operations.
OPTIONAL_OPENAPI: dict[str, Any] = {"security": [{}]}
