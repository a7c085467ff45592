"""Who may open the staff pages: one decorator, so every view states its roles, and the
workspaces built on it (where each role lands after signing in, what its header offers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityops.accounts.choices import Role

View = Callable[..., HttpResponseBase]

IOC_STAFF = (Role.OPERATOR, Role.ADMIN)
IOC_READERS = (Role.OPERATOR, Role.ADMIN, Role.LEADER)
AGENCY_STAFF = (Role.AGENCY_STAFF,)
# Camera violation cases: officers act (and alone see owners' data); IOC readers read.
OFFICERS = (Role.OFFICER,)
VIOLATION_READERS = (Role.OFFICER, Role.OPERATOR, Role.ADMIN, Role.LEADER)


def has_role(user: Any, roles: tuple[Role, ...]) -> bool:
    """Whether a signed-in, active ``user`` holds one of ``roles`` (agency staff: of an agency)."""
    if not user.is_authenticated or not user.is_active or Role(user.role) not in roles:
        return False
    return Role(user.role) != Role.AGENCY_STAFF or user.agency_id is not None


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Anonymous visitors are sent to sign in; signed-in users of another role get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(user, roles):
                raise PermissionDenied  # staff of no agency have no inbox either
            return view(request, *args, **kwargs)

        # Read by ``may_visit`` (functools.wraps carries it through the outer decorators).
        wrapped.cityops_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


def may_act(user: Any) -> bool:
    """Operators and admins act in the console; leaders only read it."""
    return user.is_authenticated and Role(user.role) in IOC_STAFF


@dataclass(frozen=True)
class Workspace:
    """A staff area of CityOps: its URL namespace, its first page and who may open it."""

    code: str
    url_name: str
    label: str | Promise
    roles: tuple[Role, ...]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# Django's admin has its own rule (``is_staff``), checked in ``may_open``.
ADMIN_SITE = Workspace("admin", "admin:index", _("Administration"), ())
WORKSPACES = (
    Workspace("console", "console:queue", _("Operations console"), IOC_READERS),
    Workspace("violations", "console:violations:cases", _("Violation cases"), VIOLATION_READERS),
    Workspace("agency", "agency:inbox", _("Agency workspace"), AGENCY_STAFF),
    Workspace("dashboard", "dashboard:overview", _("Leaders' dashboard"), IOC_READERS),
    ADMIN_SITE,
)
# Where each role lands after signing in; citizens (and staff of no agency) on "my reports".
LANDING = {
    Role.OPERATOR: "console",
    Role.ADMIN: "console",  # an administrator acts in the console; the header offers the rest
    Role.AGENCY_STAFF: "agency",
    Role.LEADER: "dashboard",
    Role.OFFICER: "violations",
}
CITIZEN_HOME = "portal:my_reports"


def may_open(user: Any, workspace: Workspace) -> bool:
    if workspace is ADMIN_SITE:
        return bool(user.is_authenticated and user.is_active and user.is_staff)
    return has_role(user, workspace.roles)


def workspaces_for(user: Any) -> list[Workspace]:
    """The workspaces ``user`` may open, in the header's order (none for citizens)."""
    return [space for space in WORKSPACES if may_open(user, space)]


def landing_url(user: Any) -> str:
    """The page a user lands on after signing in: their role's workspace, else "my reports"."""
    by_code = {space.code: space for space in WORKSPACES}
    code = LANDING.get(Role(user.role))
    if code is not None and may_open(user, by_code[code]):
        return by_code[code].url
    return reverse(CITIZEN_HOME)


def may_visit(user: Any, url: str) -> bool:
    """Whether ``user`` may open the page at ``url`` (a path on this site), so that a ``next``
    they cannot open sends them to their own workspace instead of a 403."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    if match.namespaces[:1] == ["admin"]:
        return may_open(user, ADMIN_SITE)
    roles = getattr(match.func, "cityops_roles", None)
    return roles is None or has_role(user, roles)
