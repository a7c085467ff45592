"""Reads of the violations domain, each for whom it serves.

Owners' data never comes out of here: staff lists and pages get cases with the owner's fields
deferred (``owner_recorded_at`` says whether the owner is on record), officers read the owner
through ``services.case_owner_view`` (a step of the case each time), and the public lookup
gets a case whose owner fields are blanked and whose frames carry no original.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import Count, Max, Prefetch, QuerySet

from cityops.monitoring.models import Sensor
from cityops.platform.errors import NotFound
from cityops.violations.choices import CaseStatus, EvidenceKind
from cityops.violations.models import Case, Evidence
from cityops.violations.plates import plate_or_none

OWNER_FIELDS = ("owner_name", "owner_address")
NUMBER_MAX = 20


class RepeatOffender(NamedTuple):
    plate: str
    count: int  # type: ignore[assignment]  # the field, not tuple.count
    last_at: datetime


class HotSpot(NamedTuple):
    camera: Sensor
    rule: str
    count: int  # type: ignore[assignment]  # the field, not tuple.count
    lat: float
    lon: float


def cases_for_staff(
    *,
    status: str | None = None,
    rule: str | None = None,
    plate: str | None = None,
    camera: Sensor | str | int | None = None,
) -> QuerySet[Case]:
    """Cases, newest first, for officers and IOC readers; ``plate`` matches a whole plate
    however it is written (``75a12345``) or the start of one (``75A-123``)."""
    cases = Case.objects.select_related("camera", "area").defer(*OWNER_FIELDS)
    if status:
        cases = cases.filter(status=status)
    if rule:
        cases = cases.filter(rule=rule)
    if plate:
        whole = plate_or_none(plate)
        text = whole.text if whole is not None else plate.strip().upper()
        cases = cases.filter(plate__startswith=text)
    if isinstance(camera, Sensor):
        cases = cases.filter(camera_id=camera.pk)
    elif isinstance(camera, int):
        cases = cases.filter(camera_id=camera)
    elif camera:
        cases = cases.filter(camera__code=camera)
    return cases.order_by("-observed_at", "-pk")


def case_for_staff(*, pk: int) -> Case:
    """One case with its evidence (in chain order) and its officers; NotFound if none."""
    case = (
        Case.objects.select_related("camera", "area", "reviewed_by", "decided_by")
        .defer(*OWNER_FIELDS)
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("position")))
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound(f"There is no case {pk}.")
    return case


def case_public(*, number: str, code: str) -> Case | None:
    """The case the notice's number and code open, as its recipient may see it; None for a
    wrong number or code, or a case no notice went out for (all alike to the caller).

    The owner's fields are blanked and only frames come with it, each without its original.
    """
    number, code = (number or "").strip().upper(), (code or "").strip().upper()
    if not number or not code or len(number) > NUMBER_MAX:
        return None
    case = (
        Case.objects.select_related("camera", "area")
        .defer(*OWNER_FIELDS)
        .filter(number=number, status__in=CaseStatus.public_values())
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(kind=EvidenceKind.FRAME).order_by("position"),
            )
        )
        .first()
    )
    if case is None or not secrets.compare_digest(case.lookup_code.encode(), code.encode()):
        return None
    case.owner_name = case.owner_address = ""
    for frame in case.evidence.all():
        frame.file.name = ""  # the original is not the public's, even by mistake
    return case


def case_public_frames(*, case: Case) -> list[Evidence]:
    """The frames of a case ``case_public`` gave that have a blurred copy (the others have no
    public image at all)."""
    return [
        item for item in case.evidence.all() if item.kind == EvidenceKind.FRAME and item.public_file
    ]


def repeat_offenders(*, since: datetime, minimum: int = 2, limit: int = 50) -> list[RepeatOffender]:
    """Plates with at least ``minimum`` cases since ``since`` (rejected cases do not count),
    most cases first."""
    rows = (
        Case.objects.filter(observed_at__gte=since)
        .exclude(status=CaseStatus.REJECTED)
        .values("plate")
        .annotate(count=Count("pk"), last_at=Max("observed_at"))
        .filter(count__gte=minimum)
        .order_by("-count", "-last_at", "plate")[:limit]
    )
    return [RepeatOffender(row["plate"], row["count"], row["last_at"]) for row in rows]


def hot_spots(*, since: datetime, limit: int = 50) -> list[HotSpot]:
    """Cameras and rules with the most cases since ``since`` (rejected cases do not count)."""
    rows: list[dict[str, Any]] = list(
        Case.objects.filter(observed_at__gte=since)
        .exclude(status=CaseStatus.REJECTED)
        .values("camera_id", "rule")
        .annotate(count=Count("pk"))
        .order_by("-count", "camera_id", "rule")[:limit]
    )
    cameras = Sensor.objects.in_bulk({row["camera_id"] for row in rows})
    return [
        HotSpot(
            camera=cameras[row["camera_id"]],
            rule=row["rule"],
            count=row["count"],
            lat=cameras[row["camera_id"]].lat,
            lon=cameras[row["camera_id"]].lon,
        )
        for row in rows
    ]
