"""The leaders' dashboard (placeholder until the dashboard lands)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required


@require_GET
@roles_required(*IOC_READERS)
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "console/base.html")
