"""``cityops seed``: Huế's configuration (always, in place) and demo data (once)."""

from __future__ import annotations

import time
from argparse import ArgumentParser, BooleanOptionalAction
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cityops.alerts.services.demo import alerts_seed_demo
from cityops.demo.bulk import seed_bulk
from cityops.demo.demo_data import demo_data_exists, seed_demo
from cityops.demo.hue import seed_configuration
from cityops.demo.indicators import indicators_seed_demo
from cityops.demo.planning import planning_seed_demo
from cityops.demo.service_ratings import services_seed_demo
from cityops.demo.violations import violations_seed_demo
from cityops.monitoring.services import sensors_seed_demo
from cityops.platform.errors import CityOpsError
from cityops.transit.services.demo import transit_seed_demo

# Replaying through the workflow takes a few milliseconds per report: beyond this many, bulk.
BULK_ABOVE = 5_000


class Command(BaseCommand):
    help = (
        "Seed the Huế configuration (categories, areas, agencies, routing; safe to re-run) "
        "and, unless demo data exists already, demo users and reports."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reports",
            type=int,
            default=300,
            metavar="N",
            help="How many demo reports to create (default 300).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            metavar="D",
            help="Spread the demo reports over the last D days (default 90).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=2025,
            help="Random seed; the same seed gives the same demo data.",
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Only the city configuration, no demo users or reports.",
        )
        parser.add_argument(
            "--bulk",
            action=BooleanOptionalAction,
            default=None,
            help=(
                "Write the reports with bulk inserts instead of replaying each through the "
                f"workflow (fast: for benchmarks and large demos). Default: bulk above "
                f"{BULK_ABOVE} reports."
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add demo reports even when demo data exists already.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reports"] < 0 or options["days"] < 1:
            raise CommandError("--reports must be 0 or more and --days at least 1.")
        counts = seed_configuration()
        changed = counts.pop("changed")
        self._print("Configuration", counts)
        self.stdout.write(f"  rows created or updated: {changed}")
        if options["no_demo"]:
            return
        self._print("Simulated monitoring stations", sensors_seed_demo())
        self._print("Demo alarm rules, bulletin and alarms", alerts_seed_demo())
        if buses := transit_seed_demo():
            self._print("Demo bus routes (simulated in cityops run)", buses)
        else:
            self.stdout.write("A bus schedule is imported already: no demo bus routes.")
        if demo_data_exists() and not options["force"]:
            self._print("Demo violation cases", violations_seed_demo())
            self._print("Demo service ratings", services_seed_demo())
            self._print("Demo sector indicators", indicators_seed_demo())
            self._print("Demo planning layer", planning_seed_demo())
            self.stdout.write("Demo data exists already: not seeded again (--force adds more).")
            return
        bulk = options["bulk"]
        if bulk is None:
            bulk = options["reports"] > BULK_ABOVE
        if bulk:
            started = time.monotonic()
            demo = seed_bulk(
                reports=options["reports"],
                days=options["days"],
                seed=options["seed"],
                progress=options["verbosity"] > 0,
            )
            elapsed = max(time.monotonic() - started, 1e-6)
            self._print("Bulk demo data", demo)
            self.stdout.write(f"  reports per second: {demo['reports'] / elapsed:.0f}")
            self._print("Demo violation cases", violations_seed_demo())
            self._print("Demo service ratings", services_seed_demo())
            self._print("Demo sector indicators", indicators_seed_demo())
            self._print("Demo planning layer", planning_seed_demo())
            return
        try:
            demo = seed_demo(
                reports=options["reports"],
                days=options["days"],
                seed=options["seed"],
                progress=options["verbosity"] > 0,
            )
        except CityOpsError as error:
            raise CommandError(error.message) from error
        self._print("Demo data", demo)
        self._print("Demo violation cases", violations_seed_demo())
        self._print("Demo service ratings", services_seed_demo())
        self._print("Demo sector indicators", indicators_seed_demo())
        self._print("Demo planning layer", planning_seed_demo())

    def _print(self, title: str, counts: dict[str, int]) -> None:
        self.stdout.write(self.style.SUCCESS(title))
        for key, value in counts.items():
            self.stdout.write(f"  {key.replace('_', ' ')}: {value}")
