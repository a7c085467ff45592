"""Reads about reports shared by every channel."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.accounts.names import name_given
from cityops.agencies.choices import AgencyKind
from cityops.agencies.models import Agency, Area
from cityops.platform import clock
from cityops.platform.kept import kept
from cityops.reports.choices import (
    AttachmentKind,
    BlurStatus,
    EventKind,
    ReportStatus,
    StatusGroup,
    Visibility,
)
from cityops.reports.filters import ReportFilter, StaffFilter
from cityops.reports.models import (
    Attachment,
    Category,
    DeadlinePolicy,
    Follow,
    Rating,
    Report,
    ReportEvent,
    RoutingRule,
)


@kept(seconds=30, depends_on=(Category, DeadlinePolicy))
def _categories_by_code() -> dict[str, Category]:
    return {c.code: c for c in Category.objects.select_related("deadline_policy")}


def category_by_code(code: str, *, active_only: bool = False) -> Category | None:
    """A category by its code, read from memory: every report's intake asks for one."""
    category = _categories_by_code().get(code)
    if category is None or (active_only and not category.is_active):
        return None
    return category


def agency_suggested_for(*, category: Category, area: Area | None) -> Agency | None:
    """The agency the routing rules name for this category and area; None means the IOC's queue.

    A rule for the exact area beats the category's city-wide rule.
    """
    candidates = RoutingRule.objects.filter(category=category).filter(Q(area=area) | Q(area=None))
    by_area = {rule.area_id: rule for rule in candidates.select_related("agency")}
    rule = by_area.get(area.pk if area else None) or by_area.get(None)
    if rule is None:
        return None
    if rule.to_area_committee:
        if area is None:
            return None
        return Agency.objects.filter(area=area, kind=AgencyKind.COMMITTEE, is_active=True).first()
    return rule.agency


def reports_overdue(*, at: datetime) -> QuerySet[Report]:
    return Report.objects.filter(status__in=ReportStatus.active(), due_at__lt=at)


def statuses_not_public(*, reviewed_only: bool = False) -> list[ReportStatus]:
    """The statuses ``reports_public`` leaves out."""
    hidden = ReportStatus.in_group(StatusGroup.HIDDEN)
    if reviewed_only:
        hidden.append(ReportStatus.SUBMITTED)
    return hidden


def reports_public(*, reviewed_only: bool = False) -> QuerySet[Report]:
    """Reports the public may see; ``reviewed_only`` also leaves out those not yet triaged."""
    return Report.objects.exclude(status__in=statuses_not_public(reviewed_only=reviewed_only))


def report_is_public_reviewed(*, report: Report) -> bool:
    """Whether ``reports_public(reviewed_only=True)`` holds ``report``, read from its status."""
    return report.status not in statuses_not_public(reviewed_only=True)


def events_public(*, report: Report) -> QuerySet[ReportEvent]:
    return report.events.filter(visibility=Visibility.PUBLIC)


def reporter_identity_visible_to(*, user: User | None) -> bool:
    """Only IOC staff see who reported (Law 91/2025; Huế's rule of confidentiality)."""
    return user is not None and user.is_authenticated and Role(user.role).is_ioc_staff


def reports_visible_to(*, user: User) -> QuerySet[Report]:
    """What each role may read: IOC and leaders everything, agencies their own, citizens theirs."""
    role = Role(user.role)
    if role in (Role.OPERATOR, Role.ADMIN, Role.LEADER):
        return Report.objects.all()
    if role == Role.AGENCY_STAFF:
        return Report.objects.filter(agency=user.agency)
    return Report.objects.filter(reporter=user)


@dataclass(frozen=True)
class VisibleAttachment:
    file: FieldFile
    thumbnail: FieldFile
    is_public: bool


# How many times the blur job tries a photo before leaving it to the operators, and how long a
# photo may wait for its first try before the periodic job queues it again (a lost job).
BLUR_ATTEMPTS_MAX = 5
BLUR_RETRY_AFTER = timedelta(minutes=10)


def originals_visible_to(*, user: User | AnonymousUser | None) -> bool:
    """Only IOC staff (operators, administrators) see a photo as taken, faces and plates
    unblurred; agencies, leaders, reporters and the public get the blurred copy."""
    return reporter_identity_visible_to(user=user)  # type: ignore[arg-type]


def attachment_is_public(*, attachment: Attachment) -> bool:
    """Whether the photo has its blurred copy, so that it may be shown outside the IOC."""
    return attachment.blur_status == BlurStatus.BLURRED and bool(attachment.public_file)


def attachment_visible_to(*, pk: int, user: User | AnonymousUser) -> VisibleAttachment | None:
    """The photo's blurred copy if ``user`` may see its report (anyone, for public reviewed
    reports); None while it has none (detection pending or failed), for everyone."""
    attachment = Attachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None or not attachment_is_public(attachment=attachment):
        return None
    public = reports_public(reviewed_only=True).filter(pk=attachment.report_id).exists()
    if not public and not (
        user.is_authenticated
        and reports_visible_to(user=user).filter(pk=attachment.report_id).exists()
    ):
        return None
    return VisibleAttachment(attachment.public_file, attachment.public_thumbnail, is_public=public)


def attachment_original_for(*, pk: int, user: User | AnonymousUser) -> VisibleAttachment | None:
    """The photo as taken, for IOC staff only (``originals_visible_to``); None for others."""
    if not originals_visible_to(user=user):
        return None
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        return None
    return VisibleAttachment(attachment.file, attachment.thumbnail, is_public=False)


def attachment_urls(*, attachment: Attachment) -> dict[str, str]:
    """Where the photo's blurred copy and its thumbnail are served (relative to the site root);
    ask ``attachment_is_public`` first. The version changes with each new copy, so that no
    browser keeps showing one whose boxes an operator corrected."""
    version = f"?v={int(attachment.blurred_at.timestamp() * 1e6)}" if attachment.blurred_at else ""
    return {
        "url": reverse("portal:photo", args=[attachment.pk]) + version,
        "thumbnail_url": reverse("portal:thumbnail", args=[attachment.pk]) + version,
    }


def attachments_of(*, report: Report) -> list[Attachment]:
    """All of the report's photos, published or not, oldest first (for IOC staff)."""
    return list(report.attachments.order_by("created_at", "pk"))


def attachments_blur_waiting(*, limit: int = 200) -> QuerySet[Attachment]:
    """Photos without a public copy yet (detection pending or failed), oldest first: the
    operators' list of what the public cannot see, and why."""
    return (
        Attachment.objects.exclude(blur_status=BlurStatus.BLURRED)
        .select_related("report")
        .order_by("created_at", "pk")[:limit]
    )


def attachments_blur_due(*, now: datetime, limit: int = 100) -> list[int]:
    """Photos the periodic job queues again: not blurred after ``BLUR_RETRY_AFTER``, with
    fewer than ``BLUR_ATTEMPTS_MAX`` tries."""
    return list(
        Attachment.objects.exclude(blur_status=BlurStatus.BLURRED)
        .filter(blur_attempts__lt=BLUR_ATTEMPTS_MAX, created_at__lt=now - BLUR_RETRY_AFTER)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# --- the operations console --------------------------------------------------------------------

CONSOLE_ORDERS = ("urgent", "newest")


def reports_for_console(
    *,
    filters: ReportFilter,
    staff: StaffFilter | None = None,
    order: str = "urgent",
    reader: User | None = None,
) -> QuerySet[Report]:
    """Every report the filters select, for the IOC's queue; one query whatever the page size.

    ``urgent``: reports still in hand first, the nearest deadline (overdue ones) first;
    ``newest``: by submission time. Words are searched in the texts as ``reader`` may read them
    (as written for IOC staff, as the public reads them for leaders; ``ReportFilter.apply``).
    """
    as_written = reporter_identity_visible_to(user=reader)
    reports = filters.apply(Report.objects.all(), as_written=as_written)
    if staff is not None:
        reports = staff.apply(reports)
    reports = reports.select_related("category", "area", "agency")
    if order == "newest":
        return reports.order_by("-submitted_at", "-pk")
    in_hand = Case(
        When(status__in=ReportStatus.active(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return reports.annotate(waiting=in_hand).order_by(
        "waiting", F("due_at").asc(nulls_last=True), "-submitted_at", "-pk"
    )


def report_points_for_console(
    *,
    filters: ReportFilter,
    staff: StaffFilter | None = None,
    limit: int = 2000,
    reader: User | None = None,
) -> list[dict[str, Any]]:
    """The newest ``limit`` reports the filters select that have a location, as map points
    (words searched as in ``reports_for_console``)."""
    as_written = reporter_identity_visible_to(user=reader)
    reports = filters.apply(Report.objects.all(), as_written=as_written)
    if staff is not None:
        reports = staff.apply(reports)
    rows = (
        reports.filter(lat__isnull=False, lon__isnull=False)
        .order_by("-submitted_at", "-pk")
        .values(
            "pk", "lat", "lon", "status", "priority", "title", "description", "due_at",
            "category__name", "category__name_en",
        )[:limit]
    )  # fmt: skip
    return [dict(row) for row in rows]


def report_for_console(*, pk: int) -> Report | None:
    """One report with what its triage page shows beside it (IOC staff and leaders see all)."""
    return (
        Report.objects.select_related("category", "area", "agency", "reporter", "duplicate_of")
        .filter(pk=pk)
        .first()
    )


def events_for_console(*, report: Report) -> QuerySet[ReportEvent]:
    """The report's whole timeline, internal events included, oldest first."""
    return report.events.select_related("actor", "agency").order_by("created_at", "pk")


# --- the citizen portal ------------------------------------------------------------------------

_EARTH_RADIUS_M = 6_371_000.0
_METRES_PER_DEGREE = 111_320.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class NearbyReport:
    report: Report
    distance_m: float


def reports_similar_open(
    *,
    lat: float,
    lon: float,
    radius_m: float = 200,
    category: Category | None = None,
    limit: int = 5,
) -> list[NearbyReport]:
    """Public open reports of the last 30 days within ``radius_m`` of a point, nearest first.

    Shown before a citizen sends a report, so that they can follow an existing one instead;
    ``category`` narrows to the same field. Only reviewed reports: their content is public.
    """
    dlat = radius_m / _METRES_PER_DEGREE
    dlon = radius_m / (_METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    candidates = reports_public(reviewed_only=True).filter(
        status__in=ReportStatus.active(),
        submitted_at__gte=clock.now() - timedelta(days=30),
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    )
    if category is not None:
        candidates = candidates.filter(category=category)
    nearby = []
    for report in candidates.select_related("category", "area"):
        if report.lat is None or report.lon is None:  # excluded by the query; for the types
            continue
        distance = distance_m(lat, lon, report.lat, report.lon)
        if distance <= radius_m:
            nearby.append(NearbyReport(report, round(distance)))
    nearby.sort(key=lambda found: (found.distance_m, -found.report.pk))
    return nearby[:limit]


PUBLIC_COUNT_MAX_AGE = timedelta(seconds=30)


def report_count_public(*, filters: ReportFilter) -> int:
    """How many reviewed reports ``filters`` selects, counted at most ``PUBLIC_COUNT_MAX_AGE``
    ago. Counting reads every matching report, and every page of the public API shows the
    number: a busy list would count the same reports over and over."""
    key = "reports:public-count:" + hashlib.sha256(repr(filters).encode()).hexdigest()
    now = clock.now()
    cached = cache.get(key)
    if cached is not None:
        count, counted_at = cached
        if now - counted_at < PUBLIC_COUNT_MAX_AGE:
            return int(count)
    count = filters.apply(reports_public(reviewed_only=True)).count()
    cache.set(key, (count, now), timeout=int(PUBLIC_COUNT_MAX_AGE.total_seconds()))
    return count


def reports_public_list(*, filters: ReportFilter) -> QuerySet[Report]:
    """The public list of reviewed reports, narrowed by the one filter definition."""
    return filters.apply(reports_public(reviewed_only=True)).select_related(
        "category", "area", "agency"
    )


def report_points_public(*, filters: ReportFilter, limit: int = 500) -> list[dict[str, Any]]:
    """The newest ``limit`` public reports that have a location, as small map points."""
    rows = (
        filters.apply(reports_public(reviewed_only=True))
        .filter(lat__isnull=False, lon__isnull=False)
        .order_by("-submitted_at")
        .values("pk", "lat", "lon", "status", "title", "description", "category__code")[:limit]
    )
    return [dict(row) for row in rows]


def report_visible_to(*, pk: int, user: User | AnonymousUser) -> Report | None:
    """The report page's report: public once reviewed; before that, or hidden (rejected), only
    to those who may read it anyway (its reporter, the IOC, its agency)."""
    report = (
        Report.objects.select_related("category", "area", "agency", "reporter", "duplicate_of")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        return None
    if reports_public(reviewed_only=True).filter(pk=pk).exists():
        return report
    if user.is_authenticated and reports_visible_to(user=user).filter(pk=pk).exists():
        return report
    return None


def reporter_public_name(*, report: Report) -> str | None:
    """What the public may read about who reported: None when they chose to stay anonymous,
    else the reporter's given name only ("" when there is none, e.g. a hotline caller)."""
    if report.is_anonymous:
        return None
    return name_given(report.reporter.full_name) if report.reporter is not None else ""


def reports_reported_by(*, user: User) -> QuerySet[Report]:
    return Report.objects.filter(reporter=user).select_related("category", "area", "agency")


def reports_followed_by(*, user: User) -> QuerySet[Report]:
    """Reports ``user`` follows that they may still open (public, or their own)."""
    visible = Q(pk__in=reports_public(reviewed_only=True).values("pk")) | Q(reporter=user)
    return (
        Report.objects.filter(follows__user=user)
        .filter(visible)
        .select_related("category", "area", "agency")
        .order_by("-submitted_at")
    )


def report_followed_by(*, report: Report, user: User | AnonymousUser) -> bool:
    return user.is_authenticated and Follow.objects.filter(report=report, user=user).exists()


def personal_data_of(*, user: User) -> dict[str, Any]:
    """What reports keep about ``user``: their reports (with contact details and the public
    timeline), follows and ratings; the reports app's part of a personal-data export."""
    reports = (
        Report.objects.filter(reporter=user)
        .select_related("category", "area", "agency")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReportEvent.objects.filter(visibility=Visibility.PUBLIC),
                to_attr="public_events",
            )
        )
        .order_by("submitted_at", "pk")
    )
    return {
        "reports": [
            {
                "id": report.pk,
                "title": report.title,
                "description": report.description,
                "category": report.category.code,
                "address": report.address,
                "lat": report.lat,
                "lon": report.lon,
                "area": report.area.name if report.area else None,
                "status": report.status,
                "agency": report.agency.name if report.agency else None,
                "is_anonymous": report.is_anonymous,
                "contact_name": report.contact_name,
                "contact_phone": report.contact_phone,
                "contact_email": report.contact_email,
                "submitted_at": report.submitted_at.isoformat(),
                "due_at": report.due_at.isoformat() if report.due_at else None,
                "result": report.result_text,
                "timeline": [
                    {
                        "time": event.created_at.isoformat(),
                        "kind": event.kind,
                        "status": event.to_status,
                        "note": event.note,
                    }
                    for event in report.public_events
                ],
            }
            for report in reports
        ],
        "follows": [
            {"report": follow.report_id, "since": follow.created_at.isoformat()}
            for follow in Follow.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "ratings": [
            {
                "report": rating.report_id,
                "value": rating.value,
                "comment": rating.comment,
                "time": rating.created_at.isoformat(),
            }
            for rating in Rating.objects.filter(rater=user).order_by("created_at", "pk")
        ],
    }


def report_photos(*, report: Report) -> dict[str, list[dict[str, str]]]:
    """The report's photos by kind (``report``: the problem, ``result``: the agency's), as the
    URLs of their blurred copies; a photo not blurred yet is left out."""
    photos: dict[str, list[dict[str, str]]] = {kind: [] for kind in AttachmentKind.values}
    for attachment in report.attachments.all():
        if attachment_is_public(attachment=attachment):
            photos[attachment.kind].append(attachment_urls(attachment=attachment))
    return photos


def rating_current(*, report: Report) -> Rating | None:
    """The reporter's rating of the latest result (none yet, or none since a reopen)."""
    if report.resolved_at is None:
        return None
    return report.ratings.filter(created_at__gte=report.resolved_at).order_by("-created_at").first()


def reopening_current(*, report: Report) -> ReportEvent | None:
    """The reopening that started the report's current round of handling, while it lasts
    (None once the report is resolved again, or if it was never reopened)."""
    if not report.status_choice.is_active:
        return None
    return report.events.filter(kind=EventKind.REOPENED).order_by("-created_at", "-pk").first()


# --- the agency workspace ----------------------------------------------------------------------

AGENCY_INBOX_VIEWS = ("open", "resolved", "all")
"""The inbox's tabs: reports in hand, reports the agency resolved, everything it ever had."""


def _had_by_agency(agency: Agency) -> Q:
    """Reports assigned to ``agency`` now, or once (a return or reassignment keeps its events)."""
    return Q(agency=agency) | Q(pk__in=ReportEvent.objects.filter(agency=agency).values("report"))


def reports_for_agency(*, agency: Agency, view: str = "open") -> QuerySet[Report]:
    """An agency's inbox: ``open`` (in its hands, most urgent deadline first), ``resolved``
    (latest result first) or ``all`` (every report it had, latest change first).

    The reporter is joined only so that the workspace can hide their name where they wrote it
    into the text; it is never shown to an agency.
    """
    if view not in AGENCY_INBOX_VIEWS:
        raise ValueError(f"unknown inbox view {view!r}")
    reports = Report.objects.select_related("category", "area", "reporter")
    if view == "open":
        return reports.filter(agency=agency, status__in=ReportStatus.active()).order_by(
            F("due_at").asc(nulls_last=True), "submitted_at", "pk"
        )
    if view == "resolved":
        return (
            reports.filter(agency=agency, resolved_at__isnull=False)
            .exclude(status__in=ReportStatus.active())
            .order_by("-resolved_at", "-pk")
        )
    return reports.filter(_had_by_agency(agency)).order_by("-updated_at", "-pk")


def agency_inbox_counts(*, agency: Agency, at: datetime) -> dict[str, int]:
    """How many reports the agency has in hand, how many of those are overdue, how many it
    resolved (one query)."""
    active = Q(status__in=ReportStatus.active())
    return Report.objects.filter(agency=agency).aggregate(
        open=Count("pk", filter=active),
        overdue=Count("pk", filter=active & Q(due_at__lt=at)),
        resolved=Count("pk", filter=~active & Q(resolved_at__isnull=False)),
    )


def report_for_agency(*, pk: int, agency: Agency) -> Report | None:
    """The report if it is, or once was, assigned to ``agency``; None for anything else."""
    return (
        Report.objects.select_related("category", "area", "agency", "reporter")
        .filter(_had_by_agency(agency), pk=pk)
        .first()
    )


def events_for_agency(*, report: Report, agency: Agency) -> QuerySet[ReportEvent]:
    """The timeline an agency reads: every step (internal ones too) while the report is its
    own; once it left, the public steps and the agency's own."""
    events = report.events.select_related("agency")
    if report.agency_id == agency.pk:
        return events
    return events.filter(Q(visibility=Visibility.PUBLIC) | Q(agency=agency))
