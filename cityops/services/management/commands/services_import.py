"""``manage.py services_import offices|desks|officers|procedures FILE.csv``: the registry of
service points from CSV (docs/services.md, "CSV"). Nothing is written if any row is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityops.services.registry import COLUMNS, ImportRefused, registry_import


class Command(BaseCommand):
    help = "Import service offices, desks, officers or procedures from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(COLUMNS))
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, kind: str, path: Path, **options: Any) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            done = registry_import(kind=kind, text=text)
        except ImportRefused as refused:
            for line in refused.errors:
                self.stderr.write(line)
            raise CommandError(f"Nothing imported: {len(refused.errors)} row(s) refused.") from None
        self.stdout.write(f"{kind}: {done.created} created, {done.updated} updated.")
