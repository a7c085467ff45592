"""The IOC's online services page: applications received over a chosen period, processed,
on time, late and overdue, by agency and by service, from the online app's selectors."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.online.selectors import dashboard_figures
from cityops.platform import clock
from cityops.violations.forms import PeriodForm


@require_GET
@roles_required(*IOC_READERS)
def online(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    now = clock.now()
    since = now - timedelta(days=form.chosen_days())
    return render(
        request,
        "dashboard/online.html",
        {
            "form": form,
            "since": since,
            "now": now,
            "figures": dashboard_figures(since=since, now=now),
            "current": "dashboard:online",
        },
    )
