"""The queue: every report, filtered and live; the operator's saved views above it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import IOC_READERS, IOC_STAFF, may_act, roles_required
from cityops.accounts.selectors import saved_views_of
from cityops.accounts.services import saved_view_create, saved_view_delete
from cityops.console.forms import SavedViewForm
from cityops.console.views.common import is_htmx, queue_query, staff_user
from cityops.intel.selectors import suggestions_kept
from cityops.platform import clock
from cityops.platform.errors import InvalidInput, NotFound
from cityops.reports.selectors import reports_for_console

PAGE_SIZE = 50


def _queue(
    request: HttpRequest,
    params: QueryDict,
    *,
    view_form: SavedViewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    found = queue_query(params)
    reports = reports_for_console(
        filters=found.filters, staff=found.staff, order=found.order, reader=staff_user(request)
    )
    page = Paginator(reports, PAGE_SIZE).get_page(params.get("page"))
    context = {
        "page": page,
        "now": clock.now(),
        "query": found.query,
    }
    if is_htmx(request) and view_form is None:
        response = render(request, "console/_queue_results.html", context)
    else:
        user = staff_user(request)
        context["form"] = found.form.with_choices()
        context["saved_views"] = saved_views_of(user=user)
        context["may_act"] = may_act(user)
        context["view_form"] = view_form or SavedViewForm(initial={"query": found.query})
        context["suggestions_kept"] = suggestions_kept()
        response = render(request, "console/queue.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # the same address answers the table alone
    return response


@require_GET
@roles_required(*IOC_READERS)
def queue(request: HttpRequest) -> HttpResponse:
    """The reports the filters select, most urgent first; the table alone for htmx and live."""
    return _queue(request, request.GET)


@require_POST
@roles_required(*IOC_STAFF)
def view_save(request: HttpRequest) -> HttpResponse:
    """Save the queue's current filters under a name."""
    form = SavedViewForm(request.POST)
    if form.is_valid():
        try:
            saved = saved_view_create(
                user=staff_user(request),
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
            )
        except InvalidInput as invalid:
            for name, problems in invalid.fields.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, _("The view “%(name)s” is saved.") % {"name": saved.name})
            return redirect(reverse("console:queue") + (f"?{saved.query}" if saved.query else ""))
    # Show the queue the operator was looking at, with the problem next to the name.
    looked_at = QueryDict(str(form.data.get("query", "")).lstrip("?"))
    return _queue(request, looked_at, view_form=form, status=400)


@require_POST
@roles_required(*IOC_STAFF)
def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        saved_view_delete(user=staff_user(request), saved_view_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    messages.success(request, _("The saved view is deleted."))
    return redirect("console:queue")
