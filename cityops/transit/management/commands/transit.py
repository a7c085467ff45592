"""``cityops transit import FEED.zip`` (the static schedule) and ``cityops transit status``."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cityops.transit.selectors import feed_current, positions_status
from cityops.transit.services import GtfsError, feed_import

SHOWN_PROBLEMS = 50


class _Bar:
    """A tqdm bar per file, on stderr."""

    def __init__(self) -> None:
        self.bar: tqdm[Any] | None = None

    def start(self, file: str, total: int) -> None:
        self.bar = tqdm(total=total, desc=f"{file:<19}", unit=" rows", file=sys.stderr, leave=True)

    def advance(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = (
        "Public transport. import FEED.zip: load a static GTFS feed as the current schedule, "
        "replacing the previous one at once (invalid rows are skipped and listed; a feed "
        "missing a required file is refused). status: the feed and the position counters."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="Import a static GTFS feed (zip).")
        importing.add_argument("feed", metavar="FEED.zip")
        importing.add_argument("--quiet-progress", action="store_true", help="No progress bar.")
        actions.add_parser("status", help="The current feed and the vehicle position counters.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self._status()
            return
        path = Path(options["feed"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            result = feed_import(path=path, progress=None if options["quiet_progress"] else _Bar())
        except GtfsError as error:
            raise CommandError(f"{path}: {error.message}") from error
        for problem in result.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(f"{problem}")
        if len(result.problems) > SHOWN_PROBLEMS:
            self.stderr.write(f"… and {len(result.problems) - SHOWN_PROBLEMS} more invalid rows.")
        counts = ", ".join(
            f"{name.removesuffix('.txt')} {count}" for name, count in result.counts.items()
        )
        self.stdout.write(f"Imported {path.name} as feed #{result.feed.pk}: {counts}.")
        self.stdout.write(
            f"Invalid rows skipped: {len(result.problems)}. Time: {result.seconds:.1f} s."
        )

    def _status(self) -> None:
        feed = feed_current()
        if feed is None:
            self.stdout.write("No schedule imported yet.")
        else:
            self.stdout.write(
                f"Feed #{feed.pk} {feed.source}, imported {feed.imported_at:%Y-%m-%d %H:%M}: "
                f"{feed.counts}; {feed.problem_count} invalid rows."
            )
        counts = positions_status()
        self.stdout.write("Positions: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
