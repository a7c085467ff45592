"""The registry's CSV import: offices, desks, officers and procedures, one kind per file.

Every row is checked before anything is written; any error (reported with its row number, the
header being row 1) writes nothing. A row whose key exists updates it (offices, procedures and
desks by code; officers by office and staff code, or by office and name without one).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cityops.agencies.models import Agency, Area
from cityops.platform.errors import InvalidInput
from cityops.services.models import Desk, Office, Officer, Procedure

COLUMNS: dict[str, tuple[str, ...]] = {
    "offices": ("code", "name", "agency_code", "area_code", "address"),
    "desks": ("office_code", "code", "name"),
    "officers": ("office_code", "name", "staff_code"),
    "procedures": ("code", "name"),
}
KEYS: dict[str, tuple[str, ...]] = {
    "offices": ("code",),
    "desks": ("office_code", "code"),
    "officers": ("office_code", "staff_code", "name"),
    "procedures": ("code",),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "offices": ("code", "name", "agency_code", "address"),
    "desks": ("office_code", "code", "name"),
    "officers": ("office_code", "name"),
    "procedures": ("code", "name"),
}


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int


class ImportRefused(InvalidInput):
    """The file was refused; ``errors`` are "Row N: …" lines."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(" ".join(errors), code="import_refused")
        self.errors = errors


def _checked(instance: object, fields: tuple[str, ...], problems: list[str]) -> None:
    """The model's own field rules (lengths, slugs) on the row's values."""
    try:
        instance.clean_fields(  # type: ignore[attr-defined]
            exclude=[f.name for f in instance._meta.fields if f.name not in fields]  # type: ignore[attr-defined]
        )
    except ValidationError as invalid:
        problems += [f"{name}: {' '.join(m)}" for name, m in invalid.message_dict.items()]


def _office(code: str) -> Office | None:
    return Office.objects.filter(code=code).first()


def _save_office(row: dict[str, str], problems: list[str]) -> Callable[[], bool] | None:
    agency = Agency.objects.filter(code=row["agency_code"]).first()
    area = Area.objects.filter(code=row["area_code"]).first() if row.get("area_code") else None
    if agency is None:
        problems.append(_("no agency with code %(code)s") % {"code": row["agency_code"]})
    if row.get("area_code") and area is None:
        problems.append(_("no area with code %(code)s") % {"code": row["area_code"]})
    _checked(
        Office(code=row["code"], name=row["name"], address=row["address"]),
        ("code", "name", "address"),
        problems,
    )
    if problems:
        return None
    fields = {"name": row["name"], "agency": agency, "area": area, "address": row["address"]}
    return lambda: Office.objects.update_or_create(code=row["code"], defaults=fields)[1]


def _save_desk(row: dict[str, str], problems: list[str]) -> Callable[[], bool] | None:
    code = row["office_code"]
    if _office(code) is None:
        problems.append(_("no office with code %(code)s") % {"code": code})
        return None
    _checked(Desk(code=row["code"], name=row["name"]), ("code", "name"), problems)
    if problems:
        return None
    return lambda: Desk.objects.update_or_create(
        office=_office(code), code=row["code"], defaults={"name": row["name"]}
    )[1]


def _save_officer(row: dict[str, str], problems: list[str]) -> Callable[[], bool] | None:
    code = row["office_code"]
    if _office(code) is None:
        problems.append(_("no office with code %(code)s") % {"code": code})
        return None
    staff_code = row.get("staff_code", "")
    _checked(Officer(name=row["name"], staff_code=staff_code), ("name", "staff_code"), problems)
    if problems:
        return None
    name = row["name"]
    if staff_code:
        return lambda: Officer.objects.update_or_create(
            office=_office(code), staff_code=staff_code, defaults={"name": name}
        )[1]
    return lambda: Officer.objects.get_or_create(office=_office(code), name=name, staff_code="")[1]


def _save_procedure(row: dict[str, str], problems: list[str]) -> Callable[[], bool] | None:
    _checked(Procedure(code=row["code"], name=row["name"]), ("code", "name"), problems)
    if problems:
        return None
    return lambda: Procedure.objects.update_or_create(
        code=row["code"], defaults={"name": row["name"]}
    )[1]


SAVERS = {
    "offices": _save_office,
    "desks": _save_desk,
    "officers": _save_officer,
    "procedures": _save_procedure,
}


def registry_import(*, kind: str, text: str) -> Imported:
    """Import one ``kind`` of rows from CSV ``text`` (UTF-8, a header row of ``COLUMNS``)."""
    if kind not in COLUMNS:
        raise ImportRefused([_("Unknown kind %(kind)s.") % {"kind": kind}])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED[kind] if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused(
            [_("Row 1: missing columns: %(columns)s") % {"columns": ", ".join(missing)}]
        )
    errors: list[str] = []
    saves: list[Callable[[], bool]] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        problems = [
            _("%(column)s is empty") % {"column": column}
            for column in REQUIRED[kind]
            if not row.get(column)
        ]
        key = tuple(row.get(c, "") for c in KEYS[kind])
        if kind == "officers" and row.get("staff_code"):
            key = key[:2]
        if key in seen:
            problems.append(_("repeats row %(row)d") % {"row": seen[key]})
        seen[key] = number
        if not problems:
            save = SAVERS[kind](row, problems)
            if save is not None:
                saves.append(save)
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s") % {"row": number, "problems": "; ".join(problems)}
            )
    if errors:
        raise ImportRefused(errors)
    created = 0
    with transaction.atomic():
        for save in saves:
            created += 1 if save() else 0
    return Imported(created=created, updated=len(saves) - created)
