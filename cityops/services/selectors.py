"""Reads: the KPIs of offices, officers and procedures, and the public ranking of offices.

- **n**: the ratings counted.
- **response rate**: ratings that came through a dossier's QR code ÷ dossiers issued with one
  (desk and tablet ratings have no dossier, so they count in n but not here).
- **satisfied**: (Rất hài lòng + Hài lòng) ÷ n.
- **criteria**: per criterion, the share of its answers that were "good" (3), over the ratings
  that answered it.

Every figure is hidden below ``MIN_RATINGS`` (10) of what it counts: a share of three ratings
says nothing, and could point at the one person served that morning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from cityops.accounts.access import IOC_READERS, has_role
from cityops.accounts.choices import Role
from cityops.services.choices import Criterion, Level, Score
from cityops.services.models import Dossier, Office, Officer, Procedure, Rating

MIN_RATINGS = 10  # the same bar as the agencies' ranking (stats.kpis.RANKING_MIN_PROCESSED)


@dataclass(frozen=True)
class Share:
    """A share with what it was counted over; ``value`` is None (shown "—") below the bar."""

    count: int
    total: int

    @property
    def shown(self) -> bool:
        return self.total >= MIN_RATINGS

    @property
    def value(self) -> float | None:
        return self.count / self.total if self.shown and self.total else None

    @property
    def percent(self) -> int | None:
        value = self.value
        return None if value is None else round(value * 100)


@dataclass
class Kpi:
    """The KPIs of one office, officer or procedure."""

    key: int
    name: str
    n: int = 0
    satisfied: int = 0
    very_satisfied: int = 0
    dissatisfied: int = 0
    dossier_ratings: int = 0
    dossiers: int = 0
    good: dict[str, int] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)

    @property
    def enough(self) -> bool:
        return self.n >= MIN_RATINGS

    @property
    def satisfied_share(self) -> Share:
        return Share(self.satisfied + self.very_satisfied, self.n)

    @property
    def response(self) -> Share:
        return Share(self.dossier_ratings, self.dossiers)

    @property
    def criteria(self) -> list[tuple[str, Share]]:
        return [
            (str(label), Share(self.good.get(code, 0), self.answered.get(code, 0)))
            for code, label in Criterion.choices
        ]


def offices_for(user: object) -> QuerySet[Office]:
    """The offices whose KPIs ``user`` reads: IOC readers all, agency staff their agency's."""
    offices = Office.objects.select_related("agency")
    if has_role(user, IOC_READERS):
        return offices
    if has_role(user, (Role.AGENCY_STAFF,)):
        agency_id: int = user.agency_id  # type: ignore[attr-defined]
        return offices.filter(agency_id=agency_id)
    return offices.none()


def _ratings(offices: Iterable[int], since: datetime | None) -> QuerySet[Rating]:
    ratings = Rating.objects.filter(office_id__in=list(offices))
    return ratings.filter(created_at__gte=since) if since else ratings


def _aggregated(ratings: QuerySet[Rating], by: str) -> dict[int, dict[str, int]]:
    counts = {
        "n": Count("pk"),
        "very_satisfied": Count("pk", filter=Q(level=Level.VERY_SATISFIED)),
        "satisfied": Count("pk", filter=Q(level=Level.SATISFIED)),
        "dissatisfied": Count("pk", filter=Q(level=Level.DISSATISFIED)),
        "dossier_ratings": Count("pk", filter=Q(dossier__isnull=False)),
    }
    for criterion in Criterion.values:
        counts[f"good_{criterion}"] = Count("pk", filter=Q(**{criterion: Score.GOOD}))
        counts[f"answered_{criterion}"] = Count("pk", filter=Q(**{f"{criterion}__isnull": False}))
    rows = ratings.exclude(**{f"{by}__isnull": True}).values(by).annotate(**counts).order_by()
    return {row.pop(by): row for row in rows}


def _kpi(key: int, name: str, row: dict[str, int] | None, dossiers: int) -> Kpi:
    kpi = Kpi(key=key, name=name, dossiers=dossiers)
    if row:
        kpi.n, kpi.satisfied = row["n"], row["satisfied"]
        kpi.very_satisfied, kpi.dissatisfied = row["very_satisfied"], row["dissatisfied"]
        kpi.dossier_ratings = row["dossier_ratings"]
        kpi.good = {c: row[f"good_{c}"] for c in Criterion.values}
        kpi.answered = {c: row[f"answered_{c}"] for c in Criterion.values}
    return kpi


def _dossiers(offices: Iterable[int], since: datetime | None, by: str) -> dict[int, int]:
    dossiers = Dossier.objects.filter(desk__office_id__in=list(offices))
    if since:
        dossiers = dossiers.filter(issued_at__gte=since)
    rows = dossiers.exclude(**{f"{by}__isnull": True}).values(by).annotate(n=Count("pk"))
    return {row[by]: row["n"] for row in rows.order_by()}


@dataclass(frozen=True)
class ServiceKpis:
    offices: list[Kpi]
    officers: list[Kpi]
    procedures: list[Kpi]


def service_kpis(*, offices: QuerySet[Office], since: datetime | None = None) -> ServiceKpis:
    """KPIs per office, officer and procedure of ``offices`` (ratings since ``since``)."""
    office_list = list(offices.order_by("name"))
    ids = [office.pk for office in office_list]
    ratings = _ratings(ids, since)
    by_office = _aggregated(ratings, "office")
    by_officer = _aggregated(ratings, "officer")
    by_procedure = _aggregated(ratings, "procedure")
    issued_office = _dossiers(ids, since, "desk__office")
    issued_officer = _dossiers(ids, since, "officer")
    issued_procedure = _dossiers(ids, since, "procedure")
    # Two officers may share a name: their staff codes tell them apart.
    officer_names = {
        pk: f"{name} ({code})" if code else name
        for pk, name, code in Officer.objects.filter(office_id__in=ids).values_list(
            "pk", "name", "staff_code"
        )
    }
    procedure_keys = set(by_procedure) | set(issued_procedure)
    procedure_names = dict(
        Procedure.objects.filter(pk__in=procedure_keys).values_list("pk", "name")
    )
    return ServiceKpis(
        offices=[
            _kpi(o.pk, o.name, by_office.get(o.pk), issued_office.get(o.pk, 0)) for o in office_list
        ],
        officers=sorted(
            (
                _kpi(pk, name, by_officer.get(pk), issued_officer.get(pk, 0))
                for pk, name in officer_names.items()
            ),
            key=lambda kpi: kpi.name,
        ),
        procedures=sorted(
            (
                _kpi(pk, name, by_procedure.get(pk), issued_procedure.get(pk, 0))
                for pk, name in procedure_names.items()
            ),
            key=lambda kpi: kpi.name,
        ),
    )


@dataclass(frozen=True)
class RankedOffice:
    kpi: Kpi
    code: str
    agency: str
    position: int | None  # None: too few ratings to be ranked


def offices_ranking(
    *, since: datetime | None = None, minimum: int = MIN_RATINGS
) -> list[RankedOffice]:
    """Active offices best first by the share satisfied, then the share very satisfied, then
    the response rate; ranked only with at least ``minimum`` ratings (the agencies' rule,
    ``stats.kpis.agency_ranking``): equal scores share a position (1, 1, 3), and the others
    follow unranked, by volume."""
    offices = Office.objects.filter(is_active=True).select_related("agency")
    agencies = {office.pk: office.agency.name for office in offices}
    codes = {office.pk: office.code for office in offices}
    table = service_kpis(offices=offices, since=since).offices

    def score(kpi: Kpi) -> tuple[float, float, float]:
        return (
            -(kpi.satisfied + kpi.very_satisfied) / kpi.n,
            -kpi.very_satisfied / kpi.n,
            -(kpi.dossier_ratings / kpi.dossiers if kpi.dossiers else 0.0),
        )

    eligible = sorted((k for k in table if k.n >= minimum), key=lambda k: (score(k), k.name))
    ranked: list[RankedOffice] = []
    for index, kpi in enumerate(eligible):
        tied = ranked and score(ranked[-1].kpi) == score(kpi)
        position = ranked[-1].position if tied else index + 1
        ranked.append(RankedOffice(kpi, codes[kpi.key], agencies[kpi.key], position))
    rest = sorted((k for k in table if k.n < minimum), key=lambda k: (-k.n, k.name))
    return ranked + [RankedOffice(kpi, codes[kpi.key], agencies[kpi.key], None) for kpi in rest]
