"""Text intelligence for clients: a category suggestion for a text, and reports that may be the
same problem as a stored or a draft report. Suggestions only: nothing here changes a report."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from cityops.api.auth import OPTIONAL, OPTIONAL_OPENAPI, caller_of
from cityops.api.routers.reports import public_reports, visible_report, with_details
from cityops.api.schemas import (
    CandidateOut,
    ClassifyIn,
    ClassifyOut,
    PrioritySuggestionOut,
    ReportId,
    ReportOut,
    SimilarDraftIn,
    SimilarOut,
    errors,
)
from cityops.api.writes import api_write
from cityops.intel.classifier import suggest_category
from cityops.intel.duplicates import SimilarReport, similar_reports, similar_to_report
from cityops.intel.priority import suggest_priority
from cityops.reports.models import Report
from cityops.reports.selectors import reporter_identity_visible_to, reports_visible_to

router = Router(tags=["intelligence"])
classify_router = Router(tags=["intelligence"])


@classify_router.post(
    "",
    response={200: ClassifyOut, **errors(400, 413, 429)},
    summary="Suggest a category for a text",
)
@api_write(idempotent=False)
def classify(request: HttpRequest, payload: ClassifyIn) -> ClassifyOut:
    """The most likely category of a report's words, with a confidence and the top 3, and the
    suggested priority with the words that decided it. An empty or one-word text gets a low
    confidence and a ``reason``, not an error."""
    suggestion = suggest_category(payload.text)
    priority = suggest_priority(payload.text)
    return ClassifyOut(
        category=suggestion.category,
        confidence=suggestion.confidence,
        candidates=[
            CandidateOut(category=c.category, score=c.score) for c in suggestion.candidates
        ],
        reason=suggestion.reason,  # type: ignore[arg-type]
        priority=PrioritySuggestionOut(
            level=priority.priority.value,  # type: ignore[arg-type]
            cues=list(priority.cues),
        ),
    )


def _seen_by(request: HttpRequest) -> QuerySet[Report]:
    """The reports the caller may see: the reviewed public ones, plus their own."""
    reports = public_reports()
    user = caller_of(request).user
    if user is not None:
        reports = reports | reports_visible_to(user=user).filter(reporter=user)
    return reports


def _as_written(request: HttpRequest) -> bool:
    """Whether the caller reads the texts as written (IOC staff); the others' scores compare
    the texts as the public reads them (``intel.duplicates.similar_reports``)."""
    return reporter_identity_visible_to(user=caller_of(request).user)


def _answer(request: HttpRequest, found: list[SimilarReport]) -> list[SimilarOut]:
    reports = with_details(Report.objects.filter(pk__in=[s.report_id for s in found])).in_bulk()
    return [
        SimilarOut(
            report=ReportOut.of(reports[s.report_id], request=request),
            distance_m=s.distance_m,
            score=max(0.0, min(s.score, 1.0)),
        )
        for s in found
        if s.report_id in reports
    ]


@router.get(
    "/{report_id}/similar",
    response={200: list[SimilarOut], **errors(400, 401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="Reports that may be the same problem as a report",
)
def report_similar(request: HttpRequest, report_id: ReportId) -> list[SimilarOut]:
    """Reports the caller may see within 200 m, of the same or a related category, open or
    changed within 30 days of it, best first (distance, time, words, category)."""
    report = visible_report(request, report_id)
    found = similar_to_report(
        report=report, among=_seen_by(request), as_written=_as_written(request)
    )
    return _answer(request, found)


@router.post(
    "/similar",
    response={200: list[SimilarOut], **errors(400, 401, 413, 429)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="Reports that may be the same problem as a draft",
)
@api_write(idempotent=False)
def report_draft_similar(request: HttpRequest, payload: SimilarDraftIn) -> list[SimilarOut]:
    """Before sending a report: public reports near the point that may describe the same
    problem, best first, so the citizen may follow one instead of sending it again."""
    found = similar_reports(
        lat=payload.lat,
        lon=payload.lon,
        text=payload.text,
        category=payload.category or None,
        among=_seen_by(request),
        as_written=_as_written(request),
    )
    return _answer(request, found)
