"""``cityops import_areas FILE``: real ward/commune boundaries from a GeoJSON file."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cityops.agencies.services import areas_import_geojson
from cityops.platform.errors import InvalidInput


class Command(BaseCommand):
    help = (
        "Import area boundaries from a GeoJSON FeatureCollection (WGS 84), matching each "
        "feature to an area by the code in one of its properties. Replaces approximate "
        "boundaries; the seed never overwrites imported ones."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="A .geojson file (FeatureCollection).")
        parser.add_argument(
            "--code-property",
            default="code",
            metavar="NAME",
            help='Feature property holding the area code (default "code").',
        )
        parser.add_argument(
            "--match-name",
            action="store_true",
            help="Also match features by name, ignoring diacritics.",
        )
        parser.add_argument(
            "--name-property",
            default="name",
            metavar="NAME",
            help='Feature property holding the name (default "name").',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(
                f"{path} is not a GeoJSON file: it is not valid JSON ({error})."
            ) from error
        unmatched: list[str] = []
        try:
            imported = areas_import_geojson(
                data=data,
                code_property=options["code_property"],
                match_name=options["match_name"],
                name_property=options["name_property"],
                source=f"imported: {path.name}",
                on_unmatched=unmatched.append,
            )
        except InvalidInput as error:
            raise CommandError(f"{path}: {error.message}") from error
        for line in unmatched:
            self.stderr.write(self.style.WARNING(f"Unmatched {line}"))
        if imported == 0:
            hint = "" if options["match_name"] else " or --match-name"
            raise CommandError(
                f"No feature of {path} matched an area: check --code-property{hint}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {imported} boundaries from {path.name}"
                + (f"; {len(unmatched)} features unmatched." if unmatched else ".")
            )
        )
