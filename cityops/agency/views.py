"""The agency workspace: the inbox of the agency's reports and the page where staff act on one.

Views parse the request, call one workflow function and render. Agency staff never see who
reported: no reporter or contact fields reach the templates, and the texts that
``reports.visibility`` masks for them go through ``_shown`` (personal data masked, the
reporter's own name and addresses blanked); staff's words for the public are shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import AGENCY_STAFF, roles_required
from cityops.accounts.models import User
from cityops.accounts.names import names_blanked
from cityops.agency.forms import (
    AcceptForm,
    ActionForm,
    ExtendForm,
    NoteForm,
    ResolveForm,
    ReturnForm,
)
from cityops.console.live import agency_accept
from cityops.intel.masking import DOT, masked_for
from cityops.platform import clock
from cityops.platform.errors import CityOpsError
from cityops.platform.realtime import event_stream
from cityops.reports import workflow
from cityops.reports.choices import Visibility
from cityops.reports.models import Report
from cityops.reports.selectors import (
    AGENCY_INBOX_VIEWS,
    agency_inbox_counts,
    events_for_agency,
    reopening_current,
    report_for_agency,
    report_photos,
    reports_for_agency,
)
from cityops.reports.visibility import Shown, event_note_shown, reader_of, shown

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> User:
    user = request.user
    # roles_required saw to both.
    assert isinstance(user, User)
    assert user.agency is not None
    return user


# --- what agency staff may read of a report ----------------------------------------------------

_MIN_IDENTITY = 4  # shorter strings (initials, "An") would blank ordinary words


def _identity(report: Report) -> list[str]:
    """The reporter's own phone and addresses, to blank wherever they wrote them."""
    values = [report.contact_phone, report.contact_email, report.device_id]
    if report.reporter is not None:
        values += [report.reporter.email, report.reporter.phone or ""]
    return sorted(
        {value.strip() for value in values if len(value.strip()) >= _MIN_IDENTITY},
        key=len,
        reverse=True,
    )


def _names(report: Report) -> list[str]:
    """The reporter's names, blanked in any order and spelling (``accounts.names``)."""
    reporter = report.reporter.full_name if report.reporter is not None else ""
    return [report.contact_name, reporter]


def _shown(text: str, report: Report, user: User) -> str:
    """A report's text as agency staff read it."""
    text = names_blanked(text, names=_names(report), replacement=DOT * 3)
    for value in _identity(report):
        text = re.sub(re.escape(value), DOT * 3, text, flags=re.IGNORECASE)
    return masked_for(text, user=user)


# --- the inbox ----------------------------------------------------------------------------------


def _inbox_context(request: HttpRequest, *, with_counts: bool) -> dict[str, Any]:
    user = _staff(request)
    agency = user.agency
    assert agency is not None
    view = request.GET.get("view", "open")
    if view not in AGENCY_INBOX_VIEWS:
        view = "open"
    now = clock.now()
    page = Paginator(reports_for_agency(agency=agency, view=view), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for report in page:
        summary = report.title or report.description
        report.shown_summary = _shown(summary, report, user)  # type: ignore[attr-defined]
        report.shown_address = _shown(report.address, report, user)  # type: ignore[attr-defined]
    query = f"?view={view}" + (f"&page={page.number}" if page.number > 1 else "")
    return {
        "agency": agency,
        "view": view,
        "page": page,
        "now": now,
        "counts": agency_inbox_counts(agency=agency, at=now) if with_counts else None,
        "list_url": reverse("agency:inbox_list") + query,
    }


@require_GET
@roles_required(*AGENCY_STAFF)
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "agency/inbox.html", _inbox_context(request, with_counts=True))


@require_GET
@roles_required(*AGENCY_STAFF)
def inbox_list(request: HttpRequest) -> HttpResponse:
    """The inbox's list alone: what the page's script fetches again when a report changes."""
    return render(request, "agency/_inbox_list.html", _inbox_context(request, with_counts=False))


@require_GET
@roles_required(*AGENCY_STAFF)
def events(request: HttpRequest) -> StreamingHttpResponse:
    """Server-sent events: changes of this agency's reports, live."""
    return event_stream(request, accept=agency_accept(request.user))  # type: ignore[arg-type]


# --- one report ---------------------------------------------------------------------------------


def _report_or_404(request: HttpRequest, pk: int) -> Report:
    """Only a report the agency has or had; anything else does not exist for its staff."""
    agency = _staff(request).agency
    assert agency is not None
    report = report_for_agency(pk=pk, agency=agency)
    if report is None:
        raise Http404
    return report


def _may(move: str, user: User, report: Report) -> bool:
    """Whether the workflow would let ``user`` make ``move`` now (to offer its form at all)."""
    rule = workflow.MOVES[move]
    return report.status in rule.sources and bool(workflow.parties_of(user, report) & rule.parties)


def _detail(
    request: HttpRequest,
    report: Report,
    *,
    bound: dict[str, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _staff(request)
    agency = user.agency
    assert agency is not None
    forms: dict[str, ActionForm | None] = {
        "accept_form": AcceptForm() if _may("agency_accept", user, report) else None,
        "return_form": ReturnForm() if _may("return", user, report) else None,
        "note_form": NoteForm() if _may("note", user, report) else None,
        "extend_form": (
            ExtendForm() if _may("extend", user, report) and report.extended_at is None else None
        ),
        "resolve_form": ResolveForm(agency=agency) if _may("resolve", user, report) else None,
    }
    forms.update(bound or {})
    events = list(events_for_agency(report=report, agency=agency))
    reader = reader_of(user)
    for event in events:
        how = event_note_shown(event=event, reader=reader)
        note = _shown(event.note, report, user) if how is Shown.MASKED else shown(event.note, how)
        event.shown_note = note  # type: ignore[attr-defined]
    now = clock.now()
    context = {
        "report": report,
        "is_ours": report.agency_id == agency.pk,
        "texts": {
            "title": _shown(report.title, report, user),
            "description": _shown(report.description, report, user),
            "address": _shown(report.address, report, user),
            # Staff's words for the public, as written (``reports.visibility``).
            "result": report.result_text,
            "extension_reason": report.extension_reason,
        },
        "events": events,
        "photos": report_photos(report=report),
        "reopened": reopening_current(report=report),
        "now": now,
        "tiles_url": settings.CITYOPS_MAP_TILES_URL,
        "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
        **forms,
    }
    return render(request, "agency/report.html", context, status=status)


@require_GET
@roles_required(*AGENCY_STAFF)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _report_or_404(request, pk))


def _act(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form: ActionForm,
    move: Callable[[Report, User, ActionForm], str],
    then: str | None = None,
) -> HttpResponse:
    """Validate ``form``, make the move; on success say so and go back to the report (or to
    ``then``), else show the page again with the refusal on the form."""
    report = _report_or_404(request, pk)
    user = _staff(request)
    status = 400
    if form.is_valid():
        try:
            success = move(report, user, form)
        except CityOpsError as refused:
            form.show_refusal(refused)
            status = refused.http_status
        else:
            messages.success(request, success)
            return redirect(then or reverse("agency:report", args=[report.pk]))
    return _detail(request, report, bound={name: form}, status=status)


@require_POST
@roles_required(*AGENCY_STAFF)
def report_take_up(request: HttpRequest, pk: int) -> HttpResponse:
    def move(report: Report, user: User, form: ActionForm) -> str:
        workflow.report_agency_accept(report=report, actor=user)
        return _("You took up report #%(id)d: it is now being handled.") % {"id": report.pk}

    return _act(request, pk, name="accept_form", form=AcceptForm(request.POST), move=move)


@require_POST
@roles_required(*AGENCY_STAFF)
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    def move(report: Report, user: User, form: ActionForm) -> str:
        workflow.report_return(report=report, actor=user, reason=form.cleaned_data["reason"])
        return _("Report #%(id)d went back to the operations centre.") % {"id": report.pk}

    return _act(
        request,
        pk,
        name="return_form",
        form=ReturnForm(request.POST),
        move=move,
        then=reverse("agency:inbox"),
    )


@require_POST
@roles_required(*AGENCY_STAFF)
def report_note(request: HttpRequest, pk: int) -> HttpResponse:
    def move(report: Report, user: User, form: ActionForm) -> str:
        visibility = Visibility(form.cleaned_data["visibility"])
        workflow.report_add_note(
            report=report, actor=user, text=form.cleaned_data["text"], visibility=visibility
        )
        if visibility == Visibility.PUBLIC:
            return _("The note is on the report's public timeline.")
        return _("The internal note is saved.")

    return _act(request, pk, name="note_form", form=NoteForm(request.POST), move=move)


@require_POST
@roles_required(*AGENCY_STAFF)
def report_extend(request: HttpRequest, pk: int) -> HttpResponse:
    def move(report: Report, user: User, form: ActionForm) -> str:
        assert isinstance(form, ExtendForm)
        workflow.report_extend(
            report=report,
            actor=user,
            reason=form.cleaned_data["reason"],
            new_due_at=form.new_due_at(),
        )
        return _("The deadline is extended; the reason is published on the report's page.")

    return _act(request, pk, name="extend_form", form=ExtendForm(request.POST), move=move)


@require_POST
@roles_required(*AGENCY_STAFF)
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _staff(request).agency
    assert agency is not None

    def move(report: Report, user: User, form: ActionForm) -> str:
        workflow.report_resolve(
            report=report,
            actor=user,
            result=form.cleaned_data["result"],
            photos=form.cleaned_data["photos"],
        )
        return _("The result of report #%(id)d is published; the citizen can now rate it.") % {
            "id": report.pk
        }

    form = ResolveForm(request.POST, request.FILES, agency=agency)
    return _act(request, pk, name="resolve_form", form=form, move=move)
