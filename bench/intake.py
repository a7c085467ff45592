"""Report intake, public reads and live fan-out over HTTP: the production shape under load.

``.venv/bin/python bench/intake.py`` (``make bench ONLY=intake``, ≈13 min);
``bench/intake.py --quick`` (or ``BENCH_QUICK=1``: 3 s measurements, one round, 5,000 seeded
reports, ≈3 min; its JSON goes to a temporary file, not to bench/results/). Needs ``wrk``
(Debian's package), PostgreSQL at ``PG_URL`` (default postgres://postgres@127.0.0.1:5432/cityops;
the bench works in a database of its own, ``cityops_bench_intake``, created afresh) and Redis at
``BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/14, flushed by the bench).

The server is ``uvicorn cityops.asgi:application --workers 2`` (httptools, uvloop, no access log)
with REDIS_URL set: jobs are queued in Redis and not run (no worker), live events go through the
Redis stream both workers read, rate limits raised out of the way. The load generator is ``wrk``
with 32 connections and 2 threads on the same 2 cores (as in ../shared/domain/machine-limits.md),
15 s a measurement after the server has settled (its workers idle again). Every figure has
``GET /healthz`` measured in the same round beside it and its ratio to it; with 3 rounds each
figure is the median of the rounds (the ratio: the median of the rounds' ratios).

1. ``cityops seed --reports 20000 --bulk``, then the public reads, 3 rounds, with the deployed
   configuration (the read cache on): ``GET /api/v1/reports?page_size=20``,
   ``GET /open311/v2/requests.json?page_size=20``, the report page ``/reports/{id}`` (rotating
   over 50 public reports spread from the newest to the oldest, read from the public API, so it
   is not one cached URL), the home page ``/`` and Open311's default list (up to 1,000
   requests of the last 90 days). Goals: ≥ 1,000 req/s and p99 < 50 ms for the first four,
   ≥ 100 req/s and p99 < 500 ms for the default list. The server runs as deployed with Redis:
   2 uvicorn workers and the read cache's refresher (``cityops readcache_refresh``). Each
   read's URLs are asked once before its measurement (``warm_up``): each is measured 15 s
   of every ≈90 s, and a page nobody asked for in 60 s is made again by its next request.
2. Conditional requests: one round of the same reads (10 s measurements) as a browser's
   revisits, each GET sending ``If-None-Match`` with the ETag its URL answered just before and
   the cookie it set (the CSRF cookie); the share of 304s. Skipped, saying so, for a URL that
   sends no ETag.
3. The same reads with the server started with ``CITYOPS_READ_CACHE=0`` (the uncached path),
   ``BENCH_UNCACHED_ROUNDS`` rounds (default 1, to keep the run short).
4. Intake, 3 rounds: ``POST /open311/v2/requests.json`` (form, api_key) and
   ``POST /api/v1/reports`` (JSON, X-API-Key and a fresh Idempotency-Key), each request a
   different description and location inside Huế. After each measurement the rows of that
   measurement are counted in the database against the 2xx answers wrk saw: ``lost`` and
   ``doubled`` must be 0 (the bench exits non-zero otherwise, after writing its JSON). Goals:
   ≥ 500 reports/s, ≥ 0.55 × /healthz, p99 < 100 ms.
5. Fan-out: 200 event-stream connections to ``/console/events/`` with an operator's session
   (an asyncio client in this process), then 20 reports sent one after the other through
   Open311; for each report and each connection, the time from the POST's response to the
   connection's receipt of its ``report.changed`` event. 3 rounds.

Results go to ``bench/results/intake.json`` with the machine and the load average before every
measurement; "goals" lists every goal with its figure and pass/fail. Not a test: the figures
depend on the machine and what else runs on it. ``bench/scaling.py`` runs the same reads and
intake with 1, 2 and 4 web processes.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from typing import Any

from lib.machine import loadavg
from lib.server import Bench, Progress, Server, require_wrk, say, settle
from lib.web import (
    CONNECTIONS,
    HUE,
    THREADS,
    Read,
    check_reads,
    goals_table,
    intake_summary,
    measure_intake,
    measure_reads,
    median_of,
    print_goals,
    probe,
    public_reads,
    public_report_ids,
    web_machine,
    write_result,
    wrk,
)

DB_NAME = "cityops_bench_intake"
SSE_CLIENTS = 200
SSE_EVENTS = 20
UNCACHED_ROUNDS = int(os.environ.get("BENCH_UNCACHED_ROUNDS", "1"))
READS = 5  # public_reads() with the default list
CONDITIONAL_SECONDS = 10  # a check of the 304 path more than a figure: shorter measurements


# -- server-sent events ----------------------------------------------------------------------


async def _sse_client(
    port: int, session: str, index: int, ready: asyncio.Event, opened: list[int], arrivals: dict
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
    writer.write(
        (
            "GET /console/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: sessionid={session}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"event stream answered {status!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass  # headers; the body is chunked: sizes and data lines, read line by line
    event = ""
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            now = time.monotonic()
            text = line.decode().rstrip("\r\n")
            if text.startswith("retry:"):
                opened[0] += 1
                if opened[0] == SSE_CLIENTS:
                    ready.set()
            elif text.startswith("event: "):
                event = text[7:]
            elif text.startswith("data: ") and event == "report.changed":
                report = json.loads(text[6:]).get("id")
                arrivals.setdefault(report, {})[index] = now
    finally:
        writer.close()


def _post_report(port: int, key: str, n: int) -> tuple[int, float, float]:
    body = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "sanitation",
            "attribute[waste_type]": "household",
            "lat": f"{HUE[0]:.6f}",
            "long": f"{HUE[1]:.6f}",
            "description": f"Bench fan-out report {n}: rác tồn đọng ở chợ Đông Ba",
        }
    ).encode()
    url = f"http://127.0.0.1:{port}/open311/v2/requests.json"
    begun = time.monotonic()
    try:
        with urllib.request.urlopen(url, data=body, timeout=30) as answer:
            data = answer.read()
            done = time.monotonic()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"Open311 POST answered {error.code}: {error.read()[:500]!r}") from error
    return int(json.loads(data)[0]["service_request_id"]), begun, done


async def fan_out_round(port: int, session: str, key: str, round_no: int) -> dict:
    load = loadavg()
    ready = asyncio.Event()
    opened = [0]
    arrivals: dict[int, dict[int, float]] = {}
    started = time.monotonic()
    tasks = [
        asyncio.create_task(_sse_client(port, session, i, ready, opened, arrivals))
        for i in range(SSE_CLIENTS)
    ]
    try:
        await asyncio.wait_for(ready.wait(), timeout=60)
    except TimeoutError as error:
        failed = [t.exception() for t in tasks if t.done() and t.exception()]
        message = f"only {opened[0]} of {SSE_CLIENTS} streams opened: {failed[:3]}"
        raise SystemExit(message) from error
    connect_seconds = time.monotonic() - started
    await asyncio.sleep(1)
    sent: dict[int, float] = {}
    begun: dict[int, float] = {}
    for n in range(SSE_EVENTS):
        report, start, done = await asyncio.to_thread(_post_report, port, key, round_no * 100 + n)
        sent[report] = done
        begun[report] = start
        await asyncio.sleep(0.25)
    await asyncio.sleep(5)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies = [
        (arrived - sent[report]) * 1000
        for report, clients in arrivals.items()
        if report in sent
        for arrived in clients.values()
    ]
    from_request = sorted(
        (arrived - begun[report]) * 1000
        for report, clients in arrivals.items()
        if report in begun
        for arrived in clients.values()
    )
    post_ms = sorted((sent[r] - begun[r]) * 1000 for r in sent)
    expected = SSE_CLIENTS * SSE_EVENTS
    latencies.sort()

    def pct(p: float, values: list[float] = latencies) -> float:
        return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 1)

    figure = {
        "deliveries": len(latencies),
        "expected": expected,
        "connect_all_seconds": round(connect_seconds, 2),
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "max_ms": round(latencies[-1], 1),
        "min_ms": round(latencies[0], 1),
        "from_request_start_p50_ms": pct(50, from_request),
        "from_request_start_p99_ms": pct(99, from_request),
        "post_p50_ms": pct(50, post_ms),
        "loadavg_before": load,
    }
    print(f"   fan-out round {round_no}: {figure}", flush=True)
    return figure


# -- conditional requests --------------------------------------------------------------------


def conditional(bench: Bench, server: Server, reads: list[Read], progress: Progress) -> dict:
    """One round of the reads as a browser's revisits: If-None-Match with the ETag each URL
    answered just before, and the cookie it set (a page's ETag may depend on the visitor's CSRF
    cookie). The 304s' share. A read whose URLs send no ETag is skipped, saying so (the read
    cache may not be in the code being measured)."""
    revisits: dict[str, list[str]] = {}
    skipped: dict[str, str] = {}
    single: dict[str, dict[str, Any]] = {}
    for read in reads:
        first = [probe(server, path) for path in read.paths]
        if all(answer["headers"].get("etag") for answer in first):
            revisits[read.name] = [f"{a['headers']['etag']}\t{a['cookie']}" for a in first]
        else:
            missing = sum(1 for answer in first if not answer["headers"].get("etag"))
            skipped[read.name] = f"no ETag on {missing} of {len(first)} URLs"
        single[read.name] = _revisit_once(server, read.paths[0], first[0])
    measured = [r for r in reads if r.name in revisits]
    progress.planned -= len(reads) + 1 - (len(measured) + 1 if measured else 0)
    seconds = min(bench.seconds, CONDITIONAL_SECONDS)
    result: dict[str, Any] = {
        "what": (
            f"one round of {seconds} s measurements of revisits: each GET sends If-None-Match "
            "with the ETag its URL answered just before, and the cookie that answer set; "
            "share_304 = 304 answers / all answers; requests_per_s counts 2xx and 304 answers"
        ),
        "single_requests": single,
        "skipped": skipped,
    }
    if not measured:
        message = (
            "skipped: no read sends an ETag (the read cache is not in the code measured, or "
            "CITYOPS_READ_CACHE=0 is set)"
        )
        say(f"   conditional requests {message}")
        return result | {"status": "skipped", "message": message}
    for name, why in skipped.items():
        say(f"   conditional requests: {name} skipped, {why}")
    figures = measure_reads(
        bench, server, measured, rounds=1, revisits=revisits, seconds=seconds, progress=progress
    )
    for read in measured:
        figure = figures[read.name]
        run = figure["runs"][0]
        answers = run["ok"] + run["not_modified"] + run["not_2xx"]
        figure["share_304"] = round(run["not_modified"] / answers, 4) if answers else 0.0
        figure["answers_304"] = run["not_modified"]
        figure["answers_total"] = answers
    return result | {"status": "measured"} | figures


def _revisit_once(server: Server, path: str, first: dict[str, Any]) -> dict[str, Any]:
    """The status of one revisit with If-None-Match, one with If-Modified-Since (each with the
    first visit's cookie), and one with the ETag but no cookie."""
    checks: dict[str, Any] = {}
    cookie = {"Cookie": first["cookie"]} if first["cookie"] else {}
    if etag := first["headers"].get("etag"):
        checks["if_none_match_status"] = probe(server, path, {"If-None-Match": etag} | cookie)[
            "status"
        ]
        checks["if_none_match_without_cookie_status"] = probe(
            server, path, {"If-None-Match": etag}
        )["status"]
    if modified := first["headers"].get("last-modified"):
        checks["if_modified_since_status"] = probe(
            server, path, {"If-Modified-Since": modified} | cookie
        )["status"]
    return checks


# -- main ------------------------------------------------------------------------------------


def _cache_seen(headers: dict[str, dict[str, Any]]) -> bool:
    return any("etag" in h["headers"] or "last-modified" in h["headers"] for h in headers.values())


def main() -> None:
    require_wrk()
    bench = Bench.from_environment("intake", DB_NAME, sys.argv[1:])
    uncached_rounds = 1 if bench.quick else UNCACHED_ROUNDS
    fan_rounds = bench.rounds
    progress = Progress(
        bench.rounds * (1 + READS) + (1 + READS) + uncached_rounds * (1 + READS) + bench.rounds * 3
    )
    estimate = progress.planned * (bench.seconds + 3) + 90 + fan_rounds * 12
    began, load_at_start = datetime.now(UTC), loadavg()
    say(
        f"== intake bench ({'quick' if bench.quick else 'full'}): {progress.planned} measurements "
        f"of {bench.seconds} s, {bench.rounds} round(s), ≈{estimate // 60 + 1} min; "
        f"database {bench.db_name}, data {bench.data_dir}"
    )
    database = bench.prepare()

    say(f"== public reads, read cache as deployed, {bench.rounds} round(s)")
    server = Server(bench)
    try:
        ids = public_report_ids(server)
        reads = public_reads(ids)
        headers = check_reads(server, reads)
        cached = measure_reads(bench, server, reads, rounds=bench.rounds, progress=progress)
        say("== conditional requests (If-None-Match), one round")
        conditional_result = conditional(bench, server, reads, progress)
    finally:
        server.stop()

    say(f"== public reads with CITYOPS_READ_CACHE=0, {uncached_rounds} round(s)")
    server = Server(bench, env={"CITYOPS_READ_CACHE": "0"}, refresher=False)
    try:
        uncached_headers = check_reads(server, reads)
        uncached = measure_reads(bench, server, reads, rounds=uncached_rounds, progress=progress)
    finally:
        server.stop()

    say(f"== intake, {bench.rounds} round(s), rows counted after each")
    server = Server(bench)
    runs: dict[str, list[dict[str, Any]]] = {"healthz": [], "open311": [], "api": []}
    try:
        for number in range(bench.rounds):
            say(f"   -- round {number + 1} of {bench.rounds}")
            healthz = wrk(bench, server, "GET /healthz", progress=progress)
            runs["healthz"].append(healthz)
            runs["open311"].append(
                measure_intake(bench, server, "open311", "POST open311 requests.json", healthz,
                               progress=progress)
            )  # fmt: skip
            runs["api"].append(
                measure_intake(bench, server, "api", "POST /api/v1/reports", healthz,
                               progress=progress)
            )  # fmt: skip
        say(f"== fan-out, {fan_rounds} round(s) {progress.elapsed()}")
        fan = []
        for r in range(fan_rounds):
            settle(server)
            fan.append(asyncio.run(fan_out_round(server.port, bench.session, bench.key, r)))
    finally:
        server.stop()
    reports_after = bench.report_count()

    intake: dict[str, Any] = {
        "healthz": median_of(runs["healthz"]),
        "open311_post": {"what": "POST /open311/v2/requests.json (form, api_key)"}
        | intake_summary(runs["open311"]),
        "api_v1_post": {"what": "POST /api/v1/reports (JSON, X-API-Key, Idempotency-Key)"}
        | intake_summary(runs["api"]),
    }
    cache_on, cache_off = _cache_seen(headers), _cache_seen(uncached_headers)
    goals = goals_table({"reads": cached, "intake": intake})
    result = {
        "benchmark": "intake",
        "mode": "quick (not a result: short measurements, one round)" if bench.quick else "full",
        "ran_at": began.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_seconds": round((datetime.now(UTC) - began).total_seconds()),
        "what": (
            "uvicorn --workers 2 (httptools, uvloop, no access log) on PostgreSQL and Redis; "
            f"wrk -t{THREADS} -c{CONNECTIONS}, {bench.seconds} s a measurement, on the same "
            f"cores; medians of {bench.rounds} rounds, each figure with GET /healthz measured "
            "in the same round; requests_per_s counts 2xx answers (and 304s in the conditional "
            "round) only"
        ),
        "method": {
            "connections": CONNECTIONS,
            "threads": THREADS,
            "seconds_per_measurement": bench.seconds,
            "rounds": bench.rounds,
            "uncached_rounds": uncached_rounds,
            "report_page_ids": ids,
            "report_page_note": (
                f"the report-page figure rotates over {len(ids)} public reports (newest to "
                "oldest pages of the public API), each wrk thread from its own offset"
            ),
        },
        "server_env": {
            k: v
            for k, v in bench.env.items()
            if (k.startswith("CITYOPS_") and k != "CITYOPS_DATA_DIR") or k == "REDIS_URL"
        },
        "database": database | {"reports_after": reports_after},
        "goals": goals,
        "all_goals_met": all(g["pass"] for g in goals),
        "reads": {"what": "read cache as deployed (CITYOPS_READ_CACHE unset)"}
        | {"headers_seen": headers}
        | cached,
        "reads_conditional": conditional_result,
        "reads_uncached": {
            "what": (
                f"the same reads, server started with CITYOPS_READ_CACHE=0 (the uncached "
                f"path); {uncached_rounds} round(s)"
                + (
                    ""
                    if uncached_rounds >= bench.rounds
                    else ", fewer than the cached reads: indicative"
                )
            ),
            "cache_headers_with_cache": cache_on,
            "cache_headers_without_cache": cache_off,
            "note": (
                "the cached and uncached servers sent the same cache headers: no read cache "
                "was switched off, both figures measure the same code path"
                if cache_on == cache_off
                else "the cached server sent ETag/Last-Modified, the uncached one did not"
            ),
            "headers_seen": uncached_headers,
        }
        | uncached,
        "intake": intake,
        "sse_fan_out": {
            "connections": SSE_CLIENTS,
            "events_per_round": SSE_EVENTS,
            "latency_from": "the Open311 POST's response, to each connection's receipt",
            "p50_ms": round(statistics.median(r["p50_ms"] for r in fan), 1),
            "p99_ms": round(statistics.median(r["p99_ms"] for r in fan), 1),
            "from_request_start_p50_ms": round(
                statistics.median(r["from_request_start_p50_ms"] for r in fan), 1
            ),
            "from_request_start_p99_ms": round(
                statistics.median(r["from_request_start_p99_ms"] for r in fan), 1
            ),
            "note": (
                "negative: the event reached the stream before the POST's answer reached its "
                "client (events are published on commit, before the response is written)"
            ),
            "deliveries": sum(r["deliveries"] for r in fan),
            "expected": sum(r["expected"] for r in fan),
            "runs": fan,
        },
        "machine": web_machine(bench, load_at_start),
    }
    write_result(bench.result_path(), result)
    print_goals(goals)
    say(f"== done in {progress.elapsed()}")
    bench.cleanup()
    broken = {
        name: intake[name]["integrity"]
        for name in ("open311_post", "api_v1_post")
        if not intake[name]["integrity"]["ok"]
    }
    if broken:
        raise SystemExit(f"REPORTS LOST OR DOUBLED (see the JSON): {json.dumps(broken)}")


if __name__ == "__main__":
    main()
