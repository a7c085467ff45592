"""Bearer tokens for people: obtain one with a login and password, revoke the one in use."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Status

from cityops.accounts.models import User
from cityops.accounts.services import token_issue, token_revoke
from cityops.accounts.throttling import SignInThrottled
from cityops.api.auth import SIGNED_IN, caller_of
from cityops.api.errors import RateLimited, Unauthenticated
from cityops.api.schemas import TokenIn, TokenOut, errors
from cityops.api.writes import LOGIN_LIMITS, api_write

router = Router(tags=["auth"])


@router.post(
    "/token",
    response={201: TokenOut, **errors(400, 401, 429)},
    auth=None,
    summary="Obtain a bearer token",
)
# Not idempotent on purpose: replaying would mean storing the token, which exists only hashed.
@api_write(limits=LOGIN_LIMITS, idempotent=False)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    """Sign in with a username, email address or phone number; the token does not expire.
    After too many failed sign-ins to one account (by default 5 in 15 minutes, from anywhere
    and on any way in) or from one address, the answer is 429 with ``Retry-After``."""
    try:
        user = authenticate(request, username=payload.login, password=payload.password)
    except SignInThrottled as throttled:
        message = f"Too many failed sign-ins; retry in {throttled.retry_after} seconds."
        raise RateLimited(retry_after=throttled.retry_after, message=message) from None
    if not isinstance(user, User):
        raise Unauthenticated("Wrong login or password.", code="invalid_credentials")
    issued = token_issue(user=user, name=payload.name)
    return Status(201, TokenOut(token=issued.secret, name=issued.api_token.name))


@router.delete(
    "/token",
    response={204: None, **errors(401, 429)},
    auth=SIGNED_IN,
    summary="Revoke the token used for this request",
)
# Not idempotent: the token that would scope the key is gone after the first call, so a retry
# is answered 401, which a client treats as "already revoked".
@api_write(idempotent=False)
def token_delete(request: HttpRequest) -> Status[None]:
    token = caller_of(request).token
    assert token is not None  # SIGNED_IN let the request through
    token_revoke(api_token=token)
    return Status(204, None)
