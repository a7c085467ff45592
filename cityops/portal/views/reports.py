"""A citizen's report: send it, read it, follow it, rate the result or reopen it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cityops.accounts.models import User
from cityops.intel.classifier import suggest_category
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.platform.readcache import read_cached
from cityops.portal.forms import RatingForm, ReopenForm, ReportForm, localized_name
from cityops.portal.limits import posts_limited
from cityops.portal.views.pages import is_htmx
from cityops.reports import workflow
from cityops.reports.choices import Channel, RatingValue
from cityops.reports.models import Category, Report
from cityops.reports.selectors import (
    events_public,
    rating_current,
    reopening_current,
    report_followed_by,
    report_photos,
    report_visible_to,
    reports_similar_open,
)
from cityops.reports.services import follow_create, follow_delete
from cityops.reports.visibility import event_note_for, reader_of, report_text_for


def _report_or_404(request: HttpRequest, pk: int) -> Report:
    report = report_visible_to(pk=pk, user=request.user)
    if report is None:
        raise Http404
    return report


def _report_url(report: Report) -> str:
    return reverse("portal:report", args=[report.pk])


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


def _map() -> dict[str, str]:
    return {
        "tiles_url": settings.CITYOPS_MAP_TILES_URL,
        "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
    }


def _may(move: str, user: Any, report: Report) -> bool:
    """Whether the workflow would let ``user`` make ``move`` now (to offer the form at all)."""
    if not user.is_authenticated:
        return False
    rule = workflow.MOVES[move]
    return report.status in rule.sources and bool(workflow.parties_of(user, report) & rule.parties)


# --- reading ----------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    report: Report,
    *,
    rating_form: RatingForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_reporter = user.is_authenticated and report.reporter_id == user.pk
    current = rating_current(report=report)
    can_rate = is_reporter and current is None and _may("rate", user, report)
    can_reopen = (
        is_reporter
        and current is not None
        and current.value == RatingValue.UNSATISFIED
        and _may("reopen", user, report)
    )

    # Who reads what: ``reports.visibility`` (the reporter's words masked for the public, their
    # notes and comments for themself and staff only, staff's public words as written).
    reader = reader_of(user)

    def shown(text: str) -> str:
        return report_text_for(text, report=report, reader=reader)

    events = list(events_public(report=report).select_related("agency"))
    for event in events:
        event.shown_note = event_note_for(event=event, reader=reader)  # type: ignore[attr-defined]
    context = {
        "report": report,
        "texts": {
            "title": shown(report.title),
            "description": shown(report.description),
            "address": shown(report.address),
            "result": report.result_text,  # the agency's public answer, as written
        },
        "events": events,
        "photos": report_photos(report=report),
        "is_reporter": is_reporter,
        "rating": current,
        "reopened": reopening_current(report=report),
        "rating_form": rating_form or (RatingForm() if can_rate else None),
        "reopen_form": reopen_form or (ReopenForm() if can_reopen else None),
        "following": report_followed_by(report=report, user=user),
        "overdue": report.is_overdue(clock.now()),
        "share_url": request.build_absolute_uri(_report_url(report)),
        **_map(),
    }
    return render(request, "portal/report_detail.html", context, status=status)


@require_GET
@read_cached(report="pk")  # an anonymous visitor's page, the same for all until the report changes
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _report_or_404(request, pk))


@require_GET
def reports_similar(request: HttpRequest) -> HttpResponse:
    """Open reports near the chosen place (htmx panel of the submit form)."""
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return render(request, "portal/_similar.html", {"nearby": None})
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return render(request, "portal/_similar.html", {"nearby": None})
    code = request.GET.get("category") or ""
    category = Category.objects.filter(code=code, is_active=True).first() if code else None
    nearby = reports_similar_open(lat=lat, lon=lon, category=category)
    return render(request, "portal/_similar.html", {"nearby": nearby, "category": category})


SUGGEST_MAX_TEXT = 5000


@require_GET
def report_suggest(request: HttpRequest) -> JsonResponse:
    """The suggested category of a description being typed (the submit form's script).

    ``preselect`` is true only for a confident suggestion of an active category; the script
    never replaces a category the person chose. Without JavaScript nothing is suggested.
    """
    suggestion = suggest_category(request.GET.get("text", "")[:SUGGEST_MAX_TEXT])
    category = (
        Category.objects.filter(code=suggestion.category, is_active=True).first()
        if suggestion.category
        else None
    )
    answer: dict[str, Any] = {
        "category": None,
        "label": "",
        "confidence": suggestion.confidence,
        "reason": suggestion.reason,
        "preselect": False,
    }
    if category is not None:
        answer["category"] = category.code
        answer["label"] = _("Suggestion: %(category)s") % {"category": localized_name(category)}
        answer["preselect"] = suggestion.reason == ""
    response = JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


# --- sending ----------------------------------------------------------------------------------


def _contact_defaults(user: User) -> dict[str, str]:
    return {
        "contact_name": user.get_full_name(),
        "contact_phone": user.phone or "",
        "contact_email": user.email,
    }


@login_required
@require_http_methods(["GET", "POST"])
@posts_limited("write_per_ip")
def report_new(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method != "POST":
        form = ReportForm(initial=_contact_defaults(request.user))
        return render(request, "portal/report_form.html", {"form": form, **_map()})
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = workflow.report_submit(
                **form.submission(), reporter=request.user, channel=Channel.WEB
            )
        except InvalidInput as invalid:
            form.show_domain_problems(invalid)
        else:
            messages.success(
                request,
                _(
                    "Thank you: report #%(id)d was sent. The operations centre checks it; you "
                    "will see every step here."
                )
                % {"id": report.pk},
            )
            return redirect(_report_url(report))
    return render(request, "portal/report_form.html", {"form": form, **_map()}, status=400)


# --- following ------------------------------------------------------------------------------


def _follow_response(
    request: HttpRequest, report: Report, *, following: bool, message: str
) -> HttpResponse:
    """The report page's button swaps in place (htmx); "follow this one instead" on the submit
    form opens the followed report; without JavaScript, back to the page with a message."""
    if is_htmx(request) and not request.POST.get("next"):
        return render(request, "portal/_follow.html", {"report": report, "following": following})
    messages.success(request, message)
    target = _next_or(request, _report_url(report))
    return HttpResponseClientRedirect(target) if is_htmx(request) else redirect(target)


@require_POST
@posts_limited("write_per_ip")
def report_follow(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_report_url(report))
    assert isinstance(request.user, User)
    follow_create(report=report, user=request.user)
    if request.user.email and request.user.email_notifications:
        message = _("You follow report #%(id)d: you will get an email on every public change.")
    else:  # no address to write to: promise only what they will see
        message = _("You follow report #%(id)d: its public changes show in “Reports I follow”.")
    return _follow_response(request, report, following=True, message=message % {"id": report.pk})


@require_POST
@posts_limited("write_per_ip")
def report_unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_report_url(report))
    assert isinstance(request.user, User)
    follow_delete(report=report, user=request.user)
    message = _("You no longer follow report #%(id)d.") % {"id": report.pk}
    return _follow_response(request, report, following=False, message=message)


# --- the reporter's answer --------------------------------------------------------------------


@require_POST
@posts_limited("write_per_ip")
def report_rate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_report_url(report))
    assert isinstance(request.user, User)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, rating_form=form, status=400)
    try:
        workflow.report_rate(
            report=report,
            actor=request.user,
            value=RatingValue(form.cleaned_data["value"]),
            comment=form.cleaned_data["comment"],
        )
    except NotPermitted as refused:
        raise PermissionDenied(_("Only the person who sent the report can rate it.")) from refused
    except Conflict as refused:
        if refused.code == "already_rated":
            messages.error(
                request,
                _(
                    "You have already rated this result: each result is rated once. If the "
                    "problem is not solved, reopen the report."
                ),
            )
        else:
            messages.error(request, _("This report cannot be rated now: it has no new result."))
        return redirect(_report_url(report))
    if form.cleaned_data["value"] == RatingValue.UNSATISFIED:
        messages.success(
            request,
            _("Thank you. If the problem is not solved, you can reopen the report below."),
        )
    else:
        messages.success(request, _("Thank you for your rating: the report is now closed."))
    return redirect(_report_url(report))


@require_POST
@posts_limited("write_per_ip")
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_report_url(report))
    assert isinstance(request.user, User)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, reopen_form=form, status=400)
    try:
        workflow.report_reopen(
            report=report, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except NotPermitted as refused:
        raise PermissionDenied(_("Only the person who sent the report can reopen it.")) from refused
    except Conflict:
        messages.error(request, _("This report cannot be reopened now."))
        return redirect(_report_url(report))
    messages.success(request, _("The report is reopened: the agency in charge has it again."))
    return redirect(_report_url(report))
