"""A report's triage page, and one POST per panel, each calling one workflow function."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import IOC_READERS, IOC_STAFF, roles_required
from cityops.accounts.models import IdentityAccess, User
from cityops.accounts.services import identity_access_record
from cityops.console.forms import (
    AcceptForm,
    AssignForm,
    CloseForm,
    MergeForm,
    NoteForm,
    ReclassifyForm,
    RejectForm,
    ReopenForm,
    ResolveForm,
    show_domain_problems,
)
from cityops.console.views.common import map_tiles, moves_allowed, staff_user
from cityops.console.views.photos import photos_for_console
from cityops.intel.duplicates import similar_to_report
from cityops.intel.masking import masked_for
from cityops.intel.suggestions import ReportSuggestion, suggestion_for_report
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.platform.http import client_ip
from cityops.reports import workflow
from cityops.reports.choices import Priority, RejectionReason, ReportStatus, Visibility
from cityops.reports.filters import ReportFilter
from cityops.reports.models import Report
from cityops.reports.selectors import (
    agency_suggested_for,
    events_for_console,
    reopening_current,
    report_for_console,
    reporter_identity_visible_to,
    reports_for_console,
)
from cityops.reports.visibility import event_note_for, reader_of

logger = logging.getLogger(__name__)

SIMILAR_SHOWN = 5

# The panels of the triage page, named after the workflow move each one makes (``MOVES``).
PANELS: dict[str, type[forms.Form]] = {
    "accept": AcceptForm,
    "reclassify": ReclassifyForm,
    "reject": RejectForm,
    "merge": MergeForm,
    "assign": AssignForm,
    "note": NoteForm,
    "resolve": ResolveForm,
    "close": CloseForm,
    "reopen": ReopenForm,
}


def _report_or_404(pk: int) -> Report:
    report = report_for_console(pk=pk)
    if report is None:
        raise Http404
    return report


def _panels_for(user: Any, report: Report) -> list[str]:
    """The panels whose move the workflow allows this user now; none for leaders."""
    allowed = moves_allowed(user, report)
    shown = [panel for panel in PANELS if panel in allowed]
    if report.status == ReportStatus.SUBMITTED and "accept" in shown:
        shown.remove("reclassify")  # accepting sets the category and priority already
    return shown


def _initial(panel: str, report: Report, suggested_agency: Any) -> dict[str, Any]:
    if panel in ("accept", "reclassify"):
        return {"category": report.category.code, "priority": report.priority}
    if panel == "assign":
        agency = suggested_agency or report.agency
        return {"agency": agency.code if agency else None}
    if panel == "note":
        return {"visibility": Visibility.INTERNAL}
    return {}


def _suggestion(report: Report) -> ReportSuggestion | None:
    """The category and priority offered for the report, as a label; never applied by itself."""
    try:
        found = suggestion_for_report(report)
    except Exception:
        # A suggestion is a convenience: without a model the operator still decides.
        logger.exception("no category suggestion for report #%s", report.pk)
        return None
    return found if found.category is not None else None


def _recorded(report: Report) -> dict[str, str] | None:
    """What the accept panel offered (the same words give the same suggestion), for the record."""
    found = _suggestion(report)
    return found.recorded if found is not None else None


def _similar(report: Report, user: Any) -> list[dict[str, Any]]:
    """Reports that may describe the same problem, best first, for the merge panel."""
    as_written = reporter_identity_visible_to(user=user)
    found = similar_to_report(report=report, limit=SIMILAR_SHOWN, as_written=as_written)
    if not found:
        return []
    rows = reports_for_console(filters=ReportFilter(ids=tuple(s.report_id for s in found)))
    by_id = {row.pk: row for row in rows}
    return [
        {"report": by_id[s.report_id], "distance_m": round(s.distance_m), "score": s.score}
        for s in found
        if s.report_id in by_id
    ]


def _triage(
    request: HttpRequest,
    report: Report,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    panels = _panels_for(user, report)
    suggested_agency = (
        agency_suggested_for(category=report.category, area=report.area)
        if "assign" in panels
        else None
    )
    panel_forms: dict[str, forms.Form] = {
        panel: PANELS[panel](initial=_initial(panel, report, suggested_agency), prefix=panel)
        for panel in panels
    }
    panel_forms.update(bound or {})
    events = list(events_for_console(report=report))
    reader = reader_of(user)
    for event in events:
        event.shown_note = event_note_for(event=event, reader=reader)  # type: ignore[attr-defined]
    identity_visible = reporter_identity_visible_to(user=user)  # type: ignore[arg-type]
    if identity_visible:  # every read of a reporter's identity is logged (docs/security.md)
        identity_access_record(
            user=user,  # type: ignore[arg-type]
            what=IdentityAccess.What.TRIAGE,
            report=report,
            ip=client_ip(request),
        )
    context = {
        "report": report,
        "texts": {
            "title": masked_for(report.title, user=user),
            "description": masked_for(report.description, user=user),
            "address": masked_for(report.address, user=user),
            "result": report.result_text,  # the agency's public answer, as written
        },
        "now": clock.now(),
        "overdue": report.is_overdue(clock.now()),
        "events": events,
        "photos": photos_for_console(report=report, viewer=user),
        "identity_visible": identity_visible,
        "reopened": reopening_current(report=report),
        "panels": panel_forms,
        "suggestion": _suggestion(report) if {"accept", "reclassify"} & set(panels) else None,
        "similar": _similar(report, user) if "merge" in panels else [],
        "suggested_agency": suggested_agency,
        **map_tiles(),
    }
    return render(request, "console/report.html", context, status=status)


@require_GET
@roles_required(*IOC_READERS)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one report, with the forms of the moves allowed now."""
    return _triage(request, _report_or_404(pk))


# --- the panels' actions ----------------------------------------------------------------------


def _act(
    request: HttpRequest,
    pk: int,
    panel: str,
    move: Callable[[Report, User, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Parse the panel's form, make the one move, and come back to the report."""
    report = _report_or_404(pk)
    form = PANELS[panel](request.POST, request.FILES, prefix=panel)
    if not form.is_valid():
        return _triage(request, report, bound={panel: form}, status=400)
    try:
        move(report, staff_user(request), form.cleaned_data)
    except InvalidInput as invalid:
        show_domain_problems(form, invalid)
        return _triage(request, report, bound={panel: form}, status=400)
    except NotPermitted as refused:
        raise PermissionDenied(refused.message) from refused
    except Conflict as refused:
        report = _report_or_404(pk)  # the status may have changed under the operator
        messages.error(request, _refusal(report, panel, refused))
        return _triage(request, report, status=409)
    messages.success(request, done % {"id": report.pk})
    return redirect("console:report", report.pk)


def _refusal(report: Report, panel: str, refused: Conflict) -> str:
    if report.status not in workflow.MOVES[panel].sources:
        return _(
            "This cannot be done now: report #%(id)d is %(status)s. The page shows what is "
            "possible now."
        ) % {"id": report.pk, "status": ReportStatus(report.status).label.lower()}
    return _("This cannot be done: %(reason)s") % {"reason": refused.message}


@require_POST
@roles_required(*IOC_STAFF)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "accept",
        lambda report, actor, data: workflow.report_accept(
            report=report,
            actor=actor,
            category=data["category"],
            priority=Priority(data["priority"]),
            note=data["note"],
            suggested=_recorded(report),
        ),
        _("Report #%(id)d is accepted."),
    )


@require_POST
@roles_required(*IOC_STAFF)
def reclassify(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "reclassify",
        lambda report, actor, data: workflow.report_reclassify(
            report=report,
            actor=actor,
            category=data["category"],
            priority=Priority(data["priority"]),
            note=data["note"],
        ),
        _("Category and priority of report #%(id)d are saved."),
    )


@require_POST
@roles_required(*IOC_STAFF)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "reject",
        lambda report, actor, data: workflow.report_reject(
            report=report,
            actor=actor,
            reason=RejectionReason(data["reason"]),
            note=data["note"],
            original=data["original"],
        ),
        _("Report #%(id)d is rejected."),
    )


@require_POST
@roles_required(*IOC_STAFF)
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "merge",
        lambda report, actor, data: workflow.report_merge(
            report=report, actor=actor, original=data["original"], note=data["note"]
        ),
        _("Report #%(id)d is merged; its reporter now follows the original."),
    )


@require_POST
@roles_required(*IOC_STAFF)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "assign",
        lambda report, actor, data: workflow.report_assign(
            report=report, actor=actor, agency=data["agency"], note=data["note"]
        ),
        _("Report #%(id)d is sent to the agency."),
    )


@require_POST
@roles_required(*IOC_STAFF)
def note(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "note",
        lambda report, actor, data: workflow.report_add_note(
            report=report, actor=actor, text=data["text"], visibility=Visibility(data["visibility"])
        ),
        _("The note is added to report #%(id)d."),
    )


@require_POST
@roles_required(*IOC_STAFF)
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "resolve",
        lambda report, actor, data: workflow.report_resolve(
            report=report, actor=actor, result=data["result"], photos=data["photos"]
        ),
        _("Report #%(id)d is resolved; the reporter can now rate the result."),
    )


@require_POST
@roles_required(*IOC_STAFF)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "close",
        lambda report, actor, data: workflow.report_close(
            report=report, actor=actor, note=data["note"]
        ),
        _("Report #%(id)d is closed."),
    )


@require_POST
@roles_required(*IOC_STAFF)
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "reopen",
        lambda report, actor, data: workflow.report_reopen(
            report=report, actor=actor, reason=data["reason"]
        ),
        _("Report #%(id)d is reopened."),
    )
