"""The console's live feed (server-sent events)."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.console.live import ioc_accept
from cityops.platform.realtime import event_stream


@require_GET
@roles_required(*IOC_READERS)
def events(request: HttpRequest) -> StreamingHttpResponse:
    """Server-sent events: every report and alarm change, live (and the buses with
    ``?vehicles=1``, for the map)."""
    return event_stream(request, accept=ioc_accept(vehicles=request.GET.get("vehicles") == "1"))
