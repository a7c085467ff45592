from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.platform import clock
from cityops.reports.selectors import attachment_visible_to, report_counts_public, reports_public


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


@require_GET
def attachment(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A report's photo, to whoever may see the report (the public: reviewed reports only)."""
    found = attachment_visible_to(pk=pk, user=request.user)
    if found is None:
        raise Http404
    file = found.thumbnail if variant == "thumb" else found.file
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400" if found.is_public else "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
