"""``cityops backup [--out FILE]``: the database and media files in one .tar.gz."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from cityops.platform import clock
from cityops.platform.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the media files into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            help="Archive to write (default: <data dir>/backups/cityops-<time>.tar.gz).",
        )

    def handle(self, *args: Any, out: Path | None, **options: Any) -> None:
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        out = out or Path(settings.DATA_DIR) / "backups" / f"cityops-{stamp}.tar.gz"
        summary = backup_create(out=out)
        self.stdout.write(
            f"Backed up the {summary.vendor} database and {summary.media_files} media files "
            f"({summary.size_bytes / 1e6:.1f} MB) to {summary.path}"
        )
