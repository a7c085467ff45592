"""The webhooks under load: signed Messenger, Zalo and SMS calls to reports, nothing lost, nothing
doubled.

``.venv/bin/python bench/channels.py`` (≈2 min); ``--quick`` (or ``BENCH_QUICK=1``: 10 s, its
JSON to a temporary file, not to bench/results/). Needs PostgreSQL at ``PG_URL`` (the bench
works in a database of its own, ``cityops_bench_channels`` or ``BENCH_DB_NAME``, created afresh)
and Redis at ``BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/14, flushed by the bench).

The server is ``uvicorn cityops.asgi:application --workers 2`` with the Huế configuration
(``cityops seed --no-demo``), the Facebook, Zalo and SMS channels on, and Meta's Graph API,
Zalo's OA API and the SMS gateway replaced by local fakes in this process (real HTTP servers
speaking their JSON and checking the tokens), which record every answer CityOps sends. The load:
50 signed webhook calls a second for 60 s, the citizens taking the three webhooks in turn. A
chat citizen sends a complete report in one message — a description with the coordinates of a
place inside Huế — and, once that was answered with the guessed category, "1" to confirm it; a
texting citizen sends the description, then (once answered) the street. Every tenth delivery is
delivered again a little later (as platforms retry). After the run, counted in the database
against what was sent: every message kept exactly once (``lost`` 0, ``doubled`` 0), one report
per citizen who finished, and every such citizen's acknowledgement with the report's number
recorded by the fakes. Exits non-zero otherwise, after
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
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from lib.machine import loadavg, machine
from lib.server import BIN, ROOT, Bench, Server, cityops, psql, psql_row, say

sys.path.insert(0, str(ROOT))
from cityops.channels.tests.http_peers import SMS_TOKEN, SmsGatewayFake
from cityops.webhooks.tests.fakes import META_TOKEN, ZALO_TOKEN, FakePlatforms

DB_NAME = "cityops_bench_channels"
RATE = 50  # webhook calls a second
REPEAT_EVERY = 10  # every tenth delivery is delivered twice
HUE = (16.4637, 107.5909)  # Lê Lợi / Đông Ba: inside the seeded areas
PAGE = "106433968765432"
APP_SECRET = secrets.token_hex(16)
ZALO_APP_ID, ZALO_SECRET = "bench-app", secrets.token_hex(16)
SMS_SECRET = secrets.token_hex(16)
PROBLEM = "Rác thải đổ bừa bãi ở đầu kiệt, bốc mùi hôi thối"
STREET = "12 Lê Lợi, phường Thuận Hóa"
PLATFORMS = ("facebook", "zalo", "sms")  # the citizens take them in turn
PATHS = {"facebook": "/webhooks/messenger/", "zalo": "/webhooks/zalo/", "sms": "/webhooks/sms/"}


def meta_signature(*, raw_body: bytes, app_secret: str) -> str:
    """``X-Hub-Signature-256`` as Meta signs (cityops/webhooks/messenger.py checks it)."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def meta_call(psid: str, mid: str, text: str) -> tuple[bytes, dict[str, str]]:
    event = {
        "sender": {"id": psid},
        "recipient": {"id": PAGE},
        "timestamp": int(time.time() * 1000),
        "message": {"mid": mid, "text": text},
    }
    entry = [{"id": PAGE, "time": event["timestamp"], "messaging": [event]}]
    body = json.dumps({"object": "page", "entry": entry}, ensure_ascii=False).encode()
    return body, {"X-Hub-Signature-256": meta_signature(raw_body=body, app_secret=APP_SECRET)}


def zalo_call(user: str, mid: str, text: str) -> tuple[bytes, dict[str, str]]:
    """A ``user_send_text`` event, signed as cityops/webhooks/zalo.py checks it."""
    timestamp = str(int(time.time() * 1000))
    event = {
        "app_id": ZALO_APP_ID,
        "event_name": "user_send_text",
        "timestamp": timestamp,
        "sender": {"id": user},
        "recipient": {"id": PAGE},
        "message": {"msg_id": mid, "text": text},
    }
    body = json.dumps(event, ensure_ascii=False).encode()
    joined = ZALO_APP_ID.encode() + body + timestamp.encode() + ZALO_SECRET.encode()
    return body, {"X-ZEvent-Signature": "mac=" + hashlib.sha256(joined).hexdigest()}


def sms_call(phone: str, mid: str, text: str) -> tuple[bytes, dict[str, str]]:
    """A text as the gateway forwards it, signed as cityops/channels/adapters/sms.py checks."""
    body = json.dumps({"from": phone, "text": text, "id": mid}, ensure_ascii=False).encode()
    signature = hmac.new(SMS_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-CityOps-Signature": "sha256=" + signature}


CALLS = {"facebook": meta_call, "zalo": zalo_call, "sms": sms_call}


class Load:
    """The deliveries of one run: which went out, how they were answered, how long it took."""

    def __init__(self, base: str, prefix: str) -> None:
        self.base, self.prefix = base, prefix
        self.lock = threading.Lock()
        self.statuses: dict[int, int] = {}
        self.latencies: list[float] = []
        self.sent_mids: set[str] = set()
        self.confirmed: set[str] = set()  # citizens whose "1" was answered 200
        self.deliveries = 0
        self.repeats: queue.Queue[tuple[str, str, str, bool]] = queue.Queue()
        self.finished: dict[str, str] = {}  # citizen → platform, once their last step was taken
        self.ready: queue.Queue[str] = queue.Queue()  # citizens answered, to confirm
        self.citizens = 0
        self.queued: set[str] = set()

    def post(self, psid: str, mid: str, text: str, *, confirm: bool, repeat: bool = False) -> None:
        platform = platform_of(psid)
        body, signature = CALLS[platform](psid, mid, text)
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.base + PATHS[platform],
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", **signature},
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
                    self.finished[psid] = platform
        if status == 200 and not confirm and not repeat and platform_of(psid) != "sms":
            self.ready.put(psid)  # the citizen read the question: now "1"

    def texts_read(self, gateway: SmsGatewayFake, stop: threading.Event) -> None:
        """A texting citizen answers once the question reached their phone (the webhook only
        keeps the text; a job answers it)."""
        seen, asked = 0, set()
        while not stop.wait(0.05):
            for to, _text in gateway.sent[seen:]:
                phone = to.replace("+84", "0", 1)
                if phone not in asked and phone.startswith("09"):
                    asked.add(phone)
                    self.ready.put(phone)
                seen += 1

    def next_delivery(self) -> tuple[str, str, str, bool]:
        """A repeat due, else a citizen's confirmation, else a new citizen's report."""
        try:
            return self.repeats.get_nowait()
        except queue.Empty:
            pass
        try:
            psid = self.ready.get_nowait()
            answer = STREET if platform_of(psid) == "sms" else "1"
            return psid, f"{self.prefix}-{psid}-b", answer, True
        except queue.Empty:
            pass
        self.citizens += 1
        psid = citizen_id(self.prefix, self.citizens)
        text = f"{PROBLEM} (lần {self.citizens})"
        if platform_of(psid) != "sms":
            text += f" {HUE[0]:.4f}, {HUE[1]:.4f}"
        return psid, f"{self.prefix}-{psid}-a", text, False

    def run(self, seconds: float, gateway: SmsGatewayFake) -> None:
        stop = threading.Event()
        reader = threading.Thread(target=self.texts_read, args=(gateway, stop), daemon=True)
        reader.start()
        try:
            self._send(seconds)
        finally:
            stop.set()

    def _send(self, seconds: float) -> None:
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


def citizen_id(prefix: str, number: int) -> str:
    """A chat id, or for every third citizen a phone number (the prefix is hex: its digits
    stand in the number)."""
    platform = PLATFORMS[number % len(PLATFORMS)]
    if platform == "sms":
        digits = str(int(prefix[1:], 16) % 100)
        return f"09{digits:0>2}{number:06d}"
    return f"{platform[0]}{prefix}{number:06d}"


def platform_of(citizen: str) -> str:
    return "sms" if citizen.startswith("09") else {"f": "facebook", "z": "zalo"}[citizen[0]]


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
        "SELECT count(*), count(DISTINCT (channel, external_id)) FROM channels_channelmessage "
        "WHERE direction = 'in' AND external_id LIKE %s",
        (like,),
        bench.db_name,
    )
    reports, conversations = psql_row(
        bench.base,
        "SELECT count(DISTINCT r.id), count(DISTINCT c.id) FROM reports_report r "
        "JOIN channels_conversation c ON c.report_id = r.id "
        "WHERE c.id IN (SELECT conversation_id FROM channels_channelmessage "
        "WHERE direction = 'in' AND external_id LIKE %s)",
        (like,),
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
    fakes, gateway = FakePlatforms(), SmsGatewayFake().start()
    bench.env.update(
        CITYOPS_CHANNEL_FACEBOOK="1",
        CITYOPS_META_APP_SECRET=APP_SECRET,
        CITYOPS_META_PAGE_TOKEN=META_TOKEN,
        CITYOPS_META_GRAPH_URL=fakes.platform.url + "/v19.0",
        CITYOPS_CHANNEL_ZALO="1",
        CITYOPS_ZALO_APP_ID=ZALO_APP_ID,
        CITYOPS_ZALO_OA_SECRET_KEY=ZALO_SECRET,
        CITYOPS_ZALO_OA_ACCESS_TOKEN=ZALO_TOKEN,
        CITYOPS_ZALO_API_URL=fakes.platform.url,
        CITYOPS_CHANNEL_SMS="1",
        CITYOPS_SMS_GATEWAY_URL=gateway.url,
        CITYOPS_SMS_GATEWAY_TOKEN=SMS_TOKEN,
        CITYOPS_SMS_WEBHOOK_SECRET=SMS_SECRET,
        CITYOPS_RATE_WEBHOOK_PER_CHANNEL="10000000/m",
    )
    say(f"channels bench: {RATE} signed Messenger, Zalo and SMS calls/s for {seconds} s")
    server = worker = None
    try:
        prepare(bench)
        server = Server(bench, workers=2)
        # Texts are answered by jobs (the webhook only keeps them): one job worker.
        worker = subprocess.Popen(  # noqa: S603 - our own command
            [str(BIN / "cityops"), "worker"],
            env=bench.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = server.url("")
        warmup = Load(base, "warm")  # both workers load the classifier before the clock starts
        for n in range(8):
            citizen = f"fwarm{n}"
            warmup.post(citizen, f"warm-{n}", f"{PROBLEM} {HUE[0]}, {HUE[1]}", confirm=False)
        load_before = loadavg()
        prefix = f"b{secrets.token_hex(3)}"
        load = Load(base, prefix)
        started = time.monotonic()
        load.run(seconds, gateway)
        elapsed = time.monotonic() - started
        time.sleep(5)  # the last texts answered by the worker
        found = counts(bench, prefix)
    finally:
        if server is not None:
            server.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        fakes.stop()
        gateway.stop()

    told = [*fakes.platform.sent, *((to.replace("+84", "0", 1), text) for to, text in gateway.sent)]
    acknowledged = {who for who, text in told if "#" in text and "/reports/" in text}
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
            "by_platform": {
                name: sum(1 for platform in load.finished.values() if platform == name)
                for name in PLATFORMS
            },
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
