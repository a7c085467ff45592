"""Reads about reports shared by every channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.agencies.choices import AgencyKind
from cityops.agencies.models import Agency, Area
from cityops.reports.choices import ReportStatus, StatusGroup, Visibility
from cityops.reports.models import Attachment, Category, Report, ReportEvent, RoutingRule


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


def reports_public(*, reviewed_only: bool = False) -> QuerySet[Report]:
    """Reports the public may see; ``reviewed_only`` also leaves out those not yet triaged."""
    hidden = ReportStatus.in_group(StatusGroup.HIDDEN)
    if reviewed_only:
        hidden.append(ReportStatus.SUBMITTED)
    return Report.objects.exclude(status__in=hidden)


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


def report_counts_public(*, at: datetime) -> dict[str, int]:
    """Headline figures for the public: received, processed, processed on time, overdue now."""
    public = reports_public()
    done = public.filter(resolved_at__isnull=False)
    return {
        "received": public.count(),
        "processed": done.count(),
        "on_time": done.filter(Q(due_at__isnull=True) | Q(resolved_at__lte=F("due_at"))).count(),
        "overdue": public.filter(status__in=ReportStatus.active(), due_at__lt=at).count(),
    }


@dataclass(frozen=True)
class VisibleAttachment:
    file: FieldFile
    thumbnail: FieldFile
    is_public: bool


def attachment_visible_to(*, pk: int, user: User | AnonymousUser) -> VisibleAttachment | None:
    """The photo if ``user`` may see its report: anyone for public reviewed reports."""
    attachment = Attachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None:
        return None
    public = reports_public(reviewed_only=True).filter(pk=attachment.report_id).exists()
    if not public and not (
        user.is_authenticated
        and reports_visible_to(user=user).filter(pk=attachment.report_id).exists()
    ):
        return None
    return VisibleAttachment(attachment.file, attachment.thumbnail, is_public=public)


def attachment_urls(*, attachment: Attachment) -> dict[str, str]:
    """Where the photo and its thumbnail are served (relative to the site root)."""
    return {
        "url": reverse("portal:photo", args=[attachment.pk]),
        "thumbnail_url": reverse("portal:thumbnail", args=[attachment.pk]),
    }
