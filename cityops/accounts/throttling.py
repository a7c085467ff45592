"""Sign-in throttling, the same for every way in: the portal, the API's token, the admin.

Every sign-in passes through the authentication backend (``backends.LoginBackend``), which asks
here first: once an account, or a client address, has failed too often in the current window,
the password is not even checked until the window ends. Failures are counted per account (the
account a login names, whichever of its username, email or phone is typed; an unknown login is
counted under its own text, so the answer does not reveal which accounts exist) and per address,
in the rate-limit store: Redis when configured, shared by every process, else (or while Redis
is down) the process's own cache.
"""

from __future__ import annotations

import hashlib
import math

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

from cityops.accounts.models import User
from cityops.platform.http import client_ip
from cityops.platform.ratelimit import Hit, rate_for, rate_limits_hit, rate_limits_reached

PER_ACCOUNT = "login_failures_per_account"
PER_ADDRESS = "login_failures_per_ip"


class SignInThrottled(ValidationError):
    """Too many failed sign-ins; ``retry_after`` seconds until the next attempt is checked.

    A ValidationError, so that Django's sign-in forms (the admin's) show it where they show a
    wrong password; the portal and the API catch it and answer 429 with ``Retry-After``.
    """

    def __init__(self, *, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        message = ngettext(
            "Too many failed sign-ins. Try again in %(minutes)d minute.",
            "Too many failed sign-ins. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(message, code="sign_in_throttled")


def sign_in_check(*, request: HttpRequest | None, login: str, user: User | None) -> None:
    """Raise ``SignInThrottled`` if the account or the address may not try now."""
    wait = rate_limits_reached(_limits(request=request, login=login, user=user))
    if wait is not None:
        raise SignInThrottled(retry_after=wait)


def sign_in_failed(*, request: HttpRequest | None, login: str, user: User | None) -> None:
    """Count a wrong password (or an unknown login) against the account and the address."""
    rate_limits_hit(_limits(request=request, login=login, user=user))


def _limits(*, request: HttpRequest | None, login: str, user: User | None) -> list[Hit]:
    if user is not None:
        account = f"user:{user.pk}"
    else:
        account = "login:" + hashlib.sha256(login.strip().casefold().encode()).hexdigest()[:32]
    hits = [Hit(f"sign-in:{PER_ACCOUNT}", account, rate_for(PER_ACCOUNT))]
    if request is not None:
        hits.append(Hit(f"sign-in:{PER_ADDRESS}", client_ip(request), rate_for(PER_ADDRESS)))
    return hits
