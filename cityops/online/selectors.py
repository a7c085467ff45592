"""Reads of online services: the catalogue, who may read an application, the agency's list
and the dashboard's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from cityops.accounts.access import IOC_READERS, has_role
from cityops.accounts.choices import Role
from cityops.intel.text import fold
from cityops.online.choices import ApplicationStatus as S
from cityops.online.models import Application, ApplicationDocument, Fee, OnlineService

FINISHED = (S.DONE, S.REFUSED)


def catalogue(*, query: str = "") -> list[OnlineService]:
    """The offered services, with today's fee (``fee_today``), filtered by words of the query
    (accents and case ignored) in the name, code or agency."""
    from cityops.online.services import fee_on
    from cityops.platform import clock
    from cityops.reports.deadlines import working_calendar

    today = clock.now().astimezone(working_calendar().tz).date()
    services = list(
        OnlineService.objects.filter(is_active=True)
        .select_related("agency")
        .prefetch_related("fees")
        .order_by("name")
    )
    words = fold(query).split()
    if words:
        services = [
            s
            for s in services
            if all(
                w in fold(f"{s.name} {s.name_en} {s.procedure_code} {s.agency.name}") for w in words
            )
        ]
    for service in services:
        fee = fee_on(service=service, day=today)
        service.fee_today = fee.amount_vnd if fee else 0  # type: ignore[attr-defined]
    return services


def service_offered(*, code: str) -> OnlineService | None:
    return OnlineService.objects.select_related("agency").filter(code=code, is_active=True).first()


def may_read(user: Any, application: Application) -> bool:
    """The applicant, the responsible agency's staff, and the IOC's readers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if application.applicant_id == user.pk:
        return True
    if has_role(user, (Role.AGENCY_STAFF,)):
        return bool(user.agency_id == application.service.agency_id)
    return has_role(user, IOC_READERS)


def may_process(user: Any, application: Application) -> bool:
    return has_role(user, (Role.AGENCY_STAFF,)) and user.agency_id == application.service.agency_id


def application_for(*, user: Any, number: str) -> Application | None:
    """The application if ``user`` may read it, else None (the caller answers 404)."""
    application = (
        Application.objects.select_related("service", "service__agency", "applicant", "payment")
        .filter(number=number)
        .first()
    )
    if application is None or not may_read(user, application):
        return None
    return application


def document_for(*, user: Any, number: str, pk: int) -> ApplicationDocument | None:
    application = application_for(user=user, number=number)
    if application is None:
        return None
    return application.documents.filter(pk=pk).first()


def applications_of(*, user: Any) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("service")


def applications_for_agency(*, agency_id: int | None, status: str = "") -> QuerySet[Application]:
    """An agency's applications (all agencies for None), the earliest deadline first; those
    still waiting for their fee are not the agency's yet."""
    applications = Application.objects.exclude(status=S.AWAITING_PAYMENT).select_related(
        "service", "service__agency"
    )
    if agency_id is not None:
        applications = applications.filter(service__agency_id=agency_id)
    if status == "open":
        applications = applications.filter(status__in=(S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO))
    elif status:
        applications = applications.filter(status=status)
    return applications.order_by("finished_at", "due_at", "pk")


def fees_used(*, fee: Fee) -> bool:
    """Whether an application was charged with this fee row (then it may not change)."""
    later = fee.service.fees.filter(valid_from__gt=fee.valid_from).order_by("valid_from").first()
    applications = Application.objects.filter(
        service=fee.service, fee_vnd__gt=0, created_at__date__gte=fee.valid_from
    )
    if later is not None:
        applications = applications.filter(created_at__date__lt=later.valid_from)
    return applications.exists()


@dataclass
class Figures:
    """One row of the dashboard: received in the period, of them finished, on time, late, and
    still open past the deadline now."""

    name: str
    received: int = 0
    processed: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.processed) if self.processed else None


def dashboard_figures(*, since: datetime, now: datetime) -> dict[str, Any]:
    """Applications received since ``since`` (submitted_at), in total, by agency and by service."""
    received = (
        Application.objects.filter(submitted_at__gte=since, submitted_at__lte=now)
        .select_related("service", "service__agency")
        .order_by()
    )
    total = Figures(name="")
    agencies: dict[int, Figures] = {}
    services: dict[int, Figures] = {}
    overdue: list[Application] = []
    for application in received:
        service = application.service
        rows = (
            total,
            agencies.setdefault(service.agency_id, Figures(name=service.agency.name)),
            services.setdefault(service.pk, Figures(name=service.name)),
        )
        for row in rows:
            _count(row, application, now)
        if _overdue(application, now):
            overdue.append(application)
    key = lambda row: (-row.received, row.name)  # noqa: E731
    return {
        "total": total,
        "agencies": sorted(agencies.values(), key=key),
        "services": sorted(services.values(), key=key),
        # The applications behind the "overdue" figure, the longest overdue first.
        "overdue": sorted(overdue, key=lambda application: (application.due_at, application.pk)),
    }


def _overdue(application: Application, now: datetime) -> bool:
    """Still open (neither finished nor withdrawn) past its deadline ``now``."""
    return (
        application.status not in (*FINISHED, S.WITHDRAWN)
        and application.due_at is not None
        and application.due_at < now
    )


def _count(row: Figures, application: Application, now: datetime) -> None:
    row.received += 1
    due = application.due_at
    if application.status in FINISHED and application.finished_at is not None:
        row.processed += 1
        if due is None or application.finished_at <= due:
            row.on_time += 1
        else:
            row.late += 1
    elif application.status != S.WITHDRAWN:
        row.open += 1
        if _overdue(application, now):
            row.overdue += 1


def day_of(moment: datetime) -> date:
    from cityops.reports.deadlines import working_calendar

    return moment.astimezone(working_calendar().tz).date()
