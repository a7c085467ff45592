"""``cityops worker``: the job consumer on its own, for production."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityops.platform import jobs


class Command(BaseCommand):
    help = "Run the background job worker (Huey consumer) with periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, workers: int, **options: Any) -> None:
        jobs.consumer(workers=workers).run()
