"""``manage.py planning_import LAYER_SLUG FILE [--crs vn2000_107]``: import a plan's zoning
file into a layer, with a progress bar (docs/planning.md, "Layers and their import")."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cityops.planning.choices import ImportStatus, SourceCrs
from cityops.planning.importing import layer_import_run
from cityops.planning.importing.reader import SHAPEFILE_PARTS, SUFFIXES, Unreadable, shapefile_zip
from cityops.planning.models import Layer
from cityops.planning.services import layer_import_start

SHOWN_ERRORS = 30


class Command(BaseCommand):
    help = (
        "Import a planning layer's zones from GeoJSON, a Shapefile (.shp with its parts beside "
        "it, or a .zip) or a GeoPackage; the new zones replace the layer's."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("layer", metavar="LAYER_SLUG")
        parser.add_argument("file", metavar="FILE", type=Path)
        parser.add_argument("--crs", choices=SourceCrs.values, default=SourceCrs.WGS84,
                            help="The file's coordinate system when it declares none.")  # fmt: skip
        for role in ("use_code", "use_name", "zone_code"):
            parser.add_argument(
                f"--{role.replace('_', '-')}-field",
                dest=role,
                default="",
                help=f"The file's field holding {role} (default: guessed).",
            )
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        layer = Layer.objects.filter(slug=options["layer"]).first()
        if layer is None:
            raise CommandError(f"No layer {options['layer']!r}: create it in the console first.")
        path: Path = options["file"]
        if not path.is_file() or path.suffix.lower() not in SUFFIXES:
            raise CommandError(f"{path}: not a file of {', '.join(SUFFIXES)}.")
        if path.suffix.lower() == ".shp":
            parts = {p.name: p.open("rb") for p in path.parent.glob(f"{path.stem}.*")}
            try:
                content = ContentFile(shapefile_zip(parts))
            except Unreadable:
                raise CommandError(
                    f"{path}: needs {', '.join(SHAPEFILE_PARTS)} beside it."
                ) from None
            finally:
                for handle in parts.values():
                    handle.close()
            name = f"{path.stem}.zip"
        else:
            content, name = ContentFile(path.read_bytes()), path.name
        job = layer_import_start(
            layer=layer, file=content, file_name=name, source_crs=options["crs"],
            field_map={role: options[role] for role in ("use_code", "use_name", "zone_code")},
            queue=False,
        )  # fmt: skip
        bar = tqdm(desc=name[:30], unit=" features", file=sys.stderr,
                   disable=options["quiet_progress"])  # fmt: skip

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            job = layer_import_run(layer_import=job, progress=advance)
        finally:
            bar.close()
        for error in job.errors_shown[:SHOWN_ERRORS]:
            self.stderr.write(f"row {error['row']}: {error['message']}")
        if len(job.errors) > SHOWN_ERRORS:
            self.stderr.write(f"… and {len(job.errors) - SHOWN_ERRORS} more.")
        if job.status != ImportStatus.DONE:
            raise CommandError(job.message_shown)
        self.stdout.write(job.message_shown)
