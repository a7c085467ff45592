"""The HTTP benches' measurements: the public reads, wrk runs, intake row counts and goals.

Used by ``bench/intake.py`` (reads, intake, conditional requests, fan-out) and
``bench/scaling.py`` (the same with 1, 2 and 4 web processes). Every measurement waits until the
server's workers are idle, then runs ``wrk`` with one Lua script (``wrk.lua``) that counts 2xx,
304 and other answers itself, so a figure's rate is what the server really answered.
"""

from __future__ import annotations

import json
import re
import secrets
import statistics
import subprocess
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.machine import command_version, loadavg, machine
from lib.server import BIN, Bench, Progress, Server, psql, psql_row, say, settle

CONNECTIONS = 32
THREADS = 2
REPORT_PAGES = 50  # distinct public report pages the report-page measurement rotates over
HUE = (16.4637, 107.5909)  # around Đông Ba / the citadel: inside the seeded areas

# The goals of issue 16, as the JSON states them next to each figure.
READ_GOAL: dict[str, float] = {"min_requests_per_s": 1000, "max_p99_ms": 50}
LIST_GOAL: dict[str, float] = {"min_requests_per_s": 100, "max_p99_ms": 500}
INTAKE_GOAL: dict[str, float] = {
    "min_requests_per_s": 500,
    "min_ratio_to_healthz": 0.55,
    "max_p99_ms": 100,
}


@dataclass(frozen=True)
class Read:
    """A public read the benches measure: its name in the JSON, its path(s) and its goal."""

    name: str
    label: str
    what: str
    paths: tuple[str, ...]
    goal: dict[str, float] = field(default_factory=dict)


def public_reads(report_ids: Sequence[int], *, default_list: bool = True) -> list[Read]:
    reads = [
        Read("api_v1_list_page_20", "api v1 list ?page_size=20",
             "GET /api/v1/reports?page_size=20", ("/api/v1/reports?page_size=20",), READ_GOAL),
        Read("open311_list_page_20", "open311 list ?page_size=20",
             "GET /open311/v2/requests.json?page_size=20",
             ("/open311/v2/requests.json?page_size=20",), READ_GOAL),
        Read("report_page", f"report page ({len(report_ids)} ids)",
             f"GET /reports/{{id}}, rotating over {len(report_ids)} public reports",
             tuple(f"/reports/{pk}" for pk in report_ids), READ_GOAL),
        Read("home", "home page /", "GET / (the portal's home page)", ("/",), READ_GOAL),
    ]  # fmt: skip
    if default_list:
        reads.append(
            Read("open311_list_default", "open311 list, default (1000)",
                 "GET /open311/v2/requests.json (up to 1,000 requests)",
                 ("/open311/v2/requests.json",), LIST_GOAL)
        )  # fmt: skip
    return reads


# One wrk script for every measurement (its header says how it is called).
WRK_LUA = Path(__file__).with_name("wrk.lua")


# -- probing ---------------------------------------------------------------------------------

CACHE_HEADERS = ("etag", "last-modified", "cache-control", "vary", "set-cookie", "age", "x-cache")


def probe(server: Server, path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One request: its status, size and the headers a read cache is judged by."""
    request = urllib.request.Request(server.url(path), headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            status, body, seen = answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        status, body, seen = error.code, error.read(), error.headers
    found = {name: seen[name] for name in CACHE_HEADERS if seen.get(name) is not None}
    cookies = [c.split(";", 1)[0].strip() for c in seen.get_all("set-cookie") or []]
    if cookies:  # in the JSON: which cookies, not their values
        found["set-cookie"] = ", ".join(c.split("=", 1)[0] for c in cookies)
    return {
        "status": status,
        "bytes": len(body),
        "headers": found,
        "cookie": "; ".join(cookies),  # what a browser would send back
        "body": body,
    }


def public_report_ids(server: Server, count: int = REPORT_PAGES) -> list[int]:
    """``count`` public reports spread over the list (newest, middle, oldest pages), read from
    the public API, so each is a page anyone may see."""
    first = json.loads(probe(server, "/api/v1/reports?page_size=200")["body"])
    pages = max(1, -(-int(first["count"]) // 200))
    ids = [r["id"] for r in first["results"]]
    for page in sorted({pages // 2 + 1, pages} - {1}):
        answer = json.loads(probe(server, f"/api/v1/reports?page_size=200&page={page}")["body"])
        ids += [r["id"] for r in answer["results"]]
    if not ids:
        raise SystemExit("the public API lists no report: nothing to read")
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def check_reads(server: Server, reads: Sequence[Read]) -> dict[str, dict[str, Any]]:
    """Every read answers 200 before it is measured; what the first path's headers say."""
    seen: dict[str, dict[str, Any]] = {}
    for read in reads:
        for path in read.paths:
            answer = probe(server, path)
            if answer["status"] != 200:
                raise SystemExit(f"{path} answered {answer['status']}: {answer['body'][:300]!r}")
            if path == read.paths[0]:
                seen[read.name] = {"bytes": answer["bytes"], "headers": answer["headers"]}
    return seen


# -- wrk -------------------------------------------------------------------------------------


def wrk(
    bench: Bench,
    server: Server,
    label: str,
    *,
    mode: str = "get",
    targets: Sequence[str] = ("/healthz",),
    tag: str = "",
    seconds: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """One measurement: ``mode`` get (rotating over ``targets``), open311 or api (POSTs whose
    descriptions carry ``tag``). The rate counts 2xx answers (and 304s: not modified)."""
    settled = settle(server)
    load = loadavg()
    seconds = seconds or bench.seconds
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(WRK_LUA), server.url("/"), "--", mode, bench.key, tag or "x"]
    command += ["\n".join(targets)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"^WRK_JSON (.*)$", out, re.M)
    if not match:
        raise SystemExit(f"wrk said:\n{out}")
    raw = json.loads(match.group(1))
    duration = raw["duration_us"] / 1e6
    answered = raw["ok"] + raw["not_modified"]
    figure: dict[str, Any] = {
        "requests_per_s": round(answered / duration, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p90_ms": round(raw["p90_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "seconds": round(duration, 2),
        "ok": raw["ok"],
        "not_modified": raw["not_modified"],
        "not_2xx": raw["bad"],
        "last_not_2xx_status": raw["last_bad_status"],
        "socket_errors": raw["socket_errors"],
        "timeouts": raw["timeouts"],
        "loadavg_before": load,
        "settle_seconds_before": settled,
    }
    step = progress.step() if progress else ""
    say(
        f"   {step} {label:30} {figure['requests_per_s']:8.1f}/s "
        f"p50 {figure['p50_ms']:6.1f} ms p99 {figure['p99_ms']:7.1f} ms"
        + (f" 304s {raw['not_modified']}" if raw["not_modified"] else "")
        + (f" NOT-2xx {raw['bad']} (last {raw['last_bad_status']})" if raw["bad"] else "")
        + (f" socket-errors {raw['socket_errors']}" if raw["socket_errors"] else "")
        + (f" timeouts {raw['timeouts']}" if raw["timeouts"] else "")
        + f"  load {load[0]}"
    )
    return figure


def with_ratio(figure: dict[str, Any], healthz: dict[str, Any]) -> dict[str, Any]:
    """The figure with /healthz of the same round beside it and the ratio of the two."""
    figure["healthz_same_round_per_s"] = healthz["requests_per_s"]
    figure["ratio_to_healthz"] = (
        round(figure["requests_per_s"] / healthz["requests_per_s"], 3)
        if healthz["requests_per_s"]
        else 0.0
    )
    return figure


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each value the median of the rounds' values; ratio_to_healthz the median of the rounds'
    ratios (each measured against /healthz in its own round)."""
    keys = ["requests_per_s", "p50_ms", "p90_ms", "p99_ms", "ratio_to_healthz"]
    summary: dict[str, Any] = {
        k: round(statistics.median(r[k] for r in runs), 3 if k.startswith("ratio") else 1)
        for k in keys
        if all(k in r for r in runs)
    }
    summary["rounds"] = len(runs)
    summary["not_2xx_total"] = sum(r["not_2xx"] for r in runs)
    summary["socket_errors_total"] = sum(r["socket_errors"] for r in runs)
    # Requests still unanswered after wrk's 10 s timeout: not in the latency percentiles.
    summary["timeouts_total"] = sum(r["timeouts"] for r in runs)
    summary["runs"] = runs
    return summary


def judge(figure: dict[str, Any], goal: dict[str, float]) -> dict[str, Any]:
    """The goal beside the figure, each condition's pass and the whole."""
    checks = {
        "min_requests_per_s": lambda v: figure["requests_per_s"] >= v,
        "min_ratio_to_healthz": lambda v: figure.get("ratio_to_healthz", 0.0) >= v,
        "max_p99_ms": lambda v: figure["p99_ms"] < v,
    }
    passed = {name: bool(checks[name](value)) for name, value in goal.items()}
    passed["no_errors"] = not (figure.get("not_2xx_total") or figure.get("socket_errors_total"))
    figure["goal"] = goal
    figure["goal_checks"] = passed
    figure["goal_met"] = all(passed.values())
    return figure


def warm_up(server: Server, paths: Sequence[str]) -> None:
    """One GET of each path before its measurement: the figures are the steady state of a page
    people keep asking for. A page nobody asked for in twice ``CITYOPS_READ_CACHE_SECONDS``
    (the refresher remakes only what is asked) is made again by its first request; what that
    costs is the uncached measurement's figure."""
    for path in paths:
        with urllib.request.urlopen(server.url(path), timeout=60) as answer:  # noqa: S310
            answer.read()


def measure_reads(
    bench: Bench,
    server: Server,
    reads: Sequence[Read],
    *,
    rounds: int,
    revisits: dict[str, list[str]] | None = None,
    seconds: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """``rounds`` rounds of /healthz then each read. With ``revisits`` (read name → one
    "etag<TAB>cookie" per path) each GET is a browser's revisit: If-None-Match with the ETag and
    the cookie its first visit got. Medians, and goals (not for revisits), per read."""
    runs: dict[str, list[dict[str, Any]]] = {
        name: [] for name in ["healthz", *(r.name for r in reads)]
    }
    for number in range(rounds):
        say(f"   -- round {number + 1} of {rounds}")
        healthz = wrk(bench, server, "GET /healthz", seconds=seconds, progress=progress)
        runs["healthz"].append(healthz)
        for read in reads:
            targets = read.paths
            if revisits is not None:
                targets = tuple(
                    f"{p}\t{r}" for p, r in zip(read.paths, revisits[read.name], strict=True)
                )
            warm_up(server, read.paths)
            figure = wrk(
                bench, server, read.label, targets=targets, seconds=seconds, progress=progress
            )
            runs[read.name].append(with_ratio(figure, healthz))
    result: dict[str, Any] = {"healthz": median_of(runs["healthz"])}
    for read in reads:
        result[read.name] = {"what": read.what} | median_of(runs[read.name])
        if revisits is None:
            judge(result[read.name], read.goal)
    return result


def count_stored(bench: Bench, tag: str) -> tuple[int, int]:
    """This run's bench reports in the database: rows and distinct descriptions."""
    rows, distinct = psql_row(
        bench.base,
        "SELECT count(*), count(DISTINCT description) FROM reports_report "
        "WHERE description LIKE %s",
        (f"Bench report {tag}-%",),
        bench.db_name,
    )
    return int(rows), int(distinct)


def measure_intake(
    bench: Bench,
    server: Server,
    mode: str,
    label: str,
    healthz: dict[str, Any],
    *,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """One intake measurement, then its rows counted against the 2xx answers wrk saw.

    Every POST has its own description (tag, thread, counter), so ``doubled`` is rows minus
    distinct descriptions and ``lost`` is 2xx answers without a row. Rows without a 2xx answer
    are the requests in flight when wrk stopped (at most one a connection) or answered other
    than 2xx after storing: reported, and suspicious past that bound.
    """
    tag = f"{mode}{secrets.token_hex(3)}"
    figure = with_ratio(wrk(bench, server, label, mode=mode, tag=tag, progress=progress), healthz)
    settle(server)  # the requests in flight when wrk stopped are finished (or not) by now
    rows, distinct = count_stored(bench, tag)
    figure["integrity"] = {
        "tag": tag,
        "answered_2xx": figure["ok"],
        "rows": rows,
        "distinct_descriptions": distinct,
        "lost": max(0, figure["ok"] - distinct),
        "doubled": rows - distinct,
        "stored_without_2xx": max(0, distinct - figure["ok"]),
        "stored_without_2xx_bound": CONNECTIONS + figure["not_2xx"] + figure["timeouts"],
    }
    integrity = figure["integrity"]
    integrity["ok"] = (
        integrity["lost"] == 0
        and integrity["doubled"] == 0
        and integrity["stored_without_2xx"] <= integrity["stored_without_2xx_bound"]
    )
    say(
        f"      rows {rows} for {figure['ok']} 2xx answers: lost {integrity['lost']}, "
        f"doubled {integrity['doubled']}, stored without a 2xx {integrity['stored_without_2xx']}"
        + ("" if integrity["ok"] else "   <<<<< INTEGRITY FAILURE")
    )
    return figure


def intake_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    summary = judge(median_of(runs), INTAKE_GOAL)
    totals = {
        k: sum(r["integrity"][k] for r in runs)
        for k in ("answered_2xx", "rows", "lost", "doubled", "stored_without_2xx")
    }
    summary["integrity"] = totals | {"ok": all(r["integrity"]["ok"] for r in runs)}
    summary["goal_checks"]["nothing_lost_or_doubled"] = summary["integrity"]["ok"]
    summary["goal_met"] = all(summary["goal_checks"].values())
    return summary


def goals_table(sections: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every judged figure of ``sections`` (section → figures) as one list of goal lines."""
    table = []
    for section, figures in sections.items():
        for name, figure in figures.items():
            if isinstance(figure, dict) and "goal_met" in figure:
                table.append(
                    {
                        "figure": f"{section}.{name}",
                        "what": figure.get("what", name),
                        "requests_per_s": figure["requests_per_s"],
                        "p99_ms": figure["p99_ms"],
                        "ratio_to_healthz": figure.get("ratio_to_healthz"),
                        "goal": figure["goal"],
                        "checks": figure["goal_checks"],
                        "pass": figure["goal_met"],
                    }
                )
    return table


def print_goals(goals: list[dict[str, Any]]) -> None:
    say("== goals")
    for line in goals:
        failed = [k for k, v in line["checks"].items() if not v]
        say(
            f"   {'PASS' if line['pass'] else 'FAIL'}  {line['what'][:44]:44} "
            f"{line['requests_per_s']:8.1f}/s p99 {line['p99_ms']:7.1f} ms "
            f"ratio {line['ratio_to_healthz']}"
            + (f"  (failed: {', '.join(failed)})" if failed else "")
        )


def write_result(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    say(f"== written {path}")


def web_machine(bench: Bench, load_at_start: list[float]) -> dict[str, Any]:
    """The machine of a web bench, with the versions of what served and loaded it."""
    return machine(
        memory=True,
        postgresql=psql(bench.base, "SHOW server_version"),
        redis=command_version(["redis-server", "--version"]),
        wrk=command_version(["wrk", "-v"]),
        uvicorn=command_version([str(BIN / "python"), "-m", "uvicorn", "--version"]),
        loadavg_at_start=load_at_start,
        loadavg_at_end=loadavg(),
    )
