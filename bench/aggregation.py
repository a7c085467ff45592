"""Aggregation at a million reports: ``.venv/bin/python bench/aggregation.py [--reports N]``.

Creates (once) a PostgreSQL database ``cityops_bench_aggregation`` (its own: other benches
reset theirs) next to ``BENCH_DATABASE_URL``'s server
(default …/cityops_bench_aggregation), migrates it, seeds the Huế
configuration and bulk-generates synthetic reports until it holds ``--reports`` (default
1,000,000; a database that already holds them is reused, so a second run only measures). Then,
each repeated ``--runs`` times after a warm-up, it times:

- the daily KPI rollup: a full refresh and an incremental one (one changed day);
- the dashboard's KPI queries for the latest full month (the table by agency; the tables by
  agency, category and area read together; the twelve-month trend; the H3 heat map) and whole
  page reads (dashboard city-wide and for one agency, the transparency page) — goal p95 < 300
  ms per query;
- the public map: the portal's ``report_points_public`` for a city-wide bounding box (the newest
  500, clustered in the browser) and server-side grid clustering of the open reports — goal
  p95 < 100 ms;
- a full CSV export of every report (rows per second; peak Python memory by tracemalloc, and
  the process's peak RSS).

Writes ``bench/results/aggregation.json`` with the machine it ran on. Not a test: timings
depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lib.machine import cpu_model, memory_gib

RESULT = Path(__file__).resolve().parent / "results" / "aggregation.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cityops_bench_aggregation"
HUE_BBOX = "107.35,16.2,107.85,16.75"  # the city and its communes, lon/lat


def _summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    return {
        "runs": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "min_ms": round(ordered[0] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def _timed(work: Callable[[], Any], runs: int, warmup: int = 2) -> dict[str, float]:
    for _ in range(warmup):
        work()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return _summary(seconds)


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')  # a name we chose, not input


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=730, help="history spread over D days")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-export", action="store_true", help="skip the full CSV export")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = url
    os.environ["CITYOPS_DATA_DIR"] = tempfile.mkdtemp(prefix="cityops-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityops.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cityops.accounts.models import User
    from cityops.agencies.calendar import VIETNAM_TZ
    from cityops.demo.bulk import seed_bulk
    from cityops.demo.hue import seed_configuration
    from cityops.reports.filters import ReportFilter
    from cityops.reports.models import Report, ReportEvent
    from cityops.reports.selectors import report_points_public
    from cityops.stats import exports
    from cityops.stats.kpis import Scope, kpi_table, kpi_tables, kpi_tables_rolled_up, kpi_trend
    from cityops.stats.models import DayKpi
    from cityops.stats.selectors import (
        dashboard_data,
        month_bounds,
        months_back,
        report_cells,
        report_clusters_public,
        transparency_data,
    )
    from cityops.stats.services import day_kpis_refresh

    call_command("migrate", verbosity=0)
    seed_configuration()
    existing = Report.objects.count()
    seeding: dict[str, Any] = {"reports_before": existing}
    if existing < args.reports:
        missing = args.reports - existing
        print(f"Seeding {missing} reports into {url.rsplit('/', 1)[1]} …", flush=True)
        started = time.perf_counter()
        counts = seed_bulk(reports=missing, days=args.days, seed=existing + 1, progress=True)
        elapsed = time.perf_counter() - started
        seeding.update(
            {
                "reports_seeded": counts["reports"],
                "events_seeded": counts["events"],
                "seconds": round(elapsed, 1),
                "reports_per_second": round(counts["reports"] / elapsed),
            }
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if "reports_seeded" not in seeding and RESULT.exists():
        # Reusing the database: keep the seed rate measured when it was filled.
        earlier = json.loads(RESULT.read_text()).get("seeding", {})
        measured = earlier.get("when_seeded") or (
            earlier if "reports_per_second" in earlier else None
        )
        if measured:
            seeding["when_seeded"] = measured
    total_reports = Report.objects.count()
    total_events = ReportEvent.objects.count()
    print(f"{total_reports} reports, {total_events} events", flush=True)

    now = datetime.now(VIETNAM_TZ)
    this_month = now.date().replace(day=1)
    month = months_back(this_month, 2)  # the latest full month
    start, end = month_bounds(month)
    scope = Scope(start=start, end=end)
    trend_start, _ = month_bounds(months_back(month, 12))
    busiest = kpi_table(scope=scope, at=now, by="agency").items()
    agency = str(
        max(((code, kpi) for code, kpi in busiest if code), key=lambda item: item[1].received)[0]
    )
    agency_scope = Scope(agencies=(agency,), start=start, end=end)
    runs = args.runs
    print(f"Measuring {month:%Y-%m}, {runs} runs each …", flush=True)
    kpi_queries = {
        "month_by_agency": lambda: kpi_table(scope=scope, at=now, by="agency"),
        "month_by_agency_category_and_area_at_once": lambda: kpi_tables(
            scope=scope, at=now, dimensions=("agency", "category", "area")
        ),
        "trend_12_months": lambda: kpi_trend(scope=scope.with_period(trend_start, end), at=now),
        "heat_map_h3": lambda: report_cells(scope=scope),
        "one_agency_by_category": lambda: kpi_table(scope=agency_scope, at=now, by="category"),
    }
    results: dict[str, Any] = {"kpi_queries": {}}
    for name, work in kpi_queries.items():
        results["kpi_queries"][name] = _timed(work, runs)
        print(f"  {name}: {results['kpi_queries'][name]}", flush=True)
    print("Refreshing the daily KPI rollup in full …", flush=True)
    started = time.perf_counter()
    days = day_kpis_refresh(full=True)
    results["rollup"] = {
        "full_refresh_days": days,
        "full_refresh_seconds": round(time.perf_counter() - started, 1),
        "rows": DayKpi.objects.count(),
    }
    one_report = Report.objects.order_by("-submitted_at").first()
    assert one_report is not None
    Report.objects.filter(pk=one_report.pk).update(updated_at=datetime.now(VIETNAM_TZ))
    results["rollup"]["incremental_refresh_one_day"] = _timed(
        lambda: (
            Report.objects.filter(pk=one_report.pk).update(updated_at=datetime.now(VIETNAM_TZ)),
            day_kpis_refresh(),
        ),
        max(3, runs // 2),
        warmup=0,
    )
    print(f"  rollup: {results['rollup']}", flush=True)
    rolled = {
        "trend_12_months_from_rollup": lambda: kpi_tables_rolled_up(
            scope=scope.with_period(trend_start, end), at=now, dimensions=("month",)
        ),
        "transparency_tables_12_months_from_rollup": lambda: kpi_tables_rolled_up(
            scope=scope.with_period(trend_start, end),
            at=now,
            dimensions=("agency", "category", "month"),
        ),
    }
    for name, work in rolled.items():
        results["kpi_queries"][name] = _timed(work, runs)
        print(f"  {name}: {results['kpi_queries'][name]}", flush=True)

    # The pages read the trend (and the transparency page everything but "overdue now") from
    # the rollup; the month's own figures are live.
    pages = {
        "dashboard_city": lambda: dashboard_data(month=month, at=now),
        "dashboard_one_agency": lambda: dashboard_data(month=month, at=now, agencies=(agency,)),
        "transparency_12_months": lambda: transparency_data(month=month, at=now),
    }
    results["dashboard_page_reads"] = {}
    for name, work in pages.items():
        results["dashboard_page_reads"][name] = _timed(work, max(5, runs // 4), warmup=1)
        print(f"  {name}: {results['dashboard_page_reads'][name]}", flush=True)

    city = ReportFilter.from_params({"bbox": HUE_BBOX})
    open_city = ReportFilter.from_params({"bbox": HUE_BBOX, "status": "open"})
    maps = {
        "portal_points_newest_500": lambda: report_points_public(filters=city),
        "grid_clusters_open_reports": lambda: report_clusters_public(filters=open_city),
        "grid_clusters_all_public_reports": lambda: report_clusters_public(filters=city),
    }
    results["public_map"] = {}
    for name, work in maps.items():
        results["public_map"][name] = _timed(work, runs)
        print(f"  {name}: {results['public_map'][name]}", flush=True)

    if not args.no_export:
        operator = User.objects.filter(role="operator").first()
        assert operator is not None

        def export() -> tuple[int, int]:
            table = exports.reports_export(filters=ReportFilter(), user=operator)
            size = 0
            for chunk in exports.csv_chunks(table):
                size += len(chunk)
            return total_reports, size

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        rows, size = export()
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        export()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results["csv_export"] = {
            "rows": rows,
            "bytes": size,
            "seconds": round(elapsed, 1),
            "rows_per_second": round(rows / elapsed),
            "peak_python_memory_mib": round(peak / 1024 / 1024, 1),
            "process_peak_rss_mib": round(rss_after / 1024, 1),
            "rss_growth_during_export_mib": round((rss_after - rss_before) / 1024, 1),
        }
        print(f"  csv_export: {results['csv_export']}", flush=True)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    output = {
        "benchmark": "aggregation",
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "memory_gib": memory_gib(),
            "python": platform.python_version(),
            "postgresql": server,
            "platform": platform.platform(),
        },
        "database": {"reports": total_reports, "events": total_events, "month": f"{month:%Y-%m}"},
        "goals": {"kpi_query_p95_ms": 300, "public_map_p95_ms": 100},
        "seeding": seeding,
        **results,
    }
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {RESULT}")


if __name__ == "__main__":
    main()
