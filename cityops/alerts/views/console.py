"""The console's alarm panel and bulletin editor: parse, call one domain function, render.

Leaders read every page (no action forms shown); each action is a POST for IOC staff only.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityops.accounts.access import IOC_READERS, IOC_STAFF, may_act, roles_required
from cityops.accounts.models import User
from cityops.alerts.forms import (
    AlarmFilterForm,
    AssignForm,
    BulletinForm,
    NoteForm,
    ToReportForm,
    show_domain_problems,
)
from cityops.alerts.models import Alarm, Bulletin, OnDuty
from cityops.alerts.selectors import (
    alarm_assignees,
    alarm_counts,
    alarm_events,
    alarm_for_console,
    alarm_points,
    alarms_for_console,
    bulletin_is_current,
    bulletins_for_console,
)
from cityops.alerts.services import (
    alarm_acknowledge,
    alarm_assign,
    alarm_clear,
    alarm_to_report,
    bulletin_cancel,
    bulletin_create,
    duty_end,
    duty_start,
    report_defaults_for,
)
from cityops.platform import clock
from cityops.platform.errors import CityOpsError, InvalidInput
from cityops.reports.choices import Priority

PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _alarm_or_404(pk: int) -> Alarm:
    alarm = alarm_for_console(pk=pk)
    if alarm is None:
        raise Http404
    return alarm


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back where the form was (the list or the alarm's page), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _list_context(request: HttpRequest) -> dict[str, Any]:
    form = AlarmFilterForm(request.GET or None)
    params = form.params()
    alarms = list(alarms_for_console(**params)[:PAGE_SIZE])
    acting = may_act(request.user)
    return {
        "filter_form": form,
        "state": params["state"],
        "alarms": alarms,
        "counts": alarm_counts(),
        "may_act": acting,
        "assignees": list(alarm_assignees()) if acting else [],
        "page_size": PAGE_SIZE,
        "now": clock.now(),
        # Actions in the table come back to the panel with its filters (also from the partial).
        "here": reverse("console:alerts:alarms")
        + (f"?{request.GET.urlencode()}" if request.GET else ""),
    }


@require_GET
@roles_required(*IOC_READERS)
def alarms(request: HttpRequest) -> HttpResponse:
    """The alarm panel: active alarms, most severe first, live."""
    context = _list_context(request)
    context["on_duty"] = OnDuty.objects.filter(user=_user(request)).first()
    return render(request, "alerts/console/alarms.html", context)


@require_GET
@roles_required(*IOC_READERS)
def alarm_table(request: HttpRequest) -> HttpResponse:
    """The panel's table alone, re-fetched by the page's script on every alarm change."""
    return render(request, "alerts/console/_alarm_table.html", _list_context(request))


@require_GET
@roles_required(*IOC_READERS)
def alarm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alarm = _alarm_or_404(pk)
    acting = may_act(request.user)
    context = {
        "alarm": alarm,
        "events": list(alarm_events(alarm=alarm)),
        "may_act": acting,
        "now": clock.now(),
        "assign_form": AssignForm(initial={"assignee": alarm.assignee_id}) if acting else None,
        "report_form": ToReportForm(initial=ToReportForm.preset(report_defaults_for(alarm)))
        if acting and alarm.report_id is None
        else None,
        "here": request.get_full_path(),
    }
    return render(request, "alerts/console/alarm.html", context)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    alarm = _alarm_or_404(pk)
    actor = _user(request)
    default = reverse("console:alerts:alarm", args=[alarm.pk])
    note = NoteForm(request.POST)
    text = note.cleaned_data["note"] if note.is_valid() else ""
    try:
        if action == "acknowledge":
            alarm_acknowledge(alarm=alarm, actor=actor, note=text)
            messages.success(request, _("Alarm #%(id)s acknowledged.") % {"id": alarm.pk})
        elif action == "clear":
            alarm_clear(alarm=alarm, actor=actor, note=text)
            messages.success(request, _("Alarm #%(id)s cleared.") % {"id": alarm.pk})
        elif action == "assign":
            form = AssignForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose an operator to assign the alarm to."))
                return _back(request, default)
            assignee = form.cleaned_data["assignee"]
            alarm_assign(alarm=alarm, assignee=assignee, actor=actor)
            messages.success(
                request,
                _("Alarm #%(id)s assigned to %(name)s.")
                % {"id": alarm.pk, "name": assignee.get_full_name() or assignee.username},
            )
    except CityOpsError as error:
        messages.error(request, error.message)
    return _back(request, default)


@require_POST
@roles_required(*IOC_STAFF)
def alarm_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "acknowledge")


@require_POST
@roles_required(*IOC_STAFF)
def alarm_clear_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "clear")


@require_POST
@roles_required(*IOC_STAFF)
def alarm_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "assign")


@require_POST
@roles_required(*IOC_STAFF)
def alarm_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the alarm into a report, then open the report's triage page."""
    alarm = _alarm_or_404(pk)
    # The list's one-click button posts no choice: the report is what the alarm's rule maps to.
    form = ToReportForm(
        request.POST
        if "category" in request.POST
        else ToReportForm.preset(report_defaults_for(alarm))
    )
    default = reverse("console:alerts:alarm", args=[alarm.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a category for the report."))
        return _back(request, default)
    try:
        report = alarm_to_report(
            alarm=alarm,
            actor=_user(request),
            category=form.cleaned_data["category"],
            priority=Priority(form.cleaned_data["priority"]),
            note=form.cleaned_data["note"],
        )
    except CityOpsError as error:
        messages.error(request, error.message)
        return _back(request, default)
    messages.success(
        request,
        _("Alarm #%(alarm)s is now report #%(report)s, waiting in the queue.")
        % {"alarm": alarm.pk, "report": report.pk},
    )
    return redirect("console:report", pk=report.pk)


@require_GET
@roles_required(*IOC_READERS)
def alarm_snapshot(request: HttpRequest, pk: int, variant: str) -> HttpResponse:
    """A camera's snapshot of the alarm (staff only)."""
    alarm = Alarm.objects.filter(pk=pk).first()
    file = (
        None
        if alarm is None
        else (alarm.snapshot_thumbnail if variant == "thumb" else alarm.snapshot)
    )
    if not file:
        raise Http404
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)  # streamed; the access decorator is typed for HttpResponse


@require_GET
@roles_required(*IOC_READERS)
def alarm_points_view(request: HttpRequest) -> JsonResponse:
    """Active alarms as GeoJSON: a layer of the console map."""
    response = JsonResponse(alarm_points(), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    return response


@require_POST
@roles_required(*IOC_STAFF)
def duty(request: HttpRequest) -> HttpResponse:
    """Go on duty (receive critical and major alarms by email) or off duty."""
    user = _user(request)
    try:
        if request.POST.get("action") == "start":
            duty_start(user=user)
            messages.success(
                request, _("You are on duty: critical and major alarms are mailed to you.")
            )
        else:
            duty_end(user=user)
            messages.success(request, _("You are off duty."))
    except CityOpsError as error:
        messages.error(request, error.message)
    return _back(request, reverse("console:alerts:alarms"))


# --- bulletins --------------------------------------------------------------------------------


@require_GET
@roles_required(*IOC_READERS)
def bulletins(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    items = bulletins_for_console(at=now)
    return render(
        request,
        "alerts/console/bulletins.html",
        {
            "bulletins": [(b, bulletin_is_current(b, at=now)) for b in items],
            "may_act": may_act(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(*IOC_STAFF)
def bulletin_new(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = bulletin_create(
                actor=_user(request),
                kind=data["kind"],
                headline=data["headline"],
                description=data["description"],
                instruction=data["instruction"],
                severity=data["severity"],
                urgency=data["urgency"],
                certainty=data["certainty"],
                onset=data["onset"],
                expires=data["expires"],
                areas=list(data["areas"]),
                area_description=data["area_description"],
                geometry=data["geometry"],
                web=data["web"],
                language=data["language"],
            )
        except InvalidInput as invalid:
            show_domain_problems(form, invalid)
        else:
            messages.success(request, _("The bulletin is published on the warnings page."))
            return redirect("warnings:detail", pk=bulletin.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "alerts/console/bulletin_form.html", {"form": form}, status=status)


@require_POST
@roles_required(*IOC_STAFF)
def bulletin_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = Bulletin.objects.filter(pk=pk).first()
    if bulletin is None:
        raise Http404
    try:
        bulletin_cancel(bulletin=bulletin, actor=_user(request))
        messages.success(request, _("The bulletin is withdrawn from the warnings page."))
    except CityOpsError as error:
        messages.error(request, error.message)
    return redirect("console:alerts:bulletins")
