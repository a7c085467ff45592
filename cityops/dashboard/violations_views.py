"""The leaders' violations page: repeat offenders and hot spots over a chosen period, from the
violations app's selectors. Plates are partly masked for everyone but enforcement officers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.accounts.access import OFFICERS, VIOLATION_READERS, has_role, roles_required
from cityops.platform import clock
from cityops.violations.choices import Rule
from cityops.violations.forms import PeriodForm
from cityops.violations.selectors import HotSpot, hot_spots, repeat_offenders

OFFENDERS_SHOWN = 50


def _cameras(spots: Sequence[HotSpot]) -> list[dict[str, Any]]:
    """The hot spots per camera (its violations added up, the most frequent first): the map's
    markers, sized by count."""
    by_camera: dict[str, dict[str, Any]] = {}
    for camera, rule, count, lat, lon in spots:
        entry = by_camera.setdefault(
            camera.code,
            {
                "code": camera.code,
                "name": camera.name,
                "lat": lat,
                "lon": lon,
                "count": 0,
                "rules": [],
            },
        )
        entry["count"] += count
        entry["rules"].append({"rule": str(Rule(rule).label), "count": count})
    return sorted(by_camera.values(), key=lambda entry: (-entry["count"], entry["name"]))


@require_GET
@roles_required(*VIOLATION_READERS)
def violations(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    days = form.chosen_days()
    since = clock.now() - timedelta(days=days)
    spots = list(hot_spots(since=since))
    offenders = list(repeat_offenders(since=since))[:OFFENDERS_SHOWN]
    rows = [
        {"camera": camera, "rule": Rule(rule).label, "count": count}
        for camera, rule, count, _lat, _lon in spots
    ]
    return render(
        request,
        "dashboard/violations.html",
        {
            "form": form,
            "days": days,
            "since": since,
            "is_officer": has_role(request.user, OFFICERS),
            "offenders": offenders,
            "spots": sorted(rows, key=lambda row: -row["count"]),
            "cameras": _cameras(spots),
            "tiles_url": settings.CITYOPS_MAP_TILES_URL,
            "tiles_attribution": settings.CITYOPS_MAP_ATTRIBUTION,
        },
    )
