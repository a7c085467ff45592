"""Chat channels under load: signed Messenger webhooks to reports, nothing lost, nothing doubled.

``.venv/bin/python bench/channels.py`` (≈2 min); ``--quick`` (or ``BENCH_QUICK=1``: 10 s, its
JSON to a temporary file, not to bench/results/). Needs PostgreSQL at ``PG_URL`` (the bench
works in a database of its own, ``cityops_bench_channels`` or ``BENCH_DB_NAME``, created afresh)
and Redis at ``BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/14, flushed by the bench).

The server is ``uvicorn cityops.asgi:application --workers 2`` with the Huế configuration
(``cityops seed --no-demo``), the Facebook channel on, and Meta's Graph API replaced by a local
fake in this process (a real HTTP server speaking the Send API's JSON and checking the page
token), which records every answer CityOps sends. The load: 50 signed webhook calls a second
for 60 s. Each citizen (a page-scoped id) sends a complete report in one message — a
description with the coordinates of a place inside Huế — and, once that was answered with the
guessed category, "1" to confirm it; every tenth delivery is delivered again a little later (as
Meta retries). After the run, counted in the database against what was sent: every message kept
exactly once (``lost`` 0, ``doubled`` 0), one report per confirmed citizen, and every citizen's
acknowledgement with the report's number recorded by the fake. Exits non-zero otherwise, after
writing its JSON (``bench/results/channels.json`` only for a full run).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import queue
import secrets
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from lib.machine import loadavg, machine
from lib.server import ROOT, Bench, Server, cityops, psql, psql_row, say

sys.path.insert(0, str(ROOT))
from cityops.webhooks.tests.fakes import META_TOKEN, FakePlatforms

DB_NAME = "cityops_bench_channels"
RATE = 50  # webhook calls a second
REPEAT_EVERY = 10  # every tenth delivery is delivered twice
HUE = (16.4637, 107.5909)  # Lê Lợi / Đông Ba: inside the seeded areas
PAGE = "106433968765432"
APP_SECRET = secrets.token_hex(16)
PROBLEM = "Rác thải đổ bừa bãi ở đầu kiệt, bốc mùi hôi thối"


def meta_signature(*, raw_body: bytes, app_secret: str) -> str:
    """``X-Hub-Signature-256`` as Meta signs (cityops/webhooks/messenger.py checks it)."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def meta_call(psid: str, mid: str, text: str) -> bytes:
    event = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE},
        "timestamp": int(time.time() * 1000),
        "message": {"mid": mid, "text": text},
    }
    entry = [{"id": PAGE, "time": event["timestamp"], "messaging": [event]}]
    return json.dumps({"object": "page", "entry": entry}, ensure_ascii=False).encode()


class Load:
    """The deliveries of one run: which went out, how they were answered, how long it took."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url, self.prefix = url, prefix
        self.lock = threading.Lock()
        self.statuses: dict[int, int] = {}
        self.latencies: list[float] = []
        self.sent_mids: set[str] = set()
        self.confirmed: set[str] = set()  # citizens whose "1" was answered 200
        self.deliveries = 0
        self.repeats: queue.Queue[tuple[str, str, str, bool]] = queue.Queue()
        self.ready: queue.Queue[str] = queue.Queue()  # citizens answered, to confirm
        self.citizens = 0
        self.queued: set[str] = set()

    def post(self, psid: str, mid: str, text: str, *, confirm: bool, repeat: bool = False) -> None:
        body = meta_call(psid, mid, text)
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": meta_signature(raw_body=body, app_secret=APP_SECRET),
            },
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        elapsed = time.monotonic() - started
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(elapsed)
            if status == 200:
                self.sent_mids.add(mid)
                if confirm:
                    self.confirmed.add(psid)
        if status == 200 and not confirm and not repeat:
            self.ready.put(psid)  # the citizen read the question: now "1"

    def next_delivery(self) -> tuple[str, str, str, bool]:
        """A repeat due, else a citizen's confirmation, else a new citizen's report."""
        try:
            return self.repeats.get_nowait()
        except queue.Empty:
            pass
        try:
            psid = self.ready.get_nowait()
            return psid, f"{self.prefix}-{psid}-b", "1", True
        except queue.Empty:
            pass
        self.citizens += 1
        psid = f"{self.prefix}{self.citizens:06d}"
        text = f"{PROBLEM} (lần {self.citizens}) {HUE[0]:.4f}, {HUE[1]:.4f}"
        return psid, f"{self.prefix}-{psid}-a", text, False

    def run(self, seconds: float) -> None:
        with ThreadPoolExecutor(max_workers=64) as pool:
            started = time.monotonic()
            while (due := started + self.deliveries / RATE) < started + seconds:
                time.sleep(max(0.0, due - time.monotonic()))
                psid, mid, text, confirm = self.next_delivery()
                self.deliveries += 1
                repeat = mid in self.queued
                self.queued.add(mid)
                if self.deliveries % REPEAT_EVERY == 0 and not repeat:
                    self.repeats.put((psid, mid, text, confirm))
                pool.submit(self.post, psid, mid, text, confirm=confirm, repeat=repeat)


def prepare(bench: Bench) -> None:
    bench.flush_redis()
    psql(bench.base, f"DROP DATABASE IF EXISTS {bench.db_name} WITH (FORCE)")
    psql(bench.base, f"CREATE DATABASE {bench.db_name}")
    cityops(bench.env, "migrate", "--no-input", "-v", "0")
    cityops(bench.env, "seed", "--no-demo", "-v", "0")


def counts(bench: Bench, prefix: str) -> dict[str, int]:
    like = f"{prefix}-%"
    kept, distinct = psql_row(
        bench.base,
        "SELECT count(*), count(DISTINCT external_id) FROM channels_channelmessage "
        "WHERE channel = 'facebook' AND direction = 'in' AND external_id LIKE %s",
        (like,),
        bench.db_name,
    )
    reports, conversations = psql_row(
        bench.base,
        "SELECT count(DISTINCT r.id), count(DISTINCT c.id) FROM reports_report r "
        "JOIN channels_conversation c ON c.report_id = r.id "
        "WHERE r.channel = 'facebook' AND c.address LIKE %s",
        (prefix + "%",),
        bench.db_name,
    )
    return {
        "kept": int(kept),
        "distinct": int(distinct),
        "reports": int(reports),
        "conversations": int(conversations),
    }


def main() -> int:
    bench = Bench.from_environment("channels", DB_NAME, sys.argv)
    seconds = 10 if bench.quick else int(os.environ.get("BENCH_CHANNEL_SECONDS", "60"))
    fakes = FakePlatforms()
    bench.env.update(
        CITYOPS_CHANNEL_FACEBOOK="1",
        CITYOPS_META_APP_SECRET=APP_SECRET,
        CITYOPS_META_PAGE_TOKEN=META_TOKEN,
        CITYOPS_META_GRAPH_URL=fakes.platform.url + "/v19.0",
        CITYOPS_RATE_WEBHOOK_PER_CHANNEL="10000000/m",
    )
    say(f"channels bench: {RATE} signed Messenger calls/s for {seconds} s")
    server = None
    try:
        prepare(bench)
        server = Server(bench, workers=2)
        url = server.url("/webhooks/messenger/")
        warmup = Load(url, "warm")  # both workers load the classifier before the clock starts
        for n in range(8):
            warmup.post(f"warm{n}", f"warm-{n}", f"{PROBLEM} {HUE[0]}, {HUE[1]}", confirm=False)
        load_before = loadavg()
        prefix = f"b{secrets.token_hex(3)}"
        load = Load(url, prefix)
        started = time.monotonic()
        load.run(seconds)
        elapsed = time.monotonic() - started
        time.sleep(1)
        found = counts(bench, prefix)
    finally:
        if server is not None:
            server.stop()
        fakes.stop()

    acknowledged = {
        who
        for who, text in fakes.platform.sent
        if who.startswith(prefix) and "#" in text and "/reports/" in text
    }
    latencies = sorted(load.latencies)
    result: dict[str, Any] = {
        "bench": "channels",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_before": load_before,
        "seconds": round(elapsed, 1),
        "rate_per_s": RATE,
        "deliveries": load.deliveries,
        "answers": {str(code): count for code, count in sorted(load.statuses.items())},
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
        "messages": {
            "sent": len(load.sent_mids),
            "kept": found["kept"],
            "lost": len(load.sent_mids) - found["distinct"],
            "doubled": found["kept"] - found["distinct"],
        },
        "reports": {
            "confirmed_citizens": len(load.confirmed),
            "made": found["reports"],
            "lost": len(load.confirmed) - found["reports"],
            "doubled": max(0, found["reports"] - found["conversations"]),
            "acknowledged": len(acknowledged & load.confirmed),
        },
    }
    ok = (
        result["messages"]["lost"] == 0
        and result["messages"]["doubled"] == 0
        and result["reports"]["lost"] == 0
        and result["reports"]["doubled"] == 0
        and result["reports"]["acknowledged"] == len(load.confirmed)
        and set(load.statuses) == {200}
    )
    result["ok"] = ok
    path = bench.result_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    say(json.dumps({k: result[k] for k in ("answers", "p50_ms", "p99_ms", "messages", "reports")}))
    say(f"written to {path}")
    bench.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
