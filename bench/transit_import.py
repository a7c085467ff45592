"""The static GTFS import on the real sample feed: how long a first import and a re-import take.

``.venv/bin/python bench/transit_import.py [--feed PATH] [--rounds 3]`` against the database of
``DATABASE_URL`` (a throwaway one: it is migrated and the schedule replaced), or SQLite under a
temporary ``CITYOPS_DATA_DIR`` when ``DATABASE_URL`` is unset. Prints each round's time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLE = REPOSITORY / ".." / "shared" / "domain" / "gtfs-samples" / "cairns_gtfs.zip"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feed", type=Path, default=SAMPLE)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["CITYOPS_DATA_DIR"] = tempfile.mkdtemp(prefix="cityops-bench-transit-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cityops.transit.services import feed_import

    call_command("migrate", verbosity=0)
    print(f"{connection.vendor}, feed {args.feed.resolve()}")
    for round_ in range(1, args.rounds + 1):
        started = time.perf_counter()
        result = feed_import(path=args.feed)
        took = time.perf_counter() - started
        rows = sum(result.counts.values())
        print(f"round {round_}: {took:.2f} s, {rows} rows ({rows / took:,.0f} rows/s)")


if __name__ == "__main__":
    main()
