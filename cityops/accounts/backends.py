"""Sign in with a username, an email address or a phone number, and a password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from cityops.accounts.models import User
from cityops.accounts.selectors import user_by_login
from cityops.accounts.throttling import sign_in_check, sign_in_failed


class LoginBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or not password:
            return None
        user = user_by_login(login=username)
        # Throttled per account and per address, whichever way in (raises SignInThrottled).
        sign_in_check(request=request, login=username, user=user)
        if user is None:
            # Spend the same time as a real check so that timing does not reveal accounts.
            User().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            return user
        sign_in_failed(request=request, login=username, user=user)
        return None
