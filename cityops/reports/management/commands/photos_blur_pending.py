"""``cityops photos_blur_pending``: blur the photos still waiting for their public copy."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cityops.reports.photos import photos_blur_pending


class Command(BaseCommand):
    help = (
        "Find faces and number plates in the photos that have no blurred public copy yet "
        "(after an upgrade, or while the job queue was down), blur them and publish the copies."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--failed",
            action="store_true",
            help="Try the photos whose blurring failed again too.",
        )
        parser.add_argument(
            "--limit", type=int, default=None, metavar="N", help="At most N photos this run."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = photos_blur_pending(include_failed=options["failed"], limit=options["limit"])
        self.stdout.write(
            f"Photos blurred: {counts['blurred']}; failed (not public, listed for operators): "
            f"{counts['failed']}"
        )
