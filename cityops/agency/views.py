"""The agency workspace (placeholder until the workspace views land)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.accounts.access import AGENCY_STAFF, roles_required
from cityops.console.live import agency_accept
from cityops.platform.realtime import event_stream


@require_GET
@roles_required(*AGENCY_STAFF)
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "console/base.html")


@require_GET
@roles_required(*AGENCY_STAFF)
def events(request: HttpRequest) -> StreamingHttpResponse:
    """Server-sent events: changes of this agency's reports, live."""
    return event_stream(request, accept=agency_accept(request.user))  # type: ignore[arg-type]
