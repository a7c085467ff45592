"""Scale-out: the intake bench's reads and intake with 1, 2 and 4 uvicorn web processes.

``.venv/bin/python bench/scaling.py`` (``make bench ONLY=scaling``, ≈9 min);
``bench/scaling.py --quick`` (or ``BENCH_QUICK=1``: 3 s measurements, 5,000 seeded reports,
≈3 min; its JSON goes to a temporary file). Needs what ``bench/intake.py`` needs (wrk,
PostgreSQL at ``PG_URL``, Redis at ``BENCH_REDIS_URL``); works in ``cityops_bench_scaling``.

One database seeded once (``cityops seed --reports 20000 --bulk``), then for each number of web
processes (``BENCH_WORKERS``, default "1 2 4") a fresh ``uvicorn --workers N`` with the deployed
configuration (read cache on) and ONE round of 15 s measurements, to keep the run short: GET
/healthz, the four public reads of issue 16 (API v1 and Open311 lists of 20, the report page
rotating over 50 public reports, the home page; not Open311's 1,000-request default list), then
Open311 and API v1 intake with their rows counted (nothing lost or doubled). Every figure has
its ratio to /healthz in the same round and to the same figure with one process.

The intake adds reports as it goes: the reads with 2 and 4 processes see a larger table (the
JSON records the count before each). On a machine with 2 cores, where wrk, PostgreSQL and Redis
run too, throughput cannot grow in proportion past 2 processes; 4 processes show what the
extra processes cost or gain there (more concurrency for I/O waits, more context switches),
not what 4 cores would give. Ingest workers (MQTT → PostgreSQL) are measured by
``bench/telemetry.py``; docs/scaling.md brings both together.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import Any

from lib.machine import loadavg
from lib.server import Bench, Progress, Server, require_wrk, say
from lib.web import (
    CONNECTIONS,
    THREADS,
    check_reads,
    measure_intake,
    public_reads,
    public_report_ids,
    web_machine,
    with_ratio,
    write_result,
    wrk,
)

DB_NAME = "cityops_bench_scaling"
WORKERS = [int(n) for n in os.environ.get("BENCH_WORKERS", "1 2 4").split()]
READS = 4  # public_reads() without the default list


def measure_with(bench: Bench, workers: int, ids: list[int], progress: Progress) -> dict:
    """One round with ``workers`` web processes: /healthz, the reads, the intake."""
    reports_before = bench.report_count()
    server = Server(bench, workers=workers)
    try:
        reads = public_reads(ids, default_list=False)
        check_reads(server, reads)
        healthz = wrk(bench, server, "GET /healthz", progress=progress)
        figures: dict[str, Any] = {"healthz": healthz}
        for read in reads:
            figure = wrk(bench, server, read.label, targets=read.paths, progress=progress)
            figures[read.name] = {"what": read.what} | with_ratio(figure, healthz)
        for name, mode, label in (
            ("open311_post", "open311", "POST open311 requests.json"),
            ("api_v1_post", "api", "POST /api/v1/reports"),
        ):
            figures[name] = measure_intake(bench, server, mode, label, healthz, progress=progress)
        processes = len(server.worker_pids())
    finally:
        server.stop()
    described = {"workers": workers, "processes_seen": processes, "reports_before": reports_before}
    return described | figures


def growth(by_workers: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each figure's rate per number of processes and relative to the first (one process)."""
    first = by_workers[str(WORKERS[0])]
    table: dict[str, dict[str, Any]] = {}
    for name, figure in first.items():
        if not isinstance(figure, dict) or "requests_per_s" not in figure:
            continue
        rates = {n: by_workers[n][name]["requests_per_s"] for n in by_workers}
        base = figure["requests_per_s"] or 1.0
        table[name] = {
            "requests_per_s": rates,
            "p99_ms": {n: by_workers[n][name]["p99_ms"] for n in by_workers},
            f"relative_to_{WORKERS[0]}": {n: round(rate / base, 2) for n, rate in rates.items()},
        }
    return table


def main() -> None:
    require_wrk()
    bench = Bench.from_environment("scaling", DB_NAME, sys.argv[1:])
    per_server = 1 + READS + 2
    progress = Progress(len(WORKERS) * per_server)
    estimate = progress.planned * (bench.seconds + 4) + 90 + len(WORKERS) * 5
    began, load_at_start = datetime.now(UTC), loadavg()
    say(
        f"== scaling bench ({'quick' if bench.quick else 'full'}): web processes {WORKERS}, "
        f"{progress.planned} measurements of {bench.seconds} s, one round each, "
        f"≈{estimate // 60 + 1} min; database {bench.db_name}"
    )
    database = bench.prepare()
    by_workers: dict[str, dict[str, Any]] = {}
    server = Server(bench)
    try:
        ids = public_report_ids(server)
    finally:
        server.stop()
    for workers in WORKERS:
        say(f"== {workers} web process(es) {progress.elapsed()}")
        by_workers[str(workers)] = measure_with(bench, workers, ids, progress)
    integrity_ok = all(
        by_workers[n][name]["integrity"]["ok"]
        for n in by_workers
        for name in ("open311_post", "api_v1_post")
    )
    cores = os.cpu_count() or 0
    grown = growth(by_workers)
    result: dict[str, Any] = {
        "benchmark": "scaling",
        "mode": "quick (not a result: short measurements)" if bench.quick else "full",
        "ran_at": began.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_seconds": round((datetime.now(UTC) - began).total_seconds()),
        "what": (
            f"uvicorn --workers N for N in {WORKERS} (httptools, uvloop, no access log, read "
            f"cache as deployed) on PostgreSQL and Redis; wrk -t{THREADS} -c{CONNECTIONS}, "
            f"{bench.seconds} s a measurement, ONE round per N (not medians); each figure with "
            "GET /healthz of the same server and round beside it"
        ),
        "honest_note": (
            f"{cores} cores shared by the web processes, wrk, PostgreSQL and Redis: throughput "
            f"cannot grow in proportion past {cores} processes here; figures with more processes "
            "than cores show the cost or gain of the extra processes on these cores, not what "
            "more cores would give"
        ),
        "method": {
            "connections": CONNECTIONS,
            "threads": THREADS,
            "seconds_per_measurement": bench.seconds,
            "rounds_per_worker_count": 1,
            "report_page_ids": ids,
            "not_measured": "Open311's default 1,000-request list (see intake.json)",
        },
        "database": database | {"reports_after": bench.report_count()},
        "integrity_ok": integrity_ok,
        "growth": grown,
        "by_workers": by_workers,
        "machine": web_machine(bench, load_at_start),
    }
    write_result(bench.result_path(), result)
    say("== growth (requests/s by web processes)")
    for name, line in grown.items():
        rates = "  ".join(f"{n}: {r:8.1f}" for n, r in line["requests_per_s"].items())
        say(f"   {name:22} {rates}")
    say(f"== done in {progress.elapsed()}")
    bench.cleanup()
    if not integrity_ok:
        raise SystemExit("REPORTS LOST OR DOUBLED (see by_workers.*.*.integrity in the JSON)")


if __name__ == "__main__":
    main()
