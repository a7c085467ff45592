"""Staff pages of indicator uploads: the list, the upload form and an upload's page (its
refused rows and the figures it brought, each with its row: what the dashboard links to).

Uploading is for IOC staff (operators, administrators); leaders read the uploads, so that every
figure on their dashboard can be traced to its file and row. Departments send their files to
the IOC (agency staff do not upload themselves yet)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityops.accounts.access import IOC_READERS, IOC_STAFF, has_role, roles_required
from cityops.indicators.forms import UploadForm
from cityops.indicators.importing import ImportRefused
from cityops.indicators.models import Upload
from cityops.indicators.selectors import indicators_for_upload, upload_figures
from cityops.indicators.services import upload_fetch, upload_import

UPLOADS_SHOWN = 50


@require_GET
@roles_required(*IOC_READERS)
def uploads(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/console/uploads.html",
        {
            "uploads": Upload.objects.select_related("uploaded_by")[:UPLOADS_SHOWN],
            "may_upload": has_role(request.user, IOC_STAFF),
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(*IOC_STAFF)
def upload_new(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["file"]:
                    file = form.cleaned_data["file"]
                    upload = upload_import(
                        source=form.source(),
                        content=file.read(),
                        actor=request.user,
                        file_name=file.name,
                    )
                else:
                    upload = upload_fetch(url=form.cleaned_data["url"], actor=request.user)
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
        {"form": form, "indicators": indicators_for_upload()},
        status=status,
    )


@require_GET
@roles_required(*IOC_READERS)
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(Upload.objects.select_related("uploaded_by"), pk=pk)
    return render(
        request,
        "indicators/console/upload.html",
        {"upload": upload, "figures": upload_figures(upload)},
    )
