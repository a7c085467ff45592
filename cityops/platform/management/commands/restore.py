"""``cityops restore FILE``: put back the database and media files of a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityops.platform.backup import backup_restore
from cityops.platform.errors import InvalidInput


class Command(BaseCommand):
    help = "Replace the database and the media files with those of a backup archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (scripts)."
        )

    def handle(self, *args: Any, archive: Path, yes: bool, **options: Any) -> None:
        if not yes:
            answer = input(f"This replaces ALL current data with {archive}. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            summary = backup_restore(archive=archive)
        except InvalidInput as invalid:
            raise CommandError(str(invalid)) from invalid
        self.stdout.write(
            f"Restored the {summary.vendor} database and {summary.media_files} media files "
            f"from {summary.path}. The previous media files were kept beside the new ones."
        )
