"""Write Huế's configuration, in place: a second run changes nothing.

Rows are found by their code (or name, for deadline policies) and only the fields that differ
are saved, so ``updated_at`` and the area index stay untouched when nothing changed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from cityops.agencies.choices import AgencyKind, AreaKind
from cityops.agencies.models import Agency, Area
from cityops.demo.hue.areas import (
    APPROXIMATE_PREFIX,
    APPROXIMATE_SOURCE,
    Unit,
    approximate_boundaries,
    hue_units,
)
from cityops.demo.hue.catalogue import (
    AGENCIES,
    CATEGORIES,
    POLICIES,
    ROUTING,
    committee_code,
)
from cityops.reports.models import Category, DeadlinePolicy, RoutingRule

M = TypeVar("M", bound=models.Model)


class _Changes:
    """Counts rows created or updated during one seed."""

    def __init__(self) -> None:
        self.count = 0

    def upsert(self, model: type[M], *, lookup: dict[str, Any], values: dict[str, Any]) -> M:
        """Create the row, or save only the fields whose value differs."""
        row = model._default_manager.filter(**lookup).first()
        if row is None:
            self.count += 1
            return model._default_manager.create(**lookup, **values)
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            if any(f.name == "updated_at" for f in model._meta.get_fields()):
                changed.append("updated_at")
            row.save(update_fields=changed)
            self.count += 1
        return row


def _policies(changes: _Changes) -> dict[str, DeadlinePolicy]:
    # Another default chosen by an administrator is respected: only one row may be default.
    other_default = (
        DeadlinePolicy.objects.filter(is_default=True)
        .exclude(name__in=[spec.name for spec in POLICIES if spec.is_default])
        .exists()
    )
    policies = {}
    for spec in POLICIES:
        policies[spec.name] = changes.upsert(
            DeadlinePolicy,
            lookup={"name": spec.name},
            values={
                "ack_minutes": spec.ack_minutes,
                "urgent_hours": spec.urgent_hours,
                "normal_days": spec.normal_days,
                "complex_days": spec.complex_days,
                "is_default": spec.is_default and not other_default,
            },
        )
    return policies


def _categories(changes: _Changes, policies: dict[str, DeadlinePolicy]) -> dict[str, Category]:
    categories = {}
    for position, spec in enumerate(CATEGORIES, start=1):
        policy = policies[spec.policy] if spec.policy else None
        categories[spec.code] = changes.upsert(
            Category,
            lookup={"code": spec.code},
            values={
                "name": spec.name,
                "name_en": spec.name_en,
                "description": spec.description,
                "description_en": spec.description_en,
                "group": spec.group,
                "keywords": spec.keywords,
                "attributes": spec.attributes,
                "default_priority": spec.default_priority,
                "deadline_policy_id": policy.pk if policy else None,
                "position": position,
            },
        )
    return categories


def _areas(changes: _Changes, units: list[Unit]) -> dict[str, Area]:
    boundaries = approximate_boundaries(units)
    existing = {area.code: area for area in Area.objects.filter(code__in=[u.code for u in units])}
    areas = {}
    for unit in units:
        values: dict[str, Any] = {
            "name": unit.name,
            "kind": unit.kind,
            "centroid_lat": unit.lat,
            "centroid_lon": unit.lon,
        }
        current = existing.get(unit.code)
        # A real, imported boundary is never replaced by the approximation.
        if (
            current is None
            or not current.boundary
            or current.boundary_source.startswith(APPROXIMATE_PREFIX)
        ):
            values |= {"boundary": boundaries[unit.code], "boundary_source": APPROXIMATE_SOURCE}
        areas[unit.code] = changes.upsert(Area, lookup={"code": unit.code}, values=values)
    return areas


def _agencies(changes: _Changes, areas: dict[str, Area]) -> dict[str, Agency]:
    agencies = {}
    for spec in AGENCIES:
        agencies[spec.code] = changes.upsert(
            Agency,
            lookup={"code": spec.code},
            values={
                "name": spec.name,
                "name_en": spec.name_en,
                "kind": spec.kind,
            },
        )
    for area in areas.values():
        place = area.name.split(" ", 1)[1]
        unit_en = "Ward" if area.kind == AreaKind.WARD else "Commune"
        code = committee_code(area.code)
        agencies[code] = changes.upsert(
            Agency,
            lookup={"code": code},
            values={
                "name": f"UBND {area.name}",
                "name_en": f"People's Committee of {place} {unit_en}",
                "kind": AgencyKind.COMMITTEE,
                "area_id": area.pk,
            },
        )
    return agencies


def _routing(
    changes: _Changes,
    categories: dict[str, Category],
    areas: dict[str, Area],
    agencies: dict[str, Agency],
) -> int:
    for spec in ROUTING:
        area = areas[spec.area] if spec.area else None
        agency = agencies[spec.agency] if spec.agency else None
        changes.upsert(
            RoutingRule,
            lookup={"category": categories[spec.category], "area": area},
            values={
                "agency_id": agency.pk if agency else None,
                "to_area_committee": spec.to_area_committee,
            },
        )
    return len(ROUTING)


@transaction.atomic
def seed_configuration() -> dict[str, int]:
    """Policies, the 8 categories, the 40 areas, agencies and routing of Huế; idempotent."""
    changes = _Changes()
    policies = _policies(changes)
    categories = _categories(changes, policies)
    areas = _areas(changes, hue_units())
    agencies = _agencies(changes, areas)
    rules = _routing(changes, categories, areas, agencies)
    return {
        "deadline_policies": len(policies),
        "categories": len(categories),
        "areas": len(areas),
        "agencies": len(AGENCIES),
        "committees": len(areas),
        "routing_rules": rules,
        "changed": changes.count,
    }
