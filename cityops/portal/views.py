from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.platform import clock
from cityops.reports.selectors import report_counts_public, reports_public


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    latest = reports_public(reviewed_only=True).select_related("category", "area", "agency")[:20]
    return render(
        request,
        "portal/home.html",
        {"counts": report_counts_public(at=clock.now()), "latest": latest},
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
