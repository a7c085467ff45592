"""``manage.py indicators_import FILE`` (CSV or .xlsx) or ``--url URL`` (an API's JSON; default
``CITYOPS_INDICATORS_API_URL``): figures into the registry's indicators, bad rows listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityops.indicators.choices import Source
from cityops.indicators.importing import ImportRefused
from cityops.indicators.services import upload_fetch, upload_import


class Command(BaseCommand):
    help = "Import indicator figures from a CSV or Excel file, or from an HTTP API (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="a .csv or .xlsx file")
        parser.add_argument("--url", default="", help="an API address answering JSON rows")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["file"]:
                path = Path(options["file"])
                source = Source.XLSX if path.suffix.lower() == ".xlsx" else Source.CSV
                upload = upload_import(
                    source=source, content=path.read_bytes(), actor=None, file_name=path.name
                )
            else:
                url = options["url"] or settings.CITYOPS_INDICATORS_API_URL
                if not url:
                    raise CommandError("Give a file, --url or CITYOPS_INDICATORS_API_URL.")
                upload = upload_fetch(url=url, actor=None)
        except (ImportRefused, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Upload {upload.pk}: {upload.rows_accepted} of {upload.rows_total} rows accepted."
        )
        for refused in upload.errors:
            self.stdout.write(f"  row {refused['row']}: {refused['message']}")
