"""Demo users and ninety days of Huế field reports, replayed through the real workflow.

Nothing here writes a report's status: every report is submitted and moved by
``cityops.reports.workflow`` inside ``clock.frozen_at``, so timelines, deadlines, ratings and
KPIs are exactly what the live system would have produced.
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TypeVar

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape
from tqdm import tqdm

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.accounts.services import user_create
from cityops.agencies.choices import AgencyKind
from cityops.agencies.models import Agency, Area
from cityops.demo import demo_texts as texts
from cityops.demo.hue import catalogue
from cityops.demo.replay import Cast, Life
from cityops.demo.report_templates import TEMPLATES
from cityops.platform import clock
from cityops.platform.errors import Conflict
from cityops.reports import workflow
from cityops.reports.choices import Channel, ReportStatus
from cityops.reports.models import Category, Report
from cityops.reports.selectors import agency_suggested_for

S = ReportStatus
K = TypeVar("K")
DEFAULT_PASSWORD = "cityops-demo"  # noqa: S105 -- the documented demo password, not a secret

# (label, username, role, agency code, agency lead)
_ROLE_USERS = (
    ("Citizen", "demo-citizen", Role.CITIZEN, None, False),
    ("IOC operator", "demo-operator", Role.OPERATOR, None, False),
    (
        "Agency staff (Sở Xây dựng, lead)",
        "demo-agency",
        Role.AGENCY_STAFF,
        catalogue.CONSTRUCTION_DEPARTMENT,
        True,
    ),
    ("Agency staff (HEPCO)", "demo-hepco", Role.AGENCY_STAFF, catalogue.HEPCO, False),
    ("Leader", "demo-leader", Role.LEADER, None, False),
    ("Enforcement officer", "demo-officer", Role.OFFICER, None, False),
    ("Enforcement officer (second)", "demo-officer-2", Role.OFFICER, None, False),
    ("Administrator", "demo-admin", Role.ADMIN, None, False),
)
_CITIZENS = 30

CATEGORY_WEIGHTS = {
    "sanitation": 22,
    "urban-infrastructure": 20,
    "traffic-infrastructure": 18,
    "construction-order": 12,
    "public-order": 10,
    "other": 7,
    "tourism": 6,
    "administrative-conduct": 5,
}
CHANNEL_WEIGHTS = {
    Channel.APP: 40,
    Channel.WEB: 20,
    Channel.HOTLINE: 15,
    Channel.ZALO: 15,
    Channel.FACEBOOK: 10,
}
# The fates a report's life ends in, beyond those every seed covers at least twice.
FATE_WEIGHTS = {
    S.CLOSED: 50,
    S.REJECTED: 12,
    S.IN_PROGRESS: 10,
    S.DUPLICATE: 9,
    S.RESOLVED: 6,
    S.SUBMITTED: 5,
    S.ASSIGNED: 5,
    S.ACCEPTED: 3,
}
# How old, in hours, a report with this fate may be (the most recent ones are still open).
FATE_AGES = {
    S.SUBMITTED: (0.2, 10),
    S.ACCEPTED: (1, 30),
    S.ASSIGNED: (3, 96),
    S.IN_PROGRESS: (24, 14 * 24),
    S.RESOLVED: (3 * 24, 20 * 24),
    S.CLOSED: (10 * 24, 10_000),
    S.REJECTED: (6, 10_000),
}
# Now and then a report ages in a queue long past its deadline.
STALE_AGES = {S.SUBMITTED: (10, 72), S.ASSIGNED: (96, 20 * 24), S.IN_PROGRESS: (14 * 24, 45 * 24)}
# The old city centre, where most reports come from (Phú Xuân, Thuận Hóa, Vỹ Dạ, An Cựu).
CORE_AREAS = {catalogue.PHU_XUAN, catalogue.THUAN_HOA, catalogue.VY_DA, catalogue.AN_CUU}
URBAN_AREAS = {"19774", "19813", "19804", "19909", "19930", "19960", "19969"}


def demo_password() -> str:
    return os.environ.get("CITYOPS_DEMO_PASSWORD") or DEFAULT_PASSWORD


def demo_credentials() -> list[tuple[str, str, str]]:
    """(role, username, password) of the demo sign-ins that exist, for ``cityops run`` to print."""
    password = demo_password()
    existing = set(
        User.objects.filter(is_demo=True, username__in=[row[1] for row in _ROLE_USERS]).values_list(
            "username", flat=True
        )
    )
    return [
        (label, username, password) for label, username, *_ in _ROLE_USERS if username in existing
    ]


def demo_data_exists() -> bool:
    return (
        Report.objects.filter(is_demo=True).exists() or User.objects.filter(is_demo=True).exists()
    )


# --- people ------------------------------------------------------------------------------------


def _user(
    username: str,
    role: Role,
    *,
    password: str | None,
    agency: Agency | None = None,
    lead: bool = False,
    full_name: str = "",
) -> User:
    """The existing user of that name, or a new demo user; a clash of roles is refused."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        if user.role != role or (agency is not None and user.agency_id != agency.pk):
            raise Conflict(
                f"User {username!r} already exists as {user.role}; the demo needs "
                f"it as {role}. Rename that user or seed without demo data."
            )
        return user
    return user_create(
        username=username,
        password=password,
        role=role,
        agency=agency,
        is_agency_lead=lead,
        full_name=full_name,
        email=f"{username}@example.com",
        is_demo=True,
    )


def _role_users() -> dict[str, User]:
    password = demo_password()
    users = {}
    for _label, username, role, agency_code, lead in _ROLE_USERS:
        agency = Agency.objects.get(code=agency_code) if agency_code else None
        users[username] = _user(username, role, password=password, agency=agency, lead=lead)
    return users


def _citizens(rng: random.Random, main: User) -> list[User]:
    citizens = [main]
    for number in range(1, _CITIZENS + 1):
        # Demo citizens only report; they get no usable password.
        citizens.append(
            _user(
                f"demo-citizen-{number:02d}",
                Role.CITIZEN,
                password=None,
                full_name=f"{rng.choice(texts.FAMILY_NAMES)} {rng.choice(texts.GIVEN_NAMES)}",
            )
        )
    return citizens


def _staff_finder(users: dict[str, User]) -> dict[int, User]:
    return {user.agency_id: user for user in users.values() if user.agency_id is not None}


# --- where ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    area: Area
    lat: float
    lon: float
    address: str
    text: dict[str, str]


def _area_weight(area: Area) -> int:
    return 10 if area.code in CORE_AREAS else 3 if area.code in URBAN_AREAS else 1


def _place(rng: random.Random, area: Area) -> Place:
    polygon = shape(area.boundary) if area.boundary else None
    lat, lon = area.centroid_lat, area.centroid_lon
    if polygon is not None:
        minx, miny, maxx, maxy = polygon.bounds
        spread_x, spread_y = (maxx - minx) / 8, (maxy - miny) / 8
        for _ in range(30):
            x = round(rng.gauss(area.centroid_lon, spread_x), 6)
            y = round(rng.gauss(area.centroid_lat, spread_y), 6)
            if polygon.contains(Point(x, y)):
                lat, lon = y, x
                break
        else:
            # An imported boundary need not contain the package's centroid.
            inside = polygon.representative_point()
            lat, lon = round(inside.y, 6), round(inside.x, 6)
    central = area.code in CORE_AREAS | URBAN_AREAS
    street = rng.choice(texts.CENTRAL_STREETS if central else texts.OUTER_STREETS)
    landmark = rng.choice(texts.CENTRAL_PLACES if central else texts.OUTER_PLACES)
    numbered = f"{rng.randint(1, 320)} {street}" if central else street
    return Place(
        area,
        lat,
        lon,
        f"{numbered}, {area.name}, thành phố Huế",
        {"street": numbered, "place": landmark, "area": area.name},
    )


# --- what and when --------------------------------------------------------------------------


@dataclass
class Plan:
    at: datetime
    fate: ReportStatus
    category: Category
    template: tuple[str, str, str]
    place: Place
    channel: Channel
    original: Plan | None = None
    report: Report | None = None


def _pick(rng: random.Random, weights: Mapping[K, int]) -> K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fates(rng: random.Random, count: int) -> list[ReportStatus]:
    """Every status at least twice (once for tiny seeds), the rest by weight."""
    each = 2 if count >= 2 * len(S) else 1 if count >= len(S) else 0
    fates = [status for status in S for _ in range(each)]
    fates += [_pick(rng, FATE_WEIGHTS) for _ in range(count - len(fates))]
    rng.shuffle(fates)
    return fates


def _age(rng: random.Random, fate: ReportStatus, days: int) -> timedelta:
    low, high = FATE_AGES[fate]
    if fate in STALE_AGES and rng.random() < 0.25:
        low, high = STALE_AGES[fate]
    hours = rng.uniform(low, min(high, days * 24))
    return timedelta(hours=min(hours, days * 24))


def _plans(rng: random.Random, *, count: int, days: int, horizon: datetime) -> list[Plan]:
    categories = {c.code: c for c in Category.objects.filter(code__in=CATEGORY_WEIGHTS)}
    areas = list(Area.objects.all())
    weights = [_area_weight(area) for area in areas]
    plans: list[Plan] = []
    duplicates: list[int] = []
    for position, fate in enumerate(_fates(rng, count)):
        if fate == S.DUPLICATE:
            duplicates.append(position)
            continue
        code = _pick(rng, CATEGORY_WEIGHTS)
        plans.append(
            Plan(
                at=horizon - _age(rng, fate, days),
                fate=fate,
                category=categories[code],
                template=rng.choice(TEMPLATES[code]),
                place=_place(rng, rng.choices(areas, weights=weights)[0]),
                channel=_pick(rng, CHANNEL_WEIGHTS),
            )
        )
    originals = [p for p in plans if p.fate != S.REJECTED and p.at < horizon - timedelta(days=1)]
    originals = originals or [p for p in plans if p.fate != S.REJECTED]
    for _ in duplicates:
        if not originals:
            break
        original = rng.choice(originals)
        gap = min(timedelta(hours=rng.uniform(1, 72)), (horizon - original.at) / 2)
        plans.append(
            Plan(
                at=original.at + gap,
                fate=S.DUPLICATE,
                category=original.category,
                template=original.template,
                place=_place(rng, original.place.area),
                channel=_pick(rng, CHANNEL_WEIGHTS),
                original=original,
            )
        )
    return sorted(plans, key=lambda plan: plan.at)


def _submit(plan: Plan, rng: random.Random, citizens: list[User], operator: User) -> Report:
    """A citizen's report; a hotline call is typed in (and so recorded) by the operator."""
    reporter: User | None = None
    contact_name = contact_phone = ""
    if plan.channel in (Channel.APP, Channel.WEB) or rng.random() < 0.5:
        reporter = rng.choice(citizens)
    else:
        contact_name = f"{rng.choice(texts.FAMILY_NAMES)} {rng.choice(texts.GIVEN_NAMES)}"
        if plan.channel == Channel.HOTLINE:
            # 012x numbers left service in 2018: fake on purpose.
            contact_phone = f"0120{rng.randrange(10**6):06d}"
    title, description, _outcome = plan.template
    with clock.frozen_at(plan.at):
        return workflow.report_submit(
            title=title,
            description=description.format(**plan.place.text),
            category=plan.category,
            channel=plan.channel,
            reporter=reporter,
            lat=plan.place.lat,
            lon=plan.place.lon,
            address=plan.place.address,
            is_anonymous=reporter is not None and rng.random() < 0.15,
            contact_name=contact_name,
            contact_phone=contact_phone,
            recorded_by=operator if plan.channel == Channel.HOTLINE else None,
            is_demo=True,
        )


@cache
def _suggested(category_id: int, area_id: int) -> Agency | None:
    category = Category.objects.get(pk=category_id)
    return agency_suggested_for(category=category, area=Area.objects.get(pk=area_id))


# --- the seed -------------------------------------------------------------------------------


@transaction.atomic
def seed_demo(
    *, reports: int = 300, days: int = 90, seed: int = 2025, progress: bool = True
) -> dict[str, int]:
    """Demo users and ``reports`` reports over the last ``days`` days; needs the configuration."""
    rng = random.Random(seed)
    # Two minutes of margin: no frozen moment may ever lie in the real future.
    horizon = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=2)
    users = _role_users()
    citizens = _citizens(rng, users["demo-citizen"])
    staff = _staff_finder(users)

    def staff_of(agency: Agency) -> User:
        if agency.pk not in staff:
            staff[agency.pk] = _user(
                f"demo-staff-{agency.code}", Role.AGENCY_STAFF, password=None, agency=agency
            )
        return staff[agency.pk]

    cast = Cast(
        operator=users["demo-operator"],
        staff_of=staff_of,
        ioc_agency=Agency.objects.get(code=catalogue.IOC),
        other_agencies=tuple(
            Agency.objects.exclude(kind__in=[AgencyKind.IOC, AgencyKind.COMMITTEE])
        ),
    )
    _suggested.cache_clear()
    plans = _plans(rng, count=reports, days=days, horizon=horizon)
    for plan in tqdm(plans, desc="Demo reports", unit="report", disable=not progress):
        report = _submit(plan, rng, citizens, cast.operator)
        agency = _suggested(plan.category.pk, report.area_id) if report.area_id else None
        original = plan.original.report if plan.original else None
        plan.report = Life(report, rng=rng, horizon=horizon, cast=cast).live(
            plan.fate, agency=agency, outcome=plan.template[2], original=original
        )
    escalated = workflow.reports_escalate_overdue()
    by_status = {status.value: 0 for status in S}
    for plan in plans:
        assert plan.report is not None
        by_status[plan.report.status] += 1
    return {
        "demo_users": User.objects.filter(is_demo=True).count(),
        "reports": len(plans),
        "escalated_now": escalated,
        **{f"status_{key}": value for key, value in by_status.items()},
    }
