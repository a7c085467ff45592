"""The agency workspace's online applications: the list of the agency's applications with
their deadlines, one application with its documents, and the steps (accept, ask for
information, finish, refuse, message). Staff of the responsible agency only; others get 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import AGENCY_STAFF, roles_required
from cityops.online import selectors, services
from cityops.online.choices import ApplicationStatus as S
from cityops.online.forms import AskForm, FinishForm, RefuseForm, TextForm
from cityops.online.links import receipt_url
from cityops.online.models import Application
from cityops.platform import clock
from cityops.platform.errors import CityOpsError

VIEWS = {
    "open": gettext_lazy("In hand"),
    "done": gettext_lazy("Done"),
    "refused": gettext_lazy("Refused"),
    "": gettext_lazy("All"),
}

STEPS: dict[str, tuple[type[forms.Form] | None, Callable[..., Any], str]] = {
    "accept": (None, services.application_accept, ""),
    "ask": (AskForm, services.application_ask_info, "text"),
    "finish": (FinishForm, services.application_finish, "result"),
    "refuse": (RefuseForm, services.application_refuse, "reason"),
    "message": (TextForm, services.application_message, "text"),
}


@require_GET
@roles_required(*AGENCY_STAFF)
def applications(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "open")
    if view not in VIEWS:
        view = "open"
    rows = list(
        selectors.applications_for_agency(agency_id=request.user.agency_id, status=view)[:200]  # type: ignore[union-attr]
    )
    return render(
        request,
        "agency/online_list.html",
        {
            "applications": rows,
            "view": view,
            "views": VIEWS,
            "now": clock.now(),
            "current": "agency:online",
        },
    )


def _ours(request: HttpRequest, number: str) -> Application:
    application = selectors.application_for(user=request.user, number=number)
    if application is None or not selectors.may_process(request.user, application):
        raise Http404
    return application


def _page(
    request: HttpRequest,
    application: Application,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms_ = {
        "ask": AskForm(),
        "finish": FinishForm(),
        "refuse": RefuseForm(),
        "message": TextForm(),
        **(bound or {}),
    }
    state = application.status
    return render(
        request,
        "agency/online_application.html",
        {
            "application": application,
            "events": application.events.select_related("actor").all(),
            "documents": application.documents.all(),
            "now": clock.now(),
            "forms": forms_,
            "may_accept": state == S.SUBMITTED,
            "may_ask": state in (S.SUBMITTED, S.IN_PROGRESS),
            "may_finish": state in (S.SUBMITTED, S.IN_PROGRESS),
            "may_refuse": state in services.OPEN,
            "may_message": state in services.OPEN,
            "receipt_url": receipt_url(application.payment),
            "current": "agency:online",
        },
        status=status,
    )


@require_GET
@roles_required(*AGENCY_STAFF)
def application(request: HttpRequest, number: str) -> HttpResponse:
    return _page(request, _ours(request, number))


@require_POST
@roles_required(*AGENCY_STAFF)
def step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    application = _ours(request, number)
    form_class, act, field = STEPS[step]
    kwargs: dict[str, Any] = {"application": application, "actor": request.user}
    form = form_class(request.POST) if form_class else None
    if form is not None:
        if not form.is_valid():
            return _page(request, application, {step: form}, status=400)
        kwargs[field] = form.cleaned_data[field]
    try:
        act(**kwargs)
    except CityOpsError as error:
        messages.error(request, error.message)
        return redirect("agency:online_application", number=number)
    messages.success(request, _("Done: the applicant can see it."))
    return redirect("agency:online_application", number=number)
