"""Camera violations: are 10 cameras sending one event a second handled with p95 under 5 s?

``.venv/bin/python bench/violations.py`` (10 cameras, 60 s); ``--quick`` (or ``BENCH_QUICK=1``:
15 s; result in a temporary file, not bench/results/). ``BENCH_VIOLATION_CAMERAS`` and
``BENCH_VIOLATION_SECONDS`` change the figures. Needs PostgreSQL at ``PG_URL`` (the bench works
in a database of its own, ``cityops_bench_violations`` or ``BENCH_DB_NAME``, created afresh) and
Redis at ``BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/14, flushed by the bench).

What runs, as deployed on one machine:

- **the server**: uvicorn with two workers (``cityops.asgi``), rate limits raised out of the
  way (ten cameras behind one address exceed the default per-address write limit: a
  deployment sets ``CITYOPS_RATE_WRITE_PER_IP`` for its camera gateway).
- **the job worker**: ``cityops worker`` (one process, two threads, Redis) with every periodic
  job of the project, among them the blur sweep (``blur_pending_frames``, one minute's share of
  a thread at most) that makes the frames' public copies with the real detector.
- **the cameras**: ten threads, one per camera, each with its own keep-alive connection and
  API key, sending one event a second: ``POST /api/v1/cameras/{code}/violations`` with three
  1280×720 JPEG frames (drawn here: a street, vehicles, a number plate; about 0.1–0.2 MB each)
  and a plate never seen before, so that every event makes a new case (no duplicate is merged:
  the heaviest path).

Measured: the answer time of each POST (202 expected), and **event to case**: from the moment
the camera started sending to the moment the job committed the case (``Detection.processed_at``,
same machine, same clock), for every event; p50, p95, p99 and the largest. Also the CPU seconds
of the server's workers and of the job worker over the run, the frames blurred by the sweep
during the run and those still waiting at the end. Goal: p95 event-to-case under 5 s. Results
with the machine and its load averages (the cores are shared). Not a test.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any

import numpy as np
from lib.machine import cpu_seconds, loadavg, machine
from lib.server import BIN, ROOT, Bench, Server, cityops, psql, say
from PIL import Image, ImageDraw

DB_NAME = "cityops_bench_violations"
WORKER_THREADS = 2  # ``cityops worker``'s default
FRAME_POOL = 24
GOAL_P95_S = 5.0
PROVINCES = ["75", "43", "29", "30", "51", "59", "92", "74", "38", "36"]
SERIES = "ABCDEFGHKLMNPSTUVXYZ"

CAMERAS_CODE = """
from cityops.monitoring.models import Sensor
from cityops.accounts.services import apikey_create
for n in range({cameras}):
    Sensor.objects.create(code=f"bench-cam-{{n:02d}}", name=f"Camera giao thông {{n}}",
                          kind="camera", lat=16.46 + n / 1000, lon=107.59 + n / 1000, metrics=[])
    print("KEY", apikey_create(name=f"bench camera {{n}}").secret)
"""


# -- the frames ------------------------------------------------------------------------------


def frame(seed: int) -> bytes:
    """A 1280×720 street scene as a camera sends it: road, kerb, vehicles, a plate, noise."""
    rng = np.random.default_rng(seed)
    height, width = 720, 1280
    sky = np.linspace(170, 120, height // 3)[:, None, None] * np.ones((1, width, 3))
    road = np.linspace(90, 60, height - height // 3)[:, None, None] * np.ones((1, width, 3))
    pixels = np.concatenate([sky, road]).astype(np.float32)
    pixels += rng.normal(0, 6, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 80):
        draw.rectangle((x, 300, x + 40, 310), fill=(230, 230, 230))
    for _ in range(int(rng.integers(2, 6))):
        x, y = int(rng.integers(0, width - 300)), int(rng.integers(330, height - 200))
        colour = tuple(int(c) for c in rng.integers(20, 230, 3))
        draw.rectangle((x, y, x + 260, y + 150), fill=colour)
        draw.rectangle((x + 90, y + 115, x + 170, y + 140), fill=(245, 245, 245))
        draw.text(
            (x + 96, y + 120), f"{rng.integers(11, 99)}A-{rng.integers(100, 999)}.", fill=(0, 0, 0)
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def plate(rng: random.Random) -> str:
    return (
        f"{rng.choice(PROVINCES)}{rng.choice(SERIES)}-{rng.randint(100, 999)}.{rng.randint(10, 99)}"
    )


# -- the cameras -----------------------------------------------------------------------------


class Camera(threading.Thread):
    """One camera: an event a second on its own connection, for ``seconds``."""

    def __init__(
        self, index: int, key: str, port: int, frames: list[str], start: float, seconds: int
    ):
        super().__init__(daemon=True)
        self.code, self.key, self.port = f"bench-cam-{index:02d}", key, port
        self.frames, self.start_at, self.seconds = frames, start, seconds
        self.rng = random.Random(index)
        self.sent: list[dict[str, Any]] = []

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        # Spread the cameras over the second, as real ones are.
        due = self.start_at + self.rng.random()
        end = self.start_at + self.seconds
        while due < end:
            pause = due - time.time()
            if pause > 0:
                time.sleep(pause)
            body = json.dumps(
                {
                    "rule": self.rng.choice(["red_light", "wrong_way", "wrong_lane"]),
                    "plate": plate(self.rng),
                    "vehicle_type": self.rng.choice(["car", "truck", "bus"]),
                    "confidence": round(self.rng.uniform(0.6, 0.99), 2),
                    "observed_at": datetime.now(UTC).isoformat(),
                    "frames": self.rng.sample(self.frames, 3),
                }
            )
            sent = time.time()
            record: dict[str, Any] = {"sent": sent}
            try:
                connection.request(
                    "POST",
                    f"/api/v1/cameras/{self.code}/violations",
                    body=body,
                    headers={"Content-Type": "application/json", "X-API-Key": self.key},
                )
                answer = connection.getresponse()
                data = answer.read()
                record |= {"status": answer.status, "answered": time.time()}
                if answer.status == 202:
                    record["detection"] = json.loads(data)["detection"]
            except (OSError, http.client.HTTPException) as error:
                record |= {"status": 0, "error": str(error), "answered": time.time()}
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.sent.append(record)
            due += 1.0
        connection.close()


# -- the run ---------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    array = np.asarray(values)
    return {
        "p50": round(float(np.percentile(array, 50)), 3),
        "p95": round(float(np.percentile(array, 95)), 3),
        "p99": round(float(np.percentile(array, 99)), 3),
        "max": round(float(array.max()), 3),
    }


def processed(bench: Bench, ids: list[int]) -> dict[int, tuple[float | None, str]]:
    """Each detection's processing time (epoch seconds, None while pending) and status."""
    import psycopg

    with psycopg.connect(f"{bench.base}/{bench.db_name}", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT id, extract(epoch FROM processed_at), status FROM violations_detection"
            " WHERE id = ANY(%s)",
            (ids,),
        ).fetchall()
    return {row[0]: (float(row[1]) if row[1] is not None else None, row[2]) for row in rows}


def count(bench: Bench, sql: str) -> int:
    return int(psql(bench.base, sql, bench.db_name) or 0)


def main() -> None:
    bench = Bench.from_environment("violations", DB_NAME, sys.argv[1:])
    cameras = int(os.environ.get("BENCH_VIOLATION_CAMERAS", "10"))
    seconds = int(os.environ.get("BENCH_VIOLATION_SECONDS", "15" if bench.quick else "60"))
    say(f"violations bench: {cameras} cameras, one event a second each, {seconds} s")
    say("1. frames")
    pool = [base64.b64encode(frame(seed)).decode() for seed in range(FRAME_POOL)]
    sizes = [len(base64.b64decode(item)) for item in pool]
    say(f"   {len(pool)} frames of 1280x720, {min(sizes) // 1024}-{max(sizes) // 1024} KB")
    say("2. database")
    bench.flush_redis()
    psql(bench.base, f"DROP DATABASE IF EXISTS {bench.db_name} WITH (FORCE)")
    psql(bench.base, f"CREATE DATABASE {bench.db_name}")
    started = time.monotonic()
    cityops(bench.env, "migrate", "--no-input", "-v", "0")
    cityops(bench.env, "seed", "--no-demo", "-v", "0")  # Huế's areas: each case finds its ward
    out = cityops(bench.env, "shell", "-c", CAMERAS_CODE.format(cameras=cameras))
    keys = [line.split()[1] for line in out.splitlines() if line.startswith("KEY ")]
    setup_seconds = round(time.monotonic() - started, 1)
    server = worker = None
    try:
        say("3. server and job worker")
        server = Server(bench, workers=2, refresher=False)
        worker = subprocess.Popen(  # noqa: S603 - our own command
            [str(BIN / "cityops"), "worker", "--workers", str(WORKER_THREADS)],
            env=bench.env,
            stdout=(bench.data_dir / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        time.sleep(3)
        say("4. warm-up: one event per camera")
        warm = [Camera(i, keys[i], server.port, pool, time.time(), 1) for i in range(cameras)]
        for camera in warm:
            camera.start()
        for camera in warm:
            camera.join()
        time.sleep(5)
        load_before = loadavg()
        pids = [*server.worker_pids(), worker.pid]
        cpu_before = {pid: cpu_seconds([pid]) for pid in pids}
        blurred_before = count(
            bench, "SELECT count(*) FROM violations_evidence WHERE blurred_at IS NOT NULL"
        )
        say(f"5. {seconds} s of events")
        start = time.time() + 1
        threads = [Camera(i, keys[i], server.port, pool, start, seconds) for i in range(cameras)]
        for camera in threads:
            camera.start()
        for camera in threads:
            camera.join()
        sent_end = time.time()
        records = [record for camera in threads for record in camera.sent]
        ids = [record["detection"] for record in records if "detection" in record]
        deadline = time.time() + 300
        while time.time() < deadline:
            states = processed(bench, ids)
            if all(at is not None for at, _status in states.values()):
                break
            time.sleep(1)
        drained = time.time()
        cpu = {pid: round(cpu_seconds([pid]) - cpu_before[pid], 1) for pid in pids}
        load_after = loadavg()
        states = processed(bench, ids)
        latencies = [
            states[record["detection"]][0] - record["sent"]
            for record in records
            if "detection" in record and states.get(record["detection"], (None,))[0] is not None
        ]
        answers = [record["answered"] - record["sent"] for record in records]
        blurred = (
            count(bench, "SELECT count(*) FROM violations_evidence WHERE blurred_at IS NOT NULL")
            - blurred_before
        )
        waiting = count(
            bench,
            "SELECT count(*) FROM violations_evidence WHERE kind = 'frame' AND blurred_at IS NULL",
        )
        summary = percentiles(latencies)
        result = {
            "bench": "violations",
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(memory=True),
            "load_before": load_before,
            "load_after": load_after,
            "database": {"name": bench.db_name, "setup_seconds": setup_seconds},
            "config": {
                "cameras": cameras,
                "events_per_camera_per_s": 1,
                "seconds": seconds,
                "frames_per_event": 3,
                "frame": "1280x720 JPEG, quality 85",
                "frame_kb": [min(sizes) // 1024, max(sizes) // 1024],
                "plates": "never seen before: every event makes a new case",
                "server": "uvicorn, 2 workers (cityops.asgi)",
                "worker": f"cityops worker --workers {WORKER_THREADS} (one process, Redis), "
                "with the blur sweep every minute",
            },
            "events": {
                "sent": len(records),
                "accepted_202": sum(record["status"] == 202 for record in records),
                "refused": sum(record["status"] not in (202,) for record in records),
                "cased": sum(status == "cased" for _at, status in states.values()),
                "pending_at_end": sum(at is None for at, _status in states.values()),
                "rate_per_s": round(len(records) / (sent_end - start), 2),
            },
            "answer_s": percentiles(answers),
            "event_to_case_s": summary,
            "drained_after_last_event_s": round(drained - sent_end, 1),
            "cpu_s": {
                "server_workers": round(sum(cpu[pid] for pid in pids[:-1]), 1),
                "job_worker": cpu[worker.pid],
            },
            "blur": {"frames_blurred_during_run": blurred, "frames_waiting_at_end": waiting},
            "goal": {
                "event_to_case_p95_s": GOAL_P95_S,
                "met": summary["p95"] is not None and summary["p95"] < GOAL_P95_S,
            },
        }
        path = bench.result_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        say(json.dumps({k: result[k] for k in ("events", "answer_s", "event_to_case_s")}))
        say(f"written {path}")
    finally:
        if worker is not None:
            worker.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=20)
            if worker.poll() is None:
                worker.kill()
        if server is not None:
            server.stop()
        bench.cleanup()


if __name__ == "__main__":
    main()
