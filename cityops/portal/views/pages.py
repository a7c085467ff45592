"""Reading pages: the home page with its map and list, the map's points, health, photos."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import Truncator
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from cityops.intel.masking import mask_personal_data
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.platform.readcache import read_cached
from cityops.portal.forms import FilterForm
from cityops.reports.choices import ReportStatus, StatusGroup
from cityops.reports.deadlines import working_calendar
from cityops.reports.filters import ReportFilter
from cityops.reports.selectors import (
    attachment_visible_to,
    report_points_public,
    reports_public_list,
)
from cityops.reports.wording import public_status
from cityops.stats.selectors import city_figures

PAGE_SIZE = 20


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _filters(request: HttpRequest) -> tuple[FilterForm, ReportFilter]:
    """The list's filters from the query string; bad ones are shown and otherwise ignored."""
    form = FilterForm(request.GET)
    try:
        return form, ReportFilter.from_params(form.params())
    except InvalidInput as invalid:
        form.show_problems(invalid)
        return form, ReportFilter()


@require_GET
@read_cached()  # the same for every anonymous visitor, until a report changes
def home(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = Paginator(reports_public_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "points_url": reverse("portal:points") + ("?" + query.urlencode() if query else ""),
    }
    if is_htmx(request):
        response = render(request, "portal/_report_list.html", context)
        patch_vary_headers(response, ("HX-Request",))  # the list alone, under the same URL
        return response
    now = clock.now()
    this_month = now.astimezone(working_calendar().tz).date().replace(day=1)
    context["figures"] = city_figures(month=this_month, at=now)
    context["tiles_url"] = settings.CITYOPS_MAP_TILES_URL
    context["tiles_attribution"] = settings.CITYOPS_MAP_ATTRIBUTION
    response = render(request, "portal/home.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# The map shows the newest points only: the page-weight budget (docs/portal.md) holds at
# this cap, and the list beside the map has every report.
MAP_POINTS = 500


def _public_text(text: str) -> str:
    return mask_personal_data(text)  # personal data written in a report (Law 91/2025)


@require_GET
@gzip_page  # public data only (no token, no secret): compression is safe here
def report_points(request: HttpRequest) -> JsonResponse:
    """GeoJSON points of the public reports the home page's filters select, for the map.

    Each report's page is at ``/reports/<id>``; the map script builds the link from the id.
    """
    _form, filters = _filters(request)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(row["lon"], 5), round(row["lat"], 5)],
            },
            "properties": {
                "id": row["pk"],
                "title": Truncator(mask_personal_data(row["title"] or row["description"])).chars(
                    40
                ),
                "status": public_status(row["status"]),
                "tone": "open" if ReportStatus(row["status"]).group == StatusGroup.OPEN else "done",
            },
        }
        for row in report_points_public(filters=filters, limit=MAP_POINTS)
    ]
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "public, max-age=60"
    patch_vary_headers(response, ["Cookie"])  # the status words follow the language cookie
    return response


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def attachment(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A report's photo, blurred (faces, plates), to whoever may see the report (the public:
    reviewed reports only); 404 while it has no blurred copy. Originals: the console only."""
    found = attachment_visible_to(pk=pk, user=request.user)
    if found is None:
        raise Http404
    file = found.thumbnail if variant == "thumb" else found.file
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400" if found.is_public else "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
