"""The citizens' pages: the catalogue, a request, my applications, one application's status
with its messages, reply and payment. Only the applicant (and staff who may read it) sees an
application; anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityops.online import selectors, services
from cityops.online.choices import ApplicationStatus as S
from cityops.online.forms import ReplyForm, RequestForm, SearchForm, TextForm
from cityops.online.links import payment_page_url, receipt_url
from cityops.online.models import Application
from cityops.payments.choices import Gateway
from cityops.platform import clock
from cityops.platform.errors import CityOpsError, InvalidInput
from cityops.portal.limits import posts_limited


def _form_errors(form: RequestForm | TextForm, error: CityOpsError) -> None:
    if isinstance(error, InvalidInput) and error.fields:
        for key, problems in error.fields.items():
            name = f"doc_{key}" if f"doc_{key}" in form.fields else key
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    else:
        form.add_error(None, error.message)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "online/public/catalogue.html",
        {"form": form, "services": selectors.catalogue(query=query), "query": query},
    )


@require_http_methods(["GET", "POST"])
@login_required
@posts_limited("write_per_ip")
def request_new(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_offered(code=code)
    if service is None:
        raise Http404
    fee = services.fee_on(service=service, day=timezone.localdate(clock.now()))
    with_fee = bool(fee and fee.amount_vnd)
    form = RequestForm(
        request.POST or None, request.FILES or None, service=service, with_fee=with_fee
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                service=service,
                applicant=request.user,  # type: ignore[arg-type]
                details=form.cleaned_data["details"],
                files=form.uploads(),
                gateway=form.cleaned_data.get("gateway") or Gateway.VNPAY,
            )
        except CityOpsError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your application %(number)s is sent.") % {"number": application.number},
            )
            return redirect("online:application", number=application.number)
    fee = services.fee_on(service=service, day=selectors.day_of(clock.now()))
    return render(
        request,
        "online/public/request.html",
        {"service": service, "form": form, "fee": fee.amount_vnd if fee else 0},
    )


@require_GET
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "online/public/mine.html",
        {"applications": selectors.applications_of(user=request.user)},
    )


def _application(request: HttpRequest, number: str) -> Application:
    application = selectors.application_for(user=request.user, number=number)
    if application is None:
        raise Http404
    return application


@require_GET
@login_required
def application(request: HttpRequest, number: str) -> HttpResponse:
    app = _application(request, number)
    return _detail(request, app)


def _detail(
    request: HttpRequest,
    app: Application,
    *,
    reply_form: ReplyForm | None = None,
    message_form: TextForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_applicant = app.applicant_id == request.user.pk
    return render(
        request,
        "online/public/application.html",
        {
            "application": app,
            "events": app.events.select_related("actor").all(),
            "documents": app.documents.all(),
            "is_applicant": is_applicant,
            "now": clock.now(),
            "reply_form": reply_form
            or (ReplyForm(service=app.service) if app.status == S.NEEDS_INFO else None),
            "message_form": message_form or TextForm(),
            "may_message": is_applicant and app.status in (S.AWAITING_PAYMENT, *services.OPEN),
            "may_withdraw": is_applicant and app.status in (S.AWAITING_PAYMENT, *services.OPEN),
            "pay_url": payment_page_url(app.payment),
            "receipt_url": receipt_url(app.payment),
        },
        status=status,
    )


def _applicant_application(request: HttpRequest, number: str) -> Application:
    app = _application(request, number)
    if app.applicant_id != request.user.pk:
        raise Http404
    return app


@require_POST
@login_required
@posts_limited("write_per_ip")
def reply(request: HttpRequest, number: str) -> HttpResponse:
    app = _applicant_application(request, number)
    form = ReplyForm(request.POST, request.FILES, service=app.service)
    if form.is_valid():
        try:
            services.application_reply(
                application=app,
                actor=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["details"],
                files=form.uploads(),
            )
        except CityOpsError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your answer is sent."))
            return redirect("online:application", number=number)
    return _detail(request, app, reply_form=form, status=400)


@require_POST
@login_required
@posts_limited("write_per_ip")
def message(request: HttpRequest, number: str) -> HttpResponse:
    app = _applicant_application(request, number)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            services.application_message(
                application=app,
                actor=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
            )
        except CityOpsError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("online:application", number=number)
    return _detail(request, app, message_form=form, status=400)


@require_POST
@login_required
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    app = _applicant_application(request, number)
    try:
        services.application_withdraw(application=app, actor=request.user)  # type: ignore[arg-type]
    except CityOpsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("online:application", number=number)


@require_GET
@login_required
def document(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """A document of an application, to its applicant and the staff who may read it only."""
    doc = selectors.document_for(user=request.user, number=number, pk=pk)
    if doc is None:
        raise Http404
    extension = doc.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        doc.file.open("rb"), as_attachment=False, filename=f"{number}-{doc.key}.{extension}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
