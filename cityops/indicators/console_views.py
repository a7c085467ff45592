"""Staff pages of indicator uploads: the list, the upload form and an upload's page (its
refused rows and the figures it brought, each with its row: what the dashboard links to).

IOC staff (operators, administrators) upload figures of any indicator; an agency's staff upload
figures of their own department's indicators only (other rows are refused, one by one), and see
their agency's uploads only (another's is 404). Leaders read every upload, so that each figure
on their dashboard can be traced to its file and row."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityops.accounts.access import IOC_READERS, IOC_STAFF, has_role, roles_required
from cityops.accounts.choices import Role
from cityops.indicators.forms import UploadForm
from cityops.indicators.importing import ImportRefused
from cityops.indicators.selectors import indicators_for_upload, upload_figures, uploads_for
from cityops.indicators.services import upload_fetch, upload_import

UPLOADS_SHOWN = 50
READERS = (*IOC_READERS, Role.AGENCY_STAFF)
UPLOADERS = (*IOC_STAFF, Role.AGENCY_STAFF)


def _context(request: HttpRequest) -> dict[str, object]:
    return {
        "is_ioc": has_role(request.user, IOC_READERS),
        "may_upload": has_role(request.user, UPLOADERS),
    }


@require_GET
@roles_required(*READERS)
def uploads(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/console/uploads.html",
        {"uploads": uploads_for(request.user)[:UPLOADS_SHOWN], **_context(request)},
    )


@require_http_methods(["GET", "POST"])
@roles_required(*UPLOADERS)
def upload_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    department = user.agency if user.role == Role.AGENCY_STAFF else None  # type: ignore[union-attr]
    form = UploadForm(request.POST or None, request.FILES or None, allow_url=department is None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data.get("file"):
                    file = form.cleaned_data["file"]
                    upload = upload_import(
                        source=form.source(),
                        content=file.read(),
                        actor=user,
                        file_name=file.name,
                        department=department,
                    )
                else:
                    upload = upload_fetch(
                        url=form.cleaned_data["url"], actor=user, department=department
                    )
            except ImportRefused as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(accepted)d of %(total)d rows accepted.")
                    % {"accepted": upload.rows_accepted, "total": upload.rows_total},
                )
                return redirect("console:indicators:upload", pk=upload.pk)
        status = 400
    return render(
        request,
        "indicators/console/upload_new.html",
        {
            "form": form,
            "indicators": indicators_for_upload(department=department),
            **_context(request),
        },
        status=status,
    )


@require_GET
@roles_required(*READERS)
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = uploads_for(request.user).filter(pk=pk).first()
    if upload is None:
        raise Http404
    return render(
        request,
        "indicators/console/upload.html",
        {"upload": upload, "figures": upload_figures(upload), **_context(request)},
    )
