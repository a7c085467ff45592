"""What a signed-in citizen does with a report: rate the result, reopen it, follow it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from cityops.api.auth import SIGNED_IN, user_of
from cityops.api.routers.reports import report_detail_of, visible_report
from cityops.api.schemas import FollowOut, RatingIn, ReopenIn, ReportDetailOut, ReportId, errors
from cityops.api.writes import api_write
from cityops.reports.services import follow_create, follow_delete
from cityops.reports.workflow import report_rate, report_reopen

router = Router(tags=["reports"])

# 403: not the reporter; 404: no such public report; 409: not in a status that allows it.
ACTION_ERRORS = errors(400, 401, 403, 404, 409, 429)


@router.post(
    "/{report_id}/rating",
    response={201: ReportDetailOut, **ACTION_ERRORS},
    auth=SIGNED_IN,
    summary="Rate the result of my report",
)
@api_write()
def report_rating_create(
    request: HttpRequest, report_id: ReportId, payload: RatingIn
) -> Status[ReportDetailOut]:
    """Only the reporter rates, once the report is resolved: satisfied or acceptable closes it;
    unsatisfied leaves it resolved so that it can be reopened."""
    report = visible_report(request, report_id)
    report_rate(report=report, actor=user_of(request), value=payload.value, comment=payload.comment)
    return Status(201, report_detail_of(request, report_id))


@router.post(
    "/{report_id}/reopen",
    response={200: ReportDetailOut, **ACTION_ERRORS},
    auth=SIGNED_IN,
    summary="Reopen my resolved report",
)
@api_write()
def report_reopen_create(
    request: HttpRequest, report_id: ReportId, payload: ReopenIn
) -> ReportDetailOut:
    """The problem is not solved: the report goes back to the agency that resolved it."""
    report = visible_report(request, report_id)
    report_reopen(report=report, actor=user_of(request), reason=payload.reason)
    return report_detail_of(request, report_id)


@router.put(
    "/{report_id}/follow",
    response={200: FollowOut, **errors(400, 401, 404, 409, 429)},
    auth=SIGNED_IN,
    summary="Follow a report's updates",
)
@api_write()
def report_follow(request: HttpRequest, report_id: ReportId) -> FollowOut:
    report = visible_report(request, report_id)
    follow_create(report=report, user=user_of(request))
    return FollowOut(report=report.pk, following=True)


@router.delete(
    "/{report_id}/follow",
    response={200: FollowOut, **errors(400, 401, 404, 409, 429)},
    auth=SIGNED_IN,
    summary="Stop following a report",
)
@api_write()
def report_unfollow(request: HttpRequest, report_id: ReportId) -> FollowOut:
    report = visible_report(request, report_id)
    follow_delete(report=report, user=user_of(request))
    return FollowOut(report=report.pk, following=False)
