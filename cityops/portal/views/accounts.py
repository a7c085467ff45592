"""A citizen's account: sign up, sign in and out, my reports, my follows, preferences, and the
personal-data rights (download my data, delete my account)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityops.accounts.access import landing_url, may_visit
from cityops.accounts.models import User
from cityops.accounts.selectors import user_data_export
from cityops.accounts.services import user_delete, user_preferences_update, user_sign_up
from cityops.accounts.throttling import SignInThrottled
from cityops.platform.errors import InvalidInput
from cityops.portal.forms import DeleteAccountForm, PreferencesForm, SignInForm, SignUpForm
from cityops.portal.limits import posts_limited
from cityops.portal.views.pages import PAGE_SIZE
from cityops.reports.selectors import reports_followed_by, reports_reported_by

BACKEND = "cityops.accounts.backends.LoginBackend"


def _safe_next(request: HttpRequest) -> str:
    """Where to go after signing in or up: the ``next`` asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _landing(user: Any, next_url: str) -> str:
    """The ``next`` asked for if ``user`` may open it, else the workspace of their role."""
    return next_url if next_url and may_visit(user, next_url) else landing_url(user)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@posts_limited("login_per_ip")
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.method != "POST":
        if request.user.is_authenticated:
            return redirect(_landing(request.user, next_url))
        return render(request, "portal/sign_in.html", {"form": SignInForm(), "next": next_url})
    form = SignInForm(request.POST)
    if form.is_valid():
        try:
            user = authenticate(
                request,
                username=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
            )
        except SignInThrottled as throttled:
            form.add_error(None, throttled)
            context = {"form": form, "next": next_url}
            response = render(request, "portal/sign_in.html", context, status=429)
            response["Retry-After"] = str(throttled.retry_after)
            return response
        if user is not None:
            login(request, user, backend=BACKEND)
            return redirect(_landing(user, next_url))
        form.add_error(
            None,
            _("Signing in failed: check your email, phone number or user name and your password."),
        )
    return render(request, "portal/sign_in.html", {"form": form, "next": next_url}, status=400)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@posts_limited("write_per_ip")
def sign_up(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.method != "POST":
        return render(request, "portal/sign_up.html", {"form": SignUpForm(), "next": next_url})
    form = SignUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = user_sign_up(
                name=data["name"],
                login=data["login"],
                password=data["password"],
                accepted_terms=data["accepted_terms"],
                language=get_language() or "",
            )
        except InvalidInput as invalid:
            form.show_problems(invalid.fields)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect(_landing(user, next_url))
    return render(request, "portal/sign_up.html", {"form": form, "next": next_url}, status=400)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("portal:home")


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    page = Paginator(reports_reported_by(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/my_reports.html", {"page": page})


@login_required
@require_GET
def my_follows(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    page = Paginator(reports_followed_by(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/my_follows.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
@posts_limited("write_per_ip")
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method != "POST":
        form = PreferencesForm(
            initial={
                "email_notifications": user.email_notifications,
                "email": user.email,
                "language": user.language,
            }
        )
        return render(request, "portal/preferences.html", {"form": form})
    form = PreferencesForm(request.POST)
    if form.is_valid():
        try:
            user_preferences_update(
                user=user,
                email_notifications=form.cleaned_data["email_notifications"],
                language=form.cleaned_data["language"],
                email=form.cleaned_data["email"],
            )
        except InvalidInput as invalid:
            form.show_problems(invalid.fields)
        else:
            messages.success(request, _("Your preferences are saved."))
            return redirect("portal:preferences")
    return render(request, "portal/preferences.html", {"form": form}, status=400)


@login_required
@never_cache
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    """Everything CityOps keeps about the signed-in person, as a JSON download."""
    assert isinstance(request.user, User)
    body = json.dumps(
        user_data_export(user=request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cityops-my-data.json"'
    return response


@sensitive_post_parameters("password")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@posts_limited("write_per_ip")
def account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method != "POST":
        return render(request, "portal/account_delete.html", {"form": DeleteAccountForm()})
    form = DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            user_delete(user=user, password=form.cleaned_data["password"])
        except InvalidInput as invalid:
            for message in invalid.fields.get("password", [invalid.message]):
                form.add_error("password", message)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. Your reports stay public without your name or "
                    "contact details."
                ),
            )
            return redirect("portal:home")
    return render(request, "portal/account_delete.html", {"form": form}, status=400)
