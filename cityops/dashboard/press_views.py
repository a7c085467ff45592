"""The leaders' press page: what the press said in a period, from the press app's selectors
(stories by day, tones, top stories, watched names); the console has the details."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.platform import clock
from cityops.press.choices import Tone
from cityops.press.forms import PeriodForm
from cityops.press.selectors import (
    stories_by_day,
    stories_top,
    tone_split,
    watch_entries_with_counts,
)

TOP_STORIES = 10
PERIOD_FIELDS = ("period", "date_from", "date_to")


@require_GET
@roles_required(*IOC_READERS)
def press(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    period = form.chosen_period(now=clock.now())
    start, end = period.start, period.end
    days = stories_by_day(start=start, end=end)
    split = tone_split(start=start, end=end)
    query = urlencode({key: request.GET[key] for key in PERIOD_FIELDS if request.GET.get(key)})
    return render(
        request,
        "dashboard/press.html",
        {
            "form": form,
            "period": period,
            "period_query": query,
            "days": days,
            "items_total": sum(day.items for day in days),
            "split": split,
            "stories_seen": sum(split.values()),
            "negative": split.get(Tone.NEGATIVE, 0),
            "top": list(stories_top(start=start, end=end, limit=TOP_STORIES)),
            "watched": list(watch_entries_with_counts(start=start, end=end)),
        },
    )
