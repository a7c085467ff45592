"""Telemetry throughput: data points per second from MQTT into PostgreSQL through the ingest.

``.venv/bin/python bench/telemetry.py [--messages 20000] [--rounds 3] [--workers 1,2]``
(``make bench`` runs it with the defaults, about 1 minute). Needs Debian's ``mosquitto`` binary
and PostgreSQL at ``PG_URL`` (default postgres://postgres@127.0.0.1:5432/cityops; the bench
works in a database of its own, ``<name>_bench``, created afresh).

Each round measures, one after the other (so every ingest figure has a Mosquitto figure taken
moments apart under similar load), medians of the rounds reported:

- **Mosquitto pass-through**: N QoS 1 messages to a plain paho subscriber process (QoS 1); the
  time from the first publish to the last message received. The reference of the ratio, as
  this bench always had it. Measured too with a subscriber built on the ingest's own client
  class (``ingest/mqtt.py``, buffered reads): a stricter reference, reported next to it.
- **Ingest, 1 worker / 2 workers**: the same N messages of 4 values each (pm25, pm10, o3, no2),
  spread over 100 sensors, to ``cityops ingest`` processes (as in production: the second one
  joins the MQTT 5 shared subscription ``$share/cityops/…`` and the broker splits the stream)
  with the rule hooks of the installed apps registered; the time from the first publish until
  all readings are committed in PostgreSQL. Workers start before and stop after each
  measurement (sessions expire on disconnect, so no idle member keeps a share).

The publisher (``lib/mqtt_burst.py``) writes pre-encoded QoS 1 packets: a paho publisher costs
~50 µs of Python a message and was the bound of this bench on 2 cores. Both paths go through one
Mosquitto started for the bench with ``cityops/monitoring/ingest/mosquitto.conf``. Results go to
``bench/results/telemetry.json`` with the machine, the load average before each measurement,
the CPU time the receiving processes used (the subscriber; the ingest workers and their
PostgreSQL backends) per message, and the batches the workers wrote. Not a test: the figures
depend on the machine and its load (the CPU times per message much less than the rates).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from lib.machine import command_version, cpu_seconds, loadavg, machine
from lib.mqtt_burst import BurstPublisher, packets_of

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "telemetry.json"
CONF = ROOT / "cityops" / "monitoring" / "ingest" / "mosquitto.conf"
VALUES = 4
SENSORS = 100
GOAL_POINTS_PER_S = 40_000
GOAL_RATIO = 0.5


def _payloads(count: int, base: datetime) -> list[tuple[str, bytes]]:
    return [
        (
            f"cityops/sensors/bench-{i % SENSORS:03d}/readings",
            json.dumps(
                {
                    "observed_at": (base + timedelta(seconds=i // SENSORS)).isoformat(),
                    "values": {"pm25": 35.2 + i % 7, "pm10": 60.1, "o3": 80.5, "no2": 40.2},
                }
            ).encode(),
        )
        for i in range(count)
    ]


def subscriber_main(url: str, expected: int, kind: str) -> None:
    """``telemetry.py --subscriber URL N paho|cityops``: the pass-through's receiving end, in
    its own process as the ingest worker is: says "ready" once subscribed and "done" after N
    messages. ``paho`` is paho's own client (the reference, as this bench always used);
    ``cityops`` is the ingest's (``ingest/mqtt.py``: buffered reads, no PUBLISH fast path
    without a handler)."""
    sys.path.insert(0, str(ROOT))
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.subscribeoptions import SubscribeOptions

    from cityops.monitoring.ingest.mqtt import broker_of, client_for

    broker = broker_of(url)
    received = 0
    done, subscribed = threading.Event(), threading.Event()

    def on_message(client: Any, userdata: Any, message: Any) -> None:
        nonlocal received
        received += 1
        if received == expected:
            done.set()

    subscriber = (
        client_for(broker, persistent=False)
        if kind == "cityops"
        else mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    )
    subscriber.on_message = on_message
    subscriber.on_subscribe = lambda *args: subscribed.set()
    subscriber.connect(broker.host, broker.port)
    subscriber.loop_start()
    subscriber.subscribe("cityops/sensors/+/readings", options=SubscribeOptions(qos=1))
    subscribed.wait(10)
    print("ready", flush=True)
    done.wait(300)
    print("done" if done.is_set() else f"got {received}", flush=True)
    subscriber.disconnect()
    subscriber.loop_stop()


class Measure:
    """The broker, the database and the processes of one bench run."""

    def __init__(self, *, broker: Any, db: Any, env: dict[str, str], messages: int) -> None:
        self.broker, self.db, self.env, self.messages = broker, db, env, messages
        self.lock = threading.Lock()
        self.batches = 0  # batches written by the workers of the last ingest measurement
        self.database_cpu = 0.0  # CPU seconds of their PostgreSQL backends

    def _send(self, packets: list[bytes]) -> None:
        publisher = BurstPublisher(self.broker.host, self.broker.port)
        try:
            publisher.send(packets)
        finally:
            publisher.close()

    def passthrough(self, packets: list[bytes], kind: str = "paho") -> tuple[float, float]:
        """Seconds for the messages to go publisher → Mosquitto → subscriber at QoS 1, and the
        subscriber's CPU seconds."""
        receiver = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
            [sys.executable, __file__, "--subscriber", self.broker.url, str(len(packets)), kind],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert receiver.stdout is not None
        if receiver.stdout.readline().strip() != "ready":
            raise RuntimeError("the subscriber did not subscribe")
        cpu = cpu_seconds([receiver.pid])
        started = time.perf_counter()
        sender = threading.Thread(target=self._send, args=(packets,))
        sender.start()
        answer = receiver.stdout.readline().strip()
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds([receiver.pid]) - cpu
        sender.join()
        receiver.wait(30)
        if answer != "done":
            raise RuntimeError(f"the subscriber {answer} of {len(packets)}")
        return elapsed, cpu

    def _worker(self, client_id: str) -> subprocess.Popen[str]:
        wrap = os.environ.get("BENCH_WORKER_WRAP", "").split()  # e.g. a profiler
        worker = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
            [
                *wrap,
                str(ROOT / ".venv" / "bin" / "cityops"),
                "ingest",
                "--url",
                self.broker.url,
                "--client-id",
                client_id,
                "--session-expiry",
                "0",  # gone on disconnect: no share of the stream goes to a stopped worker
                "--stats-interval",
                "3600",
            ],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert worker.stdout is not None
        for line in worker.stdout:
            if "ingest: subscribed" in line:
                break
        else:
            raise RuntimeError(f"ingest worker {client_id} exited before subscribing")
        threading.Thread(target=self._drain, args=(worker,), daemon=True).start()
        return worker

    def _drain(self, worker: subprocess.Popen[str]) -> None:
        """Read the worker's output; keep its counters, printed when it stops."""
        assert worker.stdout is not None
        for line in worker.stdout:
            if line.startswith("Stopped: "):
                counters = ast.literal_eval(line.removeprefix("Stopped: ").split(" cameras:")[0])
                with self.lock:
                    self.batches += counters.get("batches", 0)

    def ingest(self, packets: list[bytes], *, workers: int, name: str) -> tuple[float, float]:
        """Seconds for the messages to be published and all their readings committed by
        ``workers`` ingest processes, and the CPU seconds those processes used."""
        self.db.execute("TRUNCATE monitoring_reading, monitoring_latestreading")
        self.batches = 0
        processes = [self._worker(f"bench-{name}-{n}") for n in range(workers)]
        try:
            pids = [p.pid for p in processes]
            expected = len(packets) * VALUES
            cpu = cpu_seconds(pids)
            started = time.perf_counter()
            sender = threading.Thread(target=self._send, args=(packets,))
            sender.start()
            deadline = started + 300
            while self._count() < expected:
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"only {self._count()} of {expected} readings after 300 s")
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
            cpu = cpu_seconds(pids) - cpu
            # The workers' PostgreSQL backends were opened during the measurement: all theirs.
            self.database_cpu = cpu_seconds(self._backends())
            sender.join()
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(30)
            time.sleep(0.1)  # the output threads read the last lines
        if (stored := self._count()) != expected:
            raise RuntimeError(f"{stored} readings stored, {expected} expected")
        return elapsed, cpu

    def _backends(self) -> list[int]:
        """The server processes of the bench database's other connections (the workers')."""
        return [
            pid
            for (pid,) in self.db.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        ]

    def _count(self) -> int:
        return self.db.execute("SELECT count(*) FROM monitoring_reading").fetchone()[0]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", default="1,2", help="ingest worker counts, e.g. 1,2")
    return parser.parse_args()


def main() -> None:
    options = _arguments()
    worker_counts = [int(n) for n in options.workers.split(",")]
    sys.path.insert(0, str(ROOT))
    pg_url = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/cityops")
    bench_db = pg_url.rsplit("/", 1)[1] + "_bench"
    bench_url = pg_url.rsplit("/", 1)[0] + "/" + bench_db
    data_dir = tempfile.mkdtemp(prefix="cityops-bench-")
    os.environ.update(
        CITYOPS_DATA_DIR=data_dir, DATABASE_URL=bench_url, DJANGO_SETTINGS_MODULE="cityops.settings"
    )
    import psycopg

    admin_url = pg_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{bench_db}"')

    import django

    django.setup()
    from django.core.management import call_command

    from cityops.monitoring import hooks
    from cityops.monitoring.embedded import free_port_from
    from cityops.monitoring.ingest.mqtt import broker_of
    from cityops.monitoring.services import sensor_create

    call_command("migrate", verbosity=0)
    for n in range(SENSORS):
        sensor_create(
            code=f"bench-{n:03d}", name=f"Bench {n}", kind="air_quality", lat=16.4, lon=107.6
        )
    rule_hooks = [getattr(c, "__qualname__", repr(c)) for c in hooks._readings_callbacks]

    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    port = free_port_from("127.0.0.1", 31883)
    conf = Path(data_dir) / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n"
        + CONF.read_text()
    )
    mosquitto = subprocess.Popen([binary, "-c", str(conf)])  # noqa: S603 - our own binaries and arguments
    broker = broker_of(f"mqtt://127.0.0.1:{port}")
    time.sleep(0.5)
    worker_env = {**os.environ}
    worker_env.pop("DJANGO_SETTINGS_MODULE", None)

    began = time.perf_counter()
    # Recent observation times (a partitioned readings table has partitions for them).
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=2)
    passes = ("mosquitto", "mosquitto_cityops_client")
    seconds: dict[str, list[float]] = {key: [] for key in passes}
    seconds |= {f"ingest_{n}": [] for n in worker_counts}
    cpu: dict[str, list[float]] = {key: [] for key in seconds}
    batches: dict[str, list[int]] = {key: [] for key in seconds if key not in passes}
    database_cpu: dict[str, list[float]] = {key: [] for key in batches}
    loads: list[dict[str, object]] = []
    with psycopg.connect(bench_url, autocommit=True) as db:
        measure = Measure(broker=broker, db=db, env=worker_env, messages=options.messages)
        try:
            for run in range(options.rounds):
                steps: list[tuple[str, Callable[[list[bytes]], tuple[float, float]]]] = [
                    ("mosquitto", measure.passthrough),
                    ("mosquitto_cityops_client", lambda p: measure.passthrough(p, "cityops")),
                ]
                steps += [
                    (f"ingest_{n}", partial(measure.ingest, workers=n, name=f"r{run}w{n}"))
                    for n in worker_counts
                ]
                line = [f"round {run + 1}:"]
                for step, (key, action) in enumerate(steps):
                    at = base + timedelta(hours=run * len(steps) + step)
                    packets = packets_of(_payloads(options.messages, at))
                    loads.append({"round": run + 1, "what": key, "loadavg_before": loadavg()})
                    elapsed, used = action(packets)
                    seconds[key].append(elapsed)
                    cpu[key].append(used)
                    if key not in passes:
                        batches[key].append(measure.batches)
                        database_cpu[key].append(measure.database_cpu)
                    per_second = options.messages / elapsed
                    line.append(
                        f"{key} {per_second:,.0f} msg/s"
                        if key in passes
                        else f"{key.split('_')[1]} worker(s) {per_second * VALUES:,.0f} points/s"
                    )
                print(", ".join(line), flush=True)
            version_row = db.execute("SHOW server_version").fetchone()
            pg_version = version_row[0] if version_row else "unknown"
        finally:
            mosquitto.terminate()
            mosquitto.wait(10)
    duration = time.perf_counter() - began

    mosquitto_version = command_version([binary, "-h"])
    import paho.mqtt

    def rate(key: str) -> float:
        return options.messages / statistics.median(seconds[key])

    mosquitto_rate = rate("mosquitto")
    cityops_client_rate = rate("mosquitto_cityops_client")
    ingest = {}
    for n in worker_counts:
        msgs = rate(f"ingest_{n}")
        ingest[str(n)] = {
            "msg_per_s": round(msgs),
            "points_per_s": round(msgs * VALUES),
            "ratio_to_mosquitto": round(msgs / mosquitto_rate, 3),
            "ratio_to_mosquitto_cityops_client": round(msgs / cityops_client_rate, 3),
            "goal_met": msgs * VALUES >= GOAL_POINTS_PER_S and msgs / mosquitto_rate >= GOAL_RATIO,
            "batches": batches[f"ingest_{n}"],
            "worker_cpu_us_per_msg": round(
                statistics.median(cpu[f"ingest_{n}"]) / options.messages * 1e6, 1
            ),
            "postgresql_cpu_us_per_msg": round(
                statistics.median(database_cpu[f"ingest_{n}"]) / options.messages * 1e6, 1
            ),
        }
    first = ingest[str(worker_counts[0])]
    result = {
        "what": (
            f"{options.messages} QoS 1 MQTT messages of {VALUES} values ({SENSORS} sensors) from a "
            "pre-encoded burst publisher: Mosquitto's own pass-through to a paho subscriber "
            "(and to one built on the ingest's client class), and "
            "Mosquitto → `cityops ingest` (1 and 2 workers on a shared subscription) → PostgreSQL "
            f"with the rule hooks called; medians of {options.rounds} rounds"
        ),
        "messages": options.messages,
        "rounds": options.rounds,
        "mosquitto_passthrough_msg_per_s": round(mosquitto_rate),
        "subscriber_cpu_us_per_msg": round(
            statistics.median(cpu["mosquitto"]) / options.messages * 1e6, 1
        ),
        # The same pass-through received by the ingest's own client class: a stricter reference.
        "mosquitto_cityops_client_msg_per_s": round(cityops_client_rate),
        "cityops_client_cpu_us_per_msg": round(
            statistics.median(cpu["mosquitto_cityops_client"]) / options.messages * 1e6, 1
        ),
        "ingest_by_workers": ingest,
        # The headline figures are the first worker count's (1 by default).
        "ingest_points_per_s": first["points_per_s"],
        "ratio_to_mosquitto": first["ratio_to_mosquitto"],
        "goal_points_per_s": GOAL_POINTS_PER_S,
        "goal_ratio_to_mosquitto": GOAL_RATIO,
        "goal_met": first["goal_met"],
        "seconds": {key: [round(s, 3) for s in values] for key, values in seconds.items()},
        "cpu_seconds": {key: [round(s, 3) for s in values] for key, values in cpu.items()},
        "postgresql_cpu_seconds": {
            key: [round(s, 3) for s in values] for key, values in database_cpu.items()
        },
        "load": loads,
        "loadavg_at_end": loadavg(),
        "bench_seconds": round(duration, 1),
        "rule_hooks": rule_hooks,
        "machine": machine(
            postgresql=pg_version, mosquitto=mosquitto_version, paho_mqtt=paho.mqtt.__version__
        ),
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k not in ("load", "machine")}, indent=2))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--subscriber":
        subscriber_main(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main()
