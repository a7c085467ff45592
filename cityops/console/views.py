"""The IOC operators' console (placeholder until the console views land)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.console.live import ioc_accept
from cityops.platform.realtime import event_stream


@require_GET
@roles_required(*IOC_READERS)
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "console/base.html")


@require_GET
@roles_required(*IOC_READERS)
def events(request: HttpRequest) -> StreamingHttpResponse:
    """Server-sent events: every report and alarm change, live."""
    return event_stream(request, accept=ioc_accept())
