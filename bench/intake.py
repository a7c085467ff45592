"""Report intake, public queries and live fan-out over HTTP: the production shape under load.

``.venv/bin/python bench/intake.py`` (``make bench ONLY=intake``). Needs ``wrk`` (Debian's
package), PostgreSQL at ``PG_URL`` (default postgres://postgres@127.0.0.1:5432/cityops; the bench
works in a database of its own, ``cityops_bench_intake``, created afresh) and Redis at
``BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/14, flushed by the bench).

The server is ``uvicorn cityops.asgi:application --workers 2`` (httptools, uvloop, no access log)
with REDIS_URL set: jobs are queued in Redis and not run (no worker), live events go through the
Redis stream both workers read, rate limits raised out of the way. The load generator is ``wrk``
with 32 connections and 2 threads on the same 2 cores (as in ../shared/domain/machine-limits.md),
15 s a measurement after the server has settled (its workers idle again), 3 rounds; each figure
is the median of the 3 rounds. Within a round the endpoints are measured one after the other, so
each intake figure has a /healthz figure measured under the same conditions next to it.

1. ``cityops seed --reports 20000 --bulk``, then public queries:
   ``GET /api/v1/reports?page_size=20`` and ``GET /open311/v2/requests.json``, next to
   ``GET /healthz``.
   Open311's default page is its maximum, 1000 requests (of the last 90 days), so it is also
   measured with ``?page_size=20``.
2. Intake: ``POST /open311/v2/requests.json`` (form, api_key) and ``POST /api/v1/reports`` (JSON,
   X-API-Key and a fresh Idempotency-Key), each request a different description and location
   inside Huế, next to ``GET /healthz``.
3. Fan-out: 200 event-stream connections to ``/console/events/`` with an operator's session
   (an asyncio client in this process), then 20 reports sent one after the other through
   Open311; for each report and each connection, the time from the POST's response to the
   connection's receipt of its ``report.changed`` event. 3 rounds.

Results go to ``bench/results/intake.json`` with the machine and the load average before every
measurement. Not a test: the figures depend on the machine and what else runs on it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lib.machine import command_version, loadavg, machine

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "intake.json"
BIN = Path(sys.executable).parent
DB_NAME = "cityops_bench_intake"
CONNECTIONS = 32
THREADS = 2
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SEEDED_REPORTS = int(os.environ.get("BENCH_REPORTS", "20000"))
SSE_CLIENTS = 200
SSE_EVENTS = 20
GOAL_REPORTS_PER_S = 500
HUE = (16.4637, 107.5909)  # around Đông Ba / the citadel: inside the seeded areas

WRK_LUA = r"""
-- One wrk script for every endpoint; the mode and key come as arguments after "--".
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  key = args[2] or ""
  query = args[3] or ""
  counter = 0
  ok = 0
  bad = 0
  last_bad = 0
  math.randomseed(os.time() + tid * 7919)
end

local function point()
  local lat = 16.4637 + (math.random() - 0.5) * 0.02
  local lon = 107.5909 + (math.random() - 0.5) * 0.02
  return string.format("%.6f", lat), string.format("%.6f", lon)
end

request = function()
  counter = counter + 1
  local n = string.format("%d-%d-%d", os.time(), tid, counter)
  if mode == "open311" then
    local lat, lon = point()
    local body = "api_key=" .. key .. "&service_code=sanitation"
      .. "&attribute%5Bwaste_type%5D=household&lat=" .. lat .. "&long=" .. lon
      .. "&description=Bench+report+" .. n .. "+r%C3%A1c+th%E1%BA%A3i+%C4%91%E1%BB%95+tr%E1%BB%99m"
    return wrk.format("POST", "/open311/v2/requests.json",
      {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  elseif mode == "api" then
    local lat, lon = point()
    local body = '{"category": "sanitation", "description": "Bench report ' .. n
      .. ' rác thải đổ trộm", "lat": ' .. lat .. ', "lon": ' .. lon .. '}'
    return wrk.format("POST", "/api/v1/reports", {
      ["Content-Type"] = "application/json",
      ["X-API-Key"] = key,
      ["Idempotency-Key"] = "bench-" .. n,
    }, body)
  else
    return wrk.format("GET", query)
  end
end

response = function(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    last_bad = status
  end
end

done = function(summary, latency, requests)
  local good, wrong, status = 0, 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    wrong = wrong + t:get("bad")
    if t:get("last_bad") ~= 0 then status = t:get("last_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "ok": %d, "bad": %d, "last_bad_status": %d, '
    .. '"socket_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, good, wrong, status,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


# -- setup -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _psql(base: str, sql: str, db: str = "postgres") -> str:
    import psycopg

    with psycopg.connect(f"{base}/{db}", autocommit=True) as conn:
        cur = conn.execute(sql)
        return str(cur.fetchone()[0]) if cur.description else ""


def _cityops(env: dict[str, str], *args: str) -> str:
    started = time.monotonic()
    out = subprocess.run(  # noqa: S603 - our own binaries and arguments
        [str(BIN / "cityops"), *args], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise SystemExit(f"cityops {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    print(
        f"   cityops {' '.join(args)[:60].splitlines()[0]}: {time.monotonic() - started:.1f} s",
        flush=True,
    )
    return out.stdout


SESSION_CODE = """
from django.test import Client
from cityops.accounts.models import User, Role
user, _ = User.objects.get_or_create(username="bench-operator", defaults={"role": Role.OPERATOR})
user.role = Role.OPERATOR
user.set_password("bench-operator-password")
user.save()
client = Client()
client.force_login(user)
print("SESSION", client.cookies["sessionid"].value)
"""


def prepare(env: dict[str, str], base: str) -> dict[str, Any]:
    _psql(base, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _psql(base, f"CREATE DATABASE {DB_NAME}")
    started = time.monotonic()
    _cityops(env, "migrate", "--no-input", "-v", "0")
    _cityops(env, "seed", "--no-demo", "-v", "0")
    out = _cityops(env, "apikey", "create", "--name", "bench intake")
    key = out.strip().split()[-1]
    session = _cityops(env, "shell", "-c", SESSION_CODE).split("SESSION", 1)[1].strip()
    seeded = time.monotonic()
    _cityops(env, "seed", "--reports", str(SEEDED_REPORTS), "--bulk", "-v", "0")
    seed_seconds = time.monotonic() - seeded
    # As autovacuum would have by now (it is off on this machine's PostgreSQL): without table
    # statistics the planner guesses, and the query figures measure its guesses.
    _psql(base, "VACUUM ANALYZE", DB_NAME)
    reports = int(_psql(base, "SELECT count(*) FROM reports_report", DB_NAME))
    return {
        "key": key,
        "session": session,
        "setup_seconds": round(seeded - started, 1),
        "seed_reports_seconds": round(seed_seconds, 1),
        "reports": reports,
    }


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.log = log
        command = [str(BIN / "python"), "-m", "uvicorn", "cityops.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", "2"]
        command += ["--lifespan", "off", "--no-access-log", "--log-level", "warning"]
        command += ["--loop", "uvloop", "--http", "httptools"]
        self.process = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
            command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=ROOT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"uvicorn exited:\n{log.read_text()}")
            try:
                health = self.url("/healthz")
                with urllib.request.urlopen(health, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"uvicorn did not start:\n{log.read_text()}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


# -- wrk -------------------------------------------------------------------------------------


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def settle(server: Server) -> float:
    """Wait until both workers have finished the previous measurement's requests.

    wrk closes its connections at the end, but the workers still finish what they had started
    (32 one-thousand-report pages are ≈10 s of CPU): the next measurement must not pay for it.
    A request to /healthz cannot tell (the idle worker answers it), the workers' CPU time can:
    settled when they used under 5 % of a core over half a second.
    """
    started = time.monotonic()
    workers = _children(server.process.pid) or [server.process.pid]
    hz = os.sysconf("SC_CLK_TCK")
    time.sleep(1)
    while time.monotonic() - started < 60:
        before = _cpu_ticks(workers)
        time.sleep(0.5)
        if (_cpu_ticks(workers) - before) / hz < 0.025:
            break
    return round(time.monotonic() - started, 1)


def wrk(server: Server, lua: Path, mode: str, key: str = "", query: str = "/healthz") -> dict:
    settled = settle(server)
    load = loadavg()
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s"]
    command += ["-s", str(lua), server.url("/"), "--", mode, key, query]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"^WRK_JSON (.*)$", out, re.M)
    if not match:
        raise SystemExit(f"wrk said:\n{out}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    figure = {
        "requests_per_s": round(raw["ok"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p90_ms": round(raw["p90_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "ok": raw["ok"],
        "not_2xx": raw["bad"],
        "last_not_2xx_status": raw["last_bad_status"],
        "socket_errors": raw["socket_errors"],
        "timeouts": raw["timeouts"],
        "loadavg_before": load,
        "settle_seconds_before": settled,
    }
    print(
        f"   {mode:8} {query if mode == 'get' else '':32} {figure['requests_per_s']:8.1f}/s "
        f"p50 {figure['p50_ms']:6.1f} ms p99 {figure['p99_ms']:7.1f} ms "
        f"not-2xx {raw['bad']} errors {raw['socket_errors']} timeouts {raw['timeouts']} "
        f"load {load[0]} settled {settled} s",
        flush=True,
    )
    return figure


def median_of(runs: list[dict]) -> dict:
    keys = ["requests_per_s", "p50_ms", "p90_ms", "p99_ms"]
    summary: dict[str, Any] = {k: round(statistics.median(r[k] for r in runs), 1) for k in keys}
    summary["not_2xx_total"] = sum(r["not_2xx"] for r in runs)
    summary["socket_errors_total"] = sum(r["socket_errors"] for r in runs)
    # Requests still unanswered after wrk's 10 s timeout: not in the latency percentiles.
    summary["timeouts_total"] = sum(r["timeouts"] for r in runs)
    summary["runs"] = runs
    return summary


def ratio(a: dict, b: dict) -> float:
    return round(a["requests_per_s"] / b["requests_per_s"], 3) if b["requests_per_s"] else 0.0


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


# -- main ------------------------------------------------------------------------------------


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    pg_url = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/cityops")
    base = pg_url.rsplit("/", 1)[0]
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    data_dir = Path(tempfile.mkdtemp(prefix="cityops-bench-intake-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cityops.settings",
        "DATABASE_URL": f"{base}/{DB_NAME}",
        "CITYOPS_DATA_DIR": str(data_dir / "data"),
        "SECRET_KEY": secrets.token_urlsafe(50),  # the session made here is read by the server
        "REDIS_URL": redis_url,
        "CITYOPS_JOBS_IMMEDIATE": "0",
        "CITYOPS_RATE_WRITE_PER_IP": "10000000/m",
        "CITYOPS_RATE_WRITE_PER_KEY": "10000000/m",
        "CITYOPS_RATE_LOGIN_PER_IP": "10000000/m",
        "LOG_LEVEL": "WARNING",
    }
    lua = data_dir / "bench.lua"
    lua.write_text(WRK_LUA)
    began = datetime.now(UTC)
    print(f"== setup: database {DB_NAME}, data {data_dir}", flush=True)
    setup = prepare(env, base)
    server = Server(env, data_dir / "uvicorn.log")
    key = setup["key"]
    rounds: dict[str, list[dict]] = {
        k: []
        for k in (
            "healthz_q",
            "api_list",
            "open311_list",
            "open311_20",
            "healthz",
            "open311",
            "api",
        )
    }
    try:
        print("== public queries", flush=True)
        for _ in range(ROUNDS):
            rounds["healthz_q"].append(wrk(server, lua, "get"))
            rounds["api_list"].append(wrk(server, lua, "get", query="/api/v1/reports?page_size=20"))
            rounds["open311_list"].append(
                wrk(server, lua, "get", query="/open311/v2/requests.json")
            )
            rounds["open311_20"].append(
                wrk(server, lua, "get", query="/open311/v2/requests.json?page_size=20")
            )
        print("== intake", flush=True)
        for _ in range(ROUNDS):
            rounds["healthz"].append(wrk(server, lua, "get"))
            rounds["open311"].append(wrk(server, lua, "open311", key))
            rounds["api"].append(wrk(server, lua, "api", key))
        print("== fan-out", flush=True)
        fan = []
        for r in range(ROUNDS):
            settle(server)
            fan.append(asyncio.run(fan_out_round(server.port, setup["session"], key, r)))
    finally:
        server.stop()
    reports_after = int(_psql(base, "SELECT count(*) FROM reports_report", DB_NAME))

    healthz_q = median_of(rounds["healthz_q"])
    healthz = median_of(rounds["healthz"])
    open311 = median_of(rounds["open311"])
    api = median_of(rounds["api"])
    api_list = median_of(rounds["api_list"])
    open311_list = median_of(rounds["open311_list"])
    open311_20 = median_of(rounds["open311_20"])
    for figure, against in ((open311, healthz), (api, healthz)):
        figure["ratio_to_healthz"] = ratio(figure, against)
        figure["goal_reports_per_s"] = GOAL_REPORTS_PER_S
        figure["goal_met"] = figure["requests_per_s"] >= GOAL_REPORTS_PER_S
    for figure in (api_list, open311_list, open311_20):
        figure["ratio_to_healthz"] = ratio(figure, healthz_q)
    result = {
        "benchmark": "intake",
        "ran_at": began.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "what": (
            "uvicorn --workers 2 (httptools, uvloop, no access log) on PostgreSQL and Redis; "
            f"wrk -t{THREADS} -c{CONNECTIONS}, {SECONDS} s a measurement, on the same cores; "
            f"medians of {ROUNDS} rounds; requests_per_s counts 2xx answers only"
        ),
        "server_env": {
            k: v
            for k, v in env.items()
            if k.startswith("CITYOPS_RATE") or k in ("CITYOPS_JOBS_IMMEDIATE", "REDIS_URL")
        },
        "database": {
            "name": DB_NAME,
            "reports_for_queries": setup["reports"],
            "reports_after": reports_after,
            "seed_reports_seconds": setup["seed_reports_seconds"],
        },
        "healthz_with_queries": healthz_q,
        "api_v1_list_page_20": api_list,
        "open311_list": open311_list,
        "open311_list_page_20": open311_20,
        "healthz_with_intake": healthz,
        "open311_post": open311,
        "api_v1_post": api,
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
        "machine": machine(
            memory=True,
            postgresql=_psql(base, "SHOW server_version"),
            redis=command_version(["redis-server", "--version"]),
            wrk=command_version(["wrk", "-v"]),
            uvicorn=command_version([str(BIN / "python"), "-m", "uvicorn", "--version"]),
            loadavg_at_end=loadavg(),
        ),
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=1)[:3000])
    redis.Redis.from_url(redis_url).flushdb()
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
