"""Hotline intake: an operator types in a report while taking a phone call."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import IOC_READERS, IOC_STAFF, may_act, roles_required
from cityops.console.forms import HotlineForm, show_domain_problems
from cityops.console.templatetags.console import suggestion_label
from cityops.console.views.common import map_tiles, staff_user
from cityops.intel.suggestions import suggestion_for_text
from cityops.platform.errors import InvalidInput
from cityops.reports import workflow
from cityops.reports.choices import Channel

SUGGEST_MAX_TEXT = 5000


def _page(request: HttpRequest, form: HotlineForm | None, *, status: int = 200) -> HttpResponse:
    described = form.data.get("description", "") if form is not None and form.is_bound else ""
    suggestion = suggestion_for_text(str(described)[:SUGGEST_MAX_TEXT]) if described else None
    context = {
        "form": form,
        "may_act": may_act(request.user),
        "suggestion": suggestion,
        **map_tiles(),
    }
    return render(request, "console/hotline.html", context, status=status)


@require_GET
@roles_required(*IOC_READERS)
def hotline(request: HttpRequest) -> HttpResponse:
    """The call form for operators; leaders see what it is, read-only."""
    return _page(request, HotlineForm() if may_act(request.user) else None)


@require_POST
@roles_required(*IOC_STAFF)
def hotline_submit(request: HttpRequest) -> HttpResponse:
    form = HotlineForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    operator = staff_user(request)
    try:
        # The caller's urgency, when the operator judged it, is the report's first
        # reclassification: the timeline says who set it. Both or neither are recorded.
        with transaction.atomic():
            report = workflow.report_submit(
                **form.submission(), channel=Channel.HOTLINE, recorded_by=operator
            )
            priority = form.chosen_priority()
            if priority is not None and priority != report.priority:
                report = workflow.report_reclassify(
                    report=report,
                    actor=operator,
                    priority=priority,
                    note=_("Priority set on the hotline call."),
                )
    except InvalidInput as invalid:
        show_domain_problems(form, invalid)
        return _page(request, form, status=400)
    messages.success(
        request, _("Hotline report #%(id)d is recorded: check and dispatch it.") % {"id": report.pk}
    )
    return redirect("console:report", report.pk)


@require_GET
@roles_required(*IOC_STAFF)
def hotline_suggest(request: HttpRequest) -> JsonResponse:
    """The category and priority suggested for what the caller says (the call form's script);
    a hint beside the fields, never chosen for the operator."""
    suggestion = suggestion_for_text(request.GET.get("text", "")[:SUGGEST_MAX_TEXT])
    answer = {
        "label": suggestion_label(suggestion),
        "category": suggestion.category.code if suggestion.category else None,
        "priority": str(suggestion.priority),
        "cues": list(suggestion.cues),
    }
    response = JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response
