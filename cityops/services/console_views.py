"""Staff pages: the KPIs of offices, officers and procedures, a desk's printable sheet (its QR
code, and the form that registers a dossier), a dossier's printable receipt slip, and the PNGs.

IOC readers (operators, administrators, leaders) see every office; agency staff see their own
agency's offices only (another agency's desk is 404 to them). Registering a dossier is a write:
operators, administrators and the office's agency staff; leaders only read.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import IOC_READERS, IOC_STAFF, has_role, roles_required
from cityops.accounts.choices import Role
from cityops.platform.errors import CityOpsError
from cityops.platform.printing import qr_png
from cityops.services.forms import DossierForm
from cityops.services.models import Desk, Dossier
from cityops.services.public_views import desk_path, dossier_path
from cityops.services.selectors import MIN_RATINGS, offices_for, service_kpis
from cityops.services.services import dossier_issue

READERS = (*IOC_READERS, Role.AGENCY_STAFF)
WRITERS = (*IOC_STAFF, Role.AGENCY_STAFF)


def _desk(request: HttpRequest, pk: int) -> Desk:
    desk = (
        Desk.objects.select_related("office__agency")
        .filter(pk=pk, office__in=offices_for(request.user))
        .first()
    )
    if desk is None:
        raise Http404
    return desk


def _dossier(request: HttpRequest, pk: int) -> Dossier:
    dossier = (
        Dossier.objects.select_related("desk__office", "procedure", "officer")
        .filter(pk=pk, desk__office__in=offices_for(request.user))
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def _png(url: str) -> HttpResponse:
    response = HttpResponse(qr_png(url), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@roles_required(*READERS)
def kpis(request: HttpRequest) -> HttpResponse:
    offices = offices_for(request.user)
    return render(
        request,
        "services/console/kpis.html",
        {
            "kpis": service_kpis(offices=offices),
            "offices": offices.prefetch_related("desks"),
            "minimum": MIN_RATINGS,
            "is_ioc": has_role(request.user, IOC_READERS),
        },
    )


def _sheet(
    request: HttpRequest, desk: Desk, form: DossierForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "services/console/desk_sheet.html",
        {
            "desk": desk,
            "form": form,
            "url": settings.CITYOPS_SITE_URL + desk_path(desk),
            "kiosk_url": settings.CITYOPS_SITE_URL + desk_path(desk, kiosk=True),
            "may_issue": has_role(request.user, WRITERS),
            "is_ioc": has_role(request.user, IOC_READERS),
        },
        status=status,
    )


@require_GET
@roles_required(*READERS)
def desk_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    desk = _desk(request, pk)
    return _sheet(request, desk, DossierForm(desk=desk))


@require_POST
@roles_required(*WRITERS)
def dossier_new(request: HttpRequest, pk: int) -> HttpResponse:
    desk = _desk(request, pk)
    form = DossierForm(request.POST, desk=desk)
    if not form.is_valid():
        return _sheet(request, desk, form, status=400)
    data = form.cleaned_data
    try:
        dossier = dossier_issue(
            desk=desk, number=data["number"], procedure=data["procedure"], officer=data["officer"]
        )
    except CityOpsError as refused:
        for name, messages in refused.fields.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        if not refused.fields:
            form.add_error(None, refused.message)
        return _sheet(request, desk, form, status=refused.http_status)
    return redirect("console:services:dossier_sheet", pk=dossier.pk)


@require_GET
@roles_required(*READERS)
def dossier_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    return render(
        request,
        "services/console/dossier_sheet.html",
        {
            "dossier": dossier,
            "desk": dossier.desk,
            "url": settings.CITYOPS_SITE_URL + dossier_path(dossier),
            "is_ioc": has_role(request.user, IOC_READERS),
        },
    )


@require_GET
@roles_required(*READERS)
def desk_qr(request: HttpRequest, pk: int) -> HttpResponse:
    desk = _desk(request, pk)
    kiosk = request.GET.get("kiosk") == "1"
    return _png(settings.CITYOPS_SITE_URL + desk_path(desk, kiosk=kiosk))


@require_GET
@roles_required(*READERS)
def dossier_qr(request: HttpRequest, pk: int) -> HttpResponse:
    return _png(settings.CITYOPS_SITE_URL + dossier_path(_dossier(request, pk)))
