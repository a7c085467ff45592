"""Who may open the staff pages: one decorator, so every view states its roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from cityops.accounts.choices import Role

View = Callable[..., HttpResponseBase]

IOC_STAFF = (Role.OPERATOR, Role.ADMIN)
IOC_READERS = (Role.OPERATOR, Role.ADMIN, Role.LEADER)
AGENCY_STAFF = (Role.AGENCY_STAFF,)


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Anonymous visitors are sent to sign in; signed-in users of another role get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if Role(user.role) not in roles or not user.is_active:
                raise PermissionDenied
            if Role(user.role) == Role.AGENCY_STAFF and user.agency_id is None:
                raise PermissionDenied  # staff of no agency have no inbox
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def may_act(user: Any) -> bool:
    """Operators and admins act in the console; leaders only read it."""
    return user.is_authenticated and Role(user.role) in IOC_STAFF
