"""The console's press pages: the overview of a period, the stories, a story (and turning it
into a field report), the sources' state, the watch list and the items' export.

Leaders read every page (no action forms shown); each action is a POST for IOC staff only.
Press text is escaped by the templates like any other text, never marked safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import IOC_READERS, IOC_STAFF, may_act, roles_required
from cityops.accounts.models import User
from cityops.platform import clock
from cityops.platform.errors import CityOpsError
from cityops.press.choices import StoryReportOrigin, Tone
from cityops.press.filters import Period, PressFilter
from cityops.press.forms import PeriodForm, StoryFilterForm, ToReportForm, WatchImportForm
from cityops.press.models import Story
from cityops.press.selectors import (
    counts_by_source,
    items_for_console,
    sources_for_status,
    stories_by_day,
    stories_for_console,
    stories_top,
    story_alarms,
    story_detail,
    tone_split,
    watch_entries_with_counts,
    watch_list,
)
from cityops.press.services import story_to_report, watch_entries_import
from cityops.stats.exports import CHUNK, Column, Table, csv_chunks

PAGE_SIZE = 25
TOP_STORIES = 10
PROBLEMS_SHOWN = 20
PERIOD_FIELDS = ("period", "date_from", "date_to")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _query(request: HttpRequest, names: tuple[str, ...] | None = None) -> str:
    """The request's filters (``names`` only, if given) as a query string, without the page."""
    return urlencode(
        {
            key: value
            for key, value in request.GET.items()
            if value and key != "page" and (names is None or key in names)
        }
    )


def _show_errors(request: HttpRequest, form: Form) -> None:
    """A form posted from a page that cannot show it again: its problems as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _period_text(period: Period) -> str:
    if period.first_day == period.last_day:
        return f"{period.first_day:%d/%m/%Y}"
    return f"{period.first_day:%d/%m/%Y} – {period.last_day:%d/%m/%Y}"


@require_GET
@roles_required(*IOC_READERS)
def overview(request: HttpRequest) -> HttpResponse:
    """A period at a glance: stories by day, tones, sources, watched names, top stories."""
    form = PeriodForm(request.GET or None)
    period = form.chosen_period(now=clock.now())
    start, end = period.start, period.end
    split = tone_split(start=start, end=end)
    days = stories_by_day(start=start, end=end)
    context = {
        "form": form,
        "period": period,
        "period_text": _period_text(period),
        "period_query": _query(request, PERIOD_FIELDS),
        "days": days,
        "items_total": sum(day.items for day in days),
        "split": split,
        "stories_seen": sum(split.values()),
        "negative": split.get(Tone.NEGATIVE, 0),
        "sources": counts_by_source(start=start, end=end),
        "watched": list(watch_entries_with_counts(start=start, end=end)),
        "top": list(stories_top(start=start, end=end, limit=TOP_STORIES)),
    }
    return render(request, "press/console/overview.html", context)


@require_GET
@roles_required(*IOC_READERS)
def stories(request: HttpRequest) -> HttpResponse:
    """The stories of a period, narrowed by tone, source, watched name and words."""
    form = StoryFilterForm(request.GET or None)
    filters = form.press_filter(now=clock.now())
    page = Paginator(stories_for_console(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "period_text": _period_text(form.chosen_period(now=clock.now())),
        "page": page,
        "query": _query(request),
    }
    return render(request, "press/console/stories.html", context)


@require_GET
@roles_required(*IOC_READERS)
def story(request: HttpRequest, pk: int) -> HttpResponse:
    detail = story_detail(pk=pk)
    if detail is None:
        raise Http404
    made = next((link for link in detail.reports if link.origin == StoryReportOrigin.CREATED), None)
    acting = may_act(request.user)
    context = {
        "story": detail.story,
        "items": detail.items,
        "mentions": detail.mentions,
        "reports": detail.reports,
        "made": made,
        "alarms": story_alarms(story=detail.story),
        "may_act": acting,
        "report_form": ToReportForm(initial=ToReportForm.preset(detail.story))
        if acting and made is None
        else None,
    }
    return render(request, "press/console/story.html", context)


@require_POST
@roles_required(*IOC_STAFF)
def story_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the story into a field report (once), then open the report's triage page."""
    story = Story.objects.filter(pk=pk).first()
    if story is None:
        raise Http404
    back = reverse("console:press:story", args=[story.pk])
    form = ToReportForm(request.POST)
    if not form.is_valid():
        _show_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    try:
        report = story_to_report(
            story=story,
            actor=_user(request),
            agency=data["agency"],
            category=data["category"],
            note=data["note"],
        )
    except CityOpsError as error:  # made already (Conflict), not permitted, no category
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _("The press story is now report #%(report)s.") % {"report": report.pk},
    )
    return redirect("console:report", pk=report.pk)


@require_GET
@roles_required(*IOC_READERS)
def sources(request: HttpRequest) -> HttpResponse:
    """Each source's polling state: when it was polled, its errors, back-off and next poll."""
    return render(
        request,
        "press/console/sources.html",
        {"sources": list(sources_for_status()), "now": clock.now()},
    )


@require_GET
@roles_required(*IOC_READERS)
def watch(request: HttpRequest) -> HttpResponse:
    """The watch list as it is (edited in the administration), and its CSV import."""
    return render(
        request,
        "press/console/watch.html",
        {
            "entries": list(watch_list()),
            "may_act": may_act(request.user),
            "import_form": WatchImportForm() if may_act(request.user) else None,
        },
    )


@require_POST
@roles_required(*IOC_STAFF)
def watch_import(request: HttpRequest) -> HttpResponse:
    form = WatchImportForm(request.POST, request.FILES)
    if not form.is_valid():
        _show_errors(request, form)
        return redirect("console:press:watch")
    upload = form.cleaned_data["file"]
    try:
        result = watch_entries_import(content=upload.read().decode("utf-8-sig", errors="replace"))
    except CityOpsError as error:
        messages.error(request, error.message)
        return redirect("console:press:watch")
    messages.success(
        request,
        _("Watch list: %(created)d created, %(updated)d updated.")
        % {"created": result.created, "updated": result.updated},
    )
    for problem in result.problems[:PROBLEMS_SHOWN]:
        messages.warning(request, problem)
    if len(result.problems) > PROBLEMS_SHOWN:
        messages.warning(
            request,
            _("%(count)d more rows were skipped.")
            % {"count": len(result.problems) - PROBLEMS_SHOWN},
        )
    return redirect("console:press:watch")


# --- the export --------------------------------------------------------------------------------


def _export_columns() -> tuple[Column, ...]:
    """The columns, headed in the request's language (the rows are written later)."""
    return (
        Column(_("Date"), "dated_at"),
        Column(_("Published at"), "published_at"),
        Column(_("Source"), "source__name"),
        Column(_("Title"), "title"),
        Column(_("Web address"), "url"),
        Column(_("Author"), "author"),
        Column(_("Lead"), "lead"),
        Column(_("Language"), "language"),
        Column(_("Tone"), "tone"),
        Column(_("Tone confidence"), "tone_confidence"),
        Column(_("Category"), "category__code"),
        Column(_("Area"), "area__name"),
        Column(_("Story"), "story_id"),
        Column(_("Story headline"), "story__headline"),
        Column(_("SHA-256 of the text"), "content_hash"),
    )


def _rows(filters: PressFilter, columns: tuple[Column, ...]) -> Iterator[tuple[Any, ...]]:
    items = items_for_console(filters=filters)
    yield from items.values_list(*[column.path for column in columns]).iterator(chunk_size=CHUNK)


@require_GET
@roles_required(*IOC_READERS)
def export(request: HttpRequest) -> HttpResponseBase:
    """The items of the period and filters as CSV (UTF-8 with a BOM for Excel), streamed; text
    that a spreadsheet would run as a formula is written as text."""
    form = StoryFilterForm(request.GET or None)
    now = clock.now()
    filters = form.press_filter(now=now)
    period = form.chosen_period(now=now)
    columns = _export_columns()
    table = Table(columns, _rows(filters, columns))
    response = StreamingHttpResponse(csv_chunks(table), content_type="text/csv; charset=utf-8")
    name = f"cityops-press-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
