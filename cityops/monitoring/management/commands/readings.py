"""``cityops readings``: the readings' maintenance job by hand, or a rebuild of their rollups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityops.monitoring.partitions import readings_maintain
from cityops.monitoring.rollups import rollups_rebuild
from cityops.platform import clock


class Command(BaseCommand):
    help = (
        "Maintain the sensor readings: create PostgreSQL partitions ahead, roll up pending "
        "hours, drop raw readings older than CITYOPS_READINGS_RETENTION_DAYS (rollups stay). "
        "With --rebuild FROM TO: recompute the rollups of readings loaded by other means."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--retention-days",
            type=int,
            default=None,
            help="Override CITYOPS_READINGS_RETENTION_DAYS for this run (0: keep all).",
        )
        parser.add_argument(
            "--rebuild",
            nargs=2,
            metavar=("FROM", "TO"),
            help="Recompute every rollup of [FROM, TO) (ISO-8601 times), then maintain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            try:
                start, end = (datetime.fromisoformat(text) for text in options["rebuild"])
            except ValueError as error:
                raise CommandError(f"--rebuild takes two ISO-8601 times: {error}") from error
            if start.tzinfo is None or end.tzinfo is None:
                raise CommandError("--rebuild times need their UTC offset, e.g. +07:00.")
            written = rollups_rebuild(start=start, end=end)
            self.stdout.write(f"Rebuilt {written} hourly rollups.")
        result = readings_maintain(now=clock.now(), retention_days=options["retention_days"])
        self.stdout.write(f"Partitions created: {', '.join(result.created) or 'none'}.")
        self.stdout.write(f"Hours rolled up: {result.rolled_up_hours}.")
        if result.expired is None:
            self.stdout.write("Raw readings are kept forever.")
        else:
            dropped = ", ".join(result.expired.partitions) or "none"
            self.stdout.write(
                f"Expired: partitions dropped: {dropped}; "
                f"readings deleted: {result.expired.deleted}."
            )
