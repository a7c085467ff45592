"""The watch list: entries written with their folded forms, and imported from a CSV file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from cityops.agencies.models import Agency, Area
from cityops.platform.errors import InvalidInput
from cityops.press.choices import WatchKind
from cityops.press.models import WatchEntry
from cityops.press.text import folded_forms


def watch_entry_save(*, entry: WatchEntry) -> WatchEntry:
    """Save an entry with the folded forms of its name and aliases (what the matcher reads)."""
    entry.name = " ".join(entry.name.split())
    entry.aliases = "\n".join(entry.alias_list)
    if not entry.name:
        raise InvalidInput("The entry has no name.", fields={"name": ["This field is required."]})
    entry.folded = folded_forms([entry.name, *entry.alias_list])
    entry.save()
    return entry


def watch_entry_create(
    *,
    kind: WatchKind | str,
    name: str,
    aliases: list[str] | None = None,
    area: Area | None = None,
    agency: Agency | None = None,
    is_active: bool = True,
) -> WatchEntry:
    return watch_entry_save(
        entry=WatchEntry(
            kind=WatchKind(kind),
            name=name,
            aliases="\n".join(aliases or []),
            area=area,
            agency=agency,
            is_active=is_active,
        )
    )


@dataclass
class WatchImport:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


# Column names; ``aliases`` separated by "|" or ";", ``area`` an area's code or name, ``agency``
# an agency's code.
WATCH_COLUMNS = ("kind", "name", "aliases", "area", "agency")


def _kind(text: str) -> WatchKind | None:
    text = text.strip().lower()
    for kind in WatchKind:
        if text in (kind.value, str(kind.label).lower()):
            return kind
    return None


@transaction.atomic
def watch_entries_import(*, content: str) -> WatchImport:
    """Create or update entries from a CSV with a header (``WATCH_COLUMNS``); an entry is known
    by its kind and name. Rows with problems are skipped and listed."""
    result = WatchImport()
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    for line, row in enumerate(reader, start=2):
        row = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
        kind, name = _kind(row.get("kind", "")), " ".join(row.get("name", "").split())
        if kind is None or not name:
            result.problems.append(
                f"line {line}: a kind ({', '.join(WatchKind.values)}) and a name"
            )
            continue
        area = agency = None
        if row.get("area"):
            area = (
                Area.objects.filter(code=row["area"]).first()
                or Area.objects.filter(name__iexact=row["area"]).first()
            )
            if area is None:
                result.problems.append(f"line {line}: no area {row['area']}")
                continue
        if row.get("agency"):
            agency = Agency.objects.filter(code=row["agency"]).first()
            if agency is None:
                result.problems.append(f"line {line}: no agency {row['agency']}")
                continue
        aliases = [a.strip() for a in row.get("aliases", "").replace(";", "|").split("|")]
        entry = WatchEntry.objects.filter(kind=kind, name=name).first()
        if entry is None:
            entry, result.created = WatchEntry(kind=kind, name=name), result.created + 1
        else:
            result.updated += 1
        entry.aliases = "\n".join(alias for alias in aliases if alias)
        entry.area, entry.agency = area or entry.area, agency or entry.agency
        watch_entry_save(entry=entry)
    return result
